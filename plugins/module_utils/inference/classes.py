# -*- coding: utf-8 -*-
# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Class ranking of an output tensor: argmax, top-k and the expected-class check."""

from ansible_collections.edgeai.serving.plugins.module_utils.inference.protocol import element_count


def first_item_scores(output):
    """Scores of batch item 0: the whole tensor when it has one dimension."""
    shape = output.get("shape") or []
    data = output.get("data") or []
    width = element_count(shape[1:]) if len(shape) > 1 else len(data)
    return data[:width]


def rank(output, top_k, labels=None):
    scores = first_item_scores(output)
    if not scores:
        return {"argmax": None, "label": None, "top_k": []}
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))

    def label_of(index):
        return labels[index] if labels and index < len(labels) else None

    return {
        "argmax": order[0],
        "label": label_of(order[0]),
        "score": scores[order[0]],
        "top_k": [{"index": i, "label": label_of(i), "score": scores[i]} for i in order[:top_k]],
    }


def expected_class_error(expected, output_name, ranking):
    """Message when ``expected`` (index or label) is not the ranked class, else None."""
    got_index, got_label = ranking["argmax"], ranking["label"]
    if expected in (str(got_index), got_label):
        return None
    got = "index %s" % got_index if got_label is None else "%r (index %s)" % (got_label, got_index)
    return "expected class %r from output %r, got %s with score %s" % (
        expected, output_name, got, ranking.get("score"))
