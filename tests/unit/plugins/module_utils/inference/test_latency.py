import threading
import time

from ansible_collections.edgeai.serving.plugins.module_utils.inference.latency import (
    load_options_error,
    percentile,
    run_load,
    summarize,
)


def test_nearest_rank_percentiles():
    values = list(range(1, 101))
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 99) == 99
    assert percentile([7.0], 99) == 7.0
    assert percentile([1, 2, 3, 4], 50) == 2
    assert percentile([], 50) is None


def test_summarize_orders_values():
    summary = summarize([30.0, 10.0, 20.0])
    assert (summary["min_ms"], summary["p50_ms"], summary["p99_ms"], summary["max_ms"]) == (10.0, 20.0, 30.0, 30.0)
    assert summarize([])["p50_ms"] is None


def test_load_options_are_bounded():
    assert load_options_error(10, 2, 5) is None
    assert load_options_error(0, 1, 5).startswith("load.requests must be between 1 and 10000")
    assert load_options_error(10, 33, 5).startswith("load.concurrency must be between 1 and 32")
    assert load_options_error(10, 1, 0).startswith("load.max_duration")


def test_run_load_counts_every_request_and_error():
    calls = []
    lock = threading.Lock()

    def send():
        with lock:
            calls.append(1)
            number = len(calls)
        if number % 5 == 0:
            raise RuntimeError("boom %d" % number)

    result = run_load(send, requests=20, concurrency=3, max_duration=60)
    assert len(calls) == 20
    assert (result["sent"], result["succeeded"], result["errors"]) == (20, 16, 4)
    assert result["first_error"].startswith("boom")
    assert result["stopped_by_time_limit"] is False
    assert 0 <= result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"]


def test_run_load_stops_at_the_time_limit():
    def send():
        time.sleep(0.05)

    result = run_load(send, requests=10000, concurrency=2, max_duration=0.2)
    assert result["stopped_by_time_limit"] is True
    assert result["sent"] < 10000
    assert result["succeeded"] == result["sent"]


def test_run_load_gives_percentiles_of_the_timings_send_returns():
    values = iter([40.0, 10.0, 30.0, 20.0])
    lock = threading.Lock()

    def send():
        with lock:
            return {"ttft": next(values)}

    result = run_load(send, requests=4, concurrency=2, max_duration=60)
    assert result["ttft"] == {"p50_ms": 20.0, "p95_ms": 40.0, "p99_ms": 40.0, "min_ms": 10.0, "max_ms": 40.0}
    assert result["succeeded"] == 4
