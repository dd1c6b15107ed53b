"""How users get the collection: an AAP execution environment (ansible-builder) and ansible-galaxy."""

import json
import os
import subprocess
import sys
import uuid

BIN = os.path.dirname(sys.executable)
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def test_ansible_builder_create_makes_a_context_with_the_collection_requirements(tmp_path):
    # `create` writes the build context only; no container engine runs here (see the README).
    context = tmp_path / "context"
    proc = subprocess.run([os.path.join(BIN, "ansible-builder"), "create", "-f", os.path.join(REPO, "execution-environment.yml"),
                           "-c", str(context), "--output-filename", "Containerfile"],
                          capture_output=True, text=True, cwd=REPO, stdin=subprocess.DEVNULL, check=False, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    containerfile = (context / "Containerfile").read_text()
    assert 'ARG EE_BASE_IMAGE="quay.io/centos/centos:stream9"' in containerfile
    assert 'ARG ANSIBLE_INSTALL_REFS="ansible-core==2.19.14 ansible-runner==2.4.3"' in containerfile
    # The builder stage installs the collection's Python requirements from the context.
    assert "COPY _build/requirements.txt requirements.txt" in containerfile
    with open(os.path.join(REPO, "requirements.txt")) as f:
        assert (context / "_build" / "requirements.txt").read_text() == f.read()
    assert "python3.11-devel [platform:rpm]" in (context / "_build" / "bindep.txt").read_text()


def run(args, env, **kwargs):
    proc = subprocess.run(args, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, check=False,
                          timeout=900, **kwargs)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-5000:]
    return proc.stdout


def test_galaxy_artifact_installs_and_its_playbooks_serve_and_roll_out(plane, kube, standins, tmp_path):
    from kubernetes import client
    from fleet_support import IMAGE, MODEL, isvc, red_png, retried
    # Only the installed copy may be found: a fresh collections path, and the checkout's link left out.
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(tmp_path / "installed"), ANSIBLE_NOCOLOR="1",
               NO_PROXY="127.0.0.1", no_proxy="127.0.0.1")
    run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--output-path", str(tmp_path)], env, cwd=REPO)
    tarball = tmp_path / "edgeai-serving-0.1.0.tar.gz"
    listing = subprocess.run(["tar", "-tzf", str(tarball)], capture_output=True, text=True, check=True).stdout.split()
    assert "playbooks/rollout_model.yml" in listing and "roles/model_rollout/tasks/main.yml" in listing
    assert not [n for n in listing if n.split("/")[0] in ("tests", "extensions", "benchmarks")], listing
    run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", str(tarball), "-p", str(tmp_path / "installed")],
        env)
    installed = tmp_path / "installed" / "ansible_collections" / "edgeai" / "serving"
    assert not installed.is_symlink() and (installed / "MANIFEST.json").exists()

    namespace = "t-galaxy-%s" % uuid.uuid4().hex[:6]
    retried(client.CoreV1Api(kube).create_namespace, {"metadata": {"name": namespace}})
    with open(standins["edge1"]["target"], "w") as f:
        json.dump({"namespace": namespace, "name": MODEL}, f)
    image = red_png(str(tmp_path / "red.png"))
    inventory = tmp_path / "hosts.yml"
    host = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable,
            "edgeai_namespace": namespace, "model_rollout_namespace": namespace,
            "model_rollout_inference_url": standins["edge1"]["url"]}
    inventory.write_text(json.dumps({"all": {"children": {"serving": {"hosts": {"edge1": host}},
                                                          "edge": {"hosts": {"edge1": {}}}}}}))
    try:
        out = run([os.path.join(BIN, "ansible-playbook"), "-i", str(inventory), str(installed / "playbooks" / "serve_model.yml"),
                   "-e", "edgeai_kubeconfig=%s" % plane["kubeconfig"], "-e", "edgeai_model_name=%s" % MODEL,
                   "-e", "edgeai_storage_uri=%s" % (IMAGE % "1"), "-e", "edgeai_inference_url=%s" % standins["edge1"]["url"],
                   "-e", "edgeai_runtime_src=%s" % (installed / "inventories" / "local" / "files" / "ovms-kserve.yaml"),
                   "-e", "edgeai_release_info=%s" % (installed / "inventories" / "local" / "files" /
                                                     "release-ai-model-serving-x86_64.json"),
                   "-e", "edgeai_check_image=%s" % image, "-e", "edgeai_check_expected_class=red",
                   "-e", '{"edgeai_check_labels": ["red", "green", "blue"]}'], env)
        assert "Answer: ['red']" in out
        out = run([os.path.join(BIN, "ansible-playbook"), "-i", str(inventory),
                   str(installed / "playbooks" / "rollout_model.yml"),
                   "-e", "model_rollout_kubeconfig=%s" % plane["kubeconfig"], "-e", "model_rollout_name=%s" % MODEL,
                   "-e", "model_rollout_storage_uri=%s" % (IMAGE % "2"), "-e", "model_rollout_gate_input=%s" % image,
                   "-e", "model_rollout_gate_labels=red,green,blue", "-e", "model_rollout_gate_expected_class=red",
                   "-e", "model_rollout_gate_requests=5", "-e", "model_rollout_report_dir=%s" % (tmp_path / "report")],
                  env)
        assert "| edge1 | %s | color-modelcar:1 | color-modelcar:2 | updated |" % namespace in out, out[-3000:]
        assert isvc(kube, namespace)["spec"]["predictor"]["model"]["storageUri"] == IMAGE % "2"
    finally:
        retried(client.CoreV1Api(kube).delete_namespace, namespace)
