"""make demo-llm: serve_llm.yml on the local default creates the vLLM runtime, the LLM and its route, and ends
with a streamed chat completion whose answer is right."""

import os
import re
import subprocess
import sys

REPO = os.path.join(os.path.dirname(__file__), "..", "..", "..")


def test_make_demo_llm_serves_and_answers(cluster):
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"], ANSIBLE_NOCOLOR="1")
    proc = subprocess.run(["bash", os.path.join(REPO, "playbooks", "demo", "run.sh"), "--llm"], capture_output=True,
                          text=True, env=env, stdin=subprocess.DEVNULL, check=False, timeout=900)
    out = proc.stdout
    assert proc.returncode == 0, out[-3000:] + proc.stderr[-3000:]
    assert re.search(r"localhost\s+: ok=5\s+changed=\d+\s+unreachable=0\s+failed=0", out), out[-2000:]
    assert "Answer: back and cloud to edge (stop)" in out
    assert "Route: https://tiny-llm-ai-demo.%s" % cluster["route_domain"] in out
    assert re.search(r"Time to first token [0-9.]+ ms, 5 tokens in [0-9.]+ ms \([0-9.]+ tokens/s\)", out), out[-2000:]
