"""The README's first command: site.yml on the local default inventory serves the model and gets the right answer."""

import os
import re
import subprocess
import sys

REPO = os.path.join(os.path.dirname(__file__), "..", "..", "..")


def test_make_demo_serves_and_answers(cluster):
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"], ANSIBLE_NOCOLOR="1")
    proc = subprocess.run(["bash", os.path.join(REPO, "playbooks", "demo", "run.sh")], capture_output=True, text=True,
                          env=env, stdin=subprocess.DEVNULL, check=False, timeout=900)
    out = proc.stdout
    assert proc.returncode == 0, out[-3000:] + proc.stderr[-3000:]
    assert re.search(r"localhost\s+: ok=5\s+changed=\d+\s+unreachable=0\s+failed=0", out), out[-2000:]
    assert "Answer: ['red']" in out
    assert "Route: https://color-ai-demo.%s" % cluster["route_domain"] in out
