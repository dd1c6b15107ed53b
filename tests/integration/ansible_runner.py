"""Run collection modules the way users do: through ansible-playbook, results as JSON."""

import json
import os
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ANSIBLE_PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")


def run_tasks(tasks, env=None, check=False, diff=False, module_defaults=None):
    """Run tasks on localhost (errors ignored, so every task runs); return their results in order."""
    play = {"hosts": "localhost", "gather_facts": False, "connection": "local",
            "tasks": [dict(t, ignore_errors=True) for t in tasks]}
    if module_defaults:
        play["module_defaults"] = module_defaults
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
        yaml.safe_dump([play], f)
        path = f.name
    cmd = [ANSIBLE_PLAYBOOK, "-i", "localhost,", path] + (["--check"] if check else []) + (["--diff"] if diff else [])
    run_env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK="task_results_json",
                   ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, "callback_plugins"),
                   ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_NOCOLOR="1")
    run_env.update(env or {})
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=run_env, stdin=subprocess.DEVNULL, check=False)
    finally:
        os.unlink(path)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("[")]
    if not lines:
        raise AssertionError("ansible-playbook printed no results (rc %d):\n%s\n%s" % (
            proc.returncode, proc.stdout, proc.stderr))
    return json.loads(lines[-1])


def run_module(module, args, **kwargs):
    """One module call; returns its result dict."""
    return run_tasks([{"edgeai.serving." + module: args}], **kwargs)[0]
