# -*- coding: utf-8 -*-
# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bounded load generation and latency percentiles."""

import math
import threading
import time

# Hard ceilings, whatever the playbook asks: a health gate, not a benchmark.
MAX_REQUESTS = 10000
MAX_CONCURRENCY = 32
MAX_DURATION = 600


# Argument spec of the modules' ``load`` option.
LOAD_ARGUMENT_SPEC = dict(type="dict", options=dict(
    requests=dict(type="int", required=True),
    concurrency=dict(type="int", default=1),
    max_duration=dict(type="float", default=60),
    max_errors=dict(type="int", default=0),
))


def load_options_error(requests, concurrency, max_duration):
    """Message naming the bad ``load`` field, or None."""
    if not 1 <= requests <= MAX_REQUESTS:
        return "load.requests must be between 1 and %d, got %d" % (MAX_REQUESTS, requests)
    if not 1 <= concurrency <= MAX_CONCURRENCY:
        return "load.concurrency must be between 1 and %d, got %d" % (MAX_CONCURRENCY, concurrency)
    if not 0 < max_duration <= MAX_DURATION:
        return "load.max_duration must be above 0 and at most %d seconds, got %s" % (MAX_DURATION, max_duration)
    return None


def percentile(sorted_values, pct):
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return None
    rank = max(1, int(math.ceil(pct / 100.0 * len(sorted_values))))
    return sorted_values[rank - 1]


def summarize(latencies_ms):
    ordered = sorted(latencies_ms)
    return {
        "p50_ms": percentile(ordered, 50),
        "p95_ms": percentile(ordered, 95),
        "p99_ms": percentile(ordered, 99),
        "min_ms": ordered[0] if ordered else None,
        "max_ms": ordered[-1] if ordered else None,
    }


def run_load(send, requests, concurrency, max_duration):
    """Call ``send()`` ``requests`` times from ``concurrency`` threads.

    No new request starts after ``max_duration`` seconds.  An exception from
    ``send`` counts as an error; the first error's text is kept.  ``send`` may
    return a dict of further timings in milliseconds (such as ``{"ttft": 12.5}``);
    each key gets its own percentiles in the result.
    """
    lock = threading.Lock()
    state = {"next": 0, "latencies": [], "errors": 0, "first_error": None, "timings": {}}
    deadline = time.monotonic() + max_duration

    def worker():
        while True:
            with lock:
                if state["next"] >= requests or time.monotonic() >= deadline:
                    return
                state["next"] += 1
            started = time.perf_counter()
            try:
                timings = send() or {}
            except Exception as exc:  # any failure of one request is an error count, not a crash
                with lock:
                    state["errors"] += 1
                    state["first_error"] = state["first_error"] or str(exc)
                continue
            elapsed_ms = (time.perf_counter() - started) * 1000.0
            with lock:
                state["latencies"].append(elapsed_ms)
                for key, value in timings.items():
                    state["timings"].setdefault(key, []).append(value)

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for dummy in range(min(concurrency, requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.monotonic() - started

    result = summarize(state["latencies"])
    for key, values in state["timings"].items():
        result[key] = summarize(values)
    result.update({
        "requests": requests,
        "sent": state["next"],
        "succeeded": len(state["latencies"]),
        "errors": state["errors"],
        "first_error": state["first_error"],
        "concurrency": concurrency,
        "duration_s": duration,
        "throughput_rps": len(state["latencies"]) / duration if duration > 0 else None,
        "stopped_by_time_limit": state["next"] < requests,
    })
    return result
