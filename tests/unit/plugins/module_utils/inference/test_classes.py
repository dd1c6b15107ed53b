from ansible_collections.edgeai.serving.plugins.module_utils.inference.classes import (
    expected_class_error,
    first_item_scores,
    rank,
)


def test_first_item_of_a_batch():
    assert first_item_scores({"shape": [2, 3], "data": [1, 2, 3, 4, 5, 6]}) == [1, 2, 3]
    assert first_item_scores({"shape": [3], "data": [1, 2, 3]}) == [1, 2, 3]
    assert first_item_scores({"shape": [1, 2, 2], "data": [1, 2, 3, 4]}) == [1, 2, 3, 4]


def test_rank_with_labels_and_ties_by_index():
    ranking = rank({"shape": [1, 4], "data": [0.1, 0.4, 0.4, 0.1]}, 3, ["a", "b", "c", "d"])
    assert ranking["argmax"] == 1
    assert ranking["label"] == "b"
    assert [(e["index"], e["label"]) for e in ranking["top_k"]] == [(1, "b"), (2, "c"), (0, "a")]


def test_rank_without_labels_or_data():
    assert rank({"shape": [1, 2], "data": [3, 9]}, 0)["top_k"] == []
    assert rank({"shape": [1, 2], "data": [3, 9]}, 0)["label"] is None
    assert rank({"shape": [0], "data": []}, 1)["argmax"] is None


def test_expected_class_by_index_or_label():
    ranking = rank({"shape": [3], "data": [0.1, 0.7, 0.2]}, 1, ["red", "green", "blue"])
    assert expected_class_error("1", "p", ranking) is None
    assert expected_class_error("green", "p", ranking) is None
    assert expected_class_error("blue", "p", ranking) == (
        "expected class 'blue' from output 'p', got 'green' (index 1) with score 0.7")


def test_expected_class_without_labels():
    ranking = rank({"shape": [3], "data": [5, 1, 0]}, 0)
    assert expected_class_error("2", "y", ranking) == "expected class '2' from output 'y', got index 0 with score 5"
