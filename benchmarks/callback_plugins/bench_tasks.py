# Benchmark-only stdout callback: one "BENCH <json>" line per task result, with the moment it arrived.
from __future__ import annotations

import json
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: bench_tasks
type: stdout
short_description: one JSON line per task result (benchmarks only)
description: [Used by benchmarks/compare_with_kubernetes_core.py to time tasks against the controller's writes.]
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "bench_tasks"

    def _emit(self, result, failed):
        res = result._result
        # Wall-clock time, to compare with the benchmark's watch timestamps on the same machine.
        line = {"host": result._host.get_name(), "end": time.time(), "failed": failed, "msg": res.get("msg"),
                "api_requests": res.get("api_requests")}
        self._display.display("BENCH " + json.dumps(line, default=str))

    def v2_runner_on_ok(self, result):
        self._emit(result, False)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._emit(result, True)

    def v2_runner_on_unreachable(self, result):
        self._emit(result, True)
