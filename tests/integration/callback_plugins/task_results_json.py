# Test-only stdout callback: prints every task result of the run as one JSON list.
from __future__ import annotations

import json
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: task_results_json
type: stdout
short_description: every task result as one JSON list (tests only)
description: [Used by the collection's integration tests to read module results.]
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "task_results_json"

    def __init__(self):
        super().__init__()
        self.results = []
        self.started = {}

    def v2_runner_on_start(self, host, task):
        self.started[task._uuid] = time.monotonic()

    def _record(self, result, **extra):
        entry = dict(result._result)
        entry.update(extra)
        entry["task"] = result._task.get_name()
        # Seconds the task took, for benchmarks; tests never assert on it.
        entry["task_seconds"] = time.monotonic() - self.started.get(result._task._uuid, time.monotonic())
        self.results.append(entry)

    def v2_runner_on_ok(self, result):
        self._record(result, failed=False)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, failed=True)

    def v2_runner_on_skipped(self, result):
        self._record(result, skipped=True)

    def v2_playbook_on_stats(self, stats):
        self._display.display(json.dumps(self.results, default=str))
