"""TEST STAND-IN of the Kubernetes API for the nvidia_device_plugin scenarios.

Serves over TLS on 127.0.0.1 (random port, written to --port-file) and
requires a client certificate signed by --client-ca (like MicroShift's
kubeadmin kubeconfig):
  GET /api/v1/nodes      one node whose capacity nvidia.com/gpu is read from
                         --capacity-file on every request (a test can set 0);
  Jobs (POST, GET, DELETE /apis/batch/v1/namespaces/NS/jobs[/NAME]), their pod
  (GET /api/v1/namespaces/NS/pods?labelSelector=job-name=NAME) and its log: a
  Job "succeeds" and its pod logs the vectorAdd sample's "Test PASSED" only if
  its container limits nvidia.com/gpu to 1 and a node has GPU capacity; it
  runs nothing.
Each request is logged to --log. Exits by itself after --lifetime seconds;
the scenario's cleanup stops it earlier by PID.
"""
import argparse
import json
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


def main():
    parser = argparse.ArgumentParser()
    for name in ("--cert", "--key", "--client-ca", "--port-file", "--capacity-file", "--log"):
        parser.add_argument(name, required=True)
    parser.add_argument("--node", default="edge-node")
    parser.add_argument("--lifetime", type=int, default=1200)
    args = parser.parse_args()

    jobs = {}
    not_found = {"kind": "Status", "status": "Failure", "reason": "NotFound", "code": 404}

    def gpus():
        with open(args.capacity_file) as handle:
            return handle.read().strip()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_):
            pass

        def record(self, method):
            peer = self.connection.getpeercert() or {}
            subject = dict(item[0] for item in peer.get("subject", ()))
            with open(args.log, "a") as log:
                log.write("%d %s %s cn=%s\n" % (time.time_ns(), method, self.path, subject.get("commonName", "")))
            return urlparse(self.path)

        def body(self):
            length = int(self.headers.get("Content-Length") or 0)
            return json.loads(self.rfile.read(length) or b"{}")

        def do_POST(self):  # noqa: N802 (http.server API)
            url = self.record("POST")
            parts = url.path.strip("/").split("/")
            if parts[:3] != ["apis", "batch", "v1"] or parts[5:] != ["jobs"]:
                return self.reply(404, not_found)
            job = self.body()
            name = job["metadata"]["name"]
            if (parts[4], name) in jobs:
                return self.reply(409, {"kind": "Status", "status": "Failure", "reason": "AlreadyExists", "code": 409})
            limits = [c.get("resources", {}).get("limits", {}).get("nvidia.com/gpu")
                      for c in job["spec"]["template"]["spec"]["containers"]]
            passed = limits == [1] and int(gpus() or 0) > 0
            job["status"] = {"succeeded": 1} if passed else {"failed": 1}
            jobs[(parts[4], name)] = job
            return self.reply(201, job)

        def do_DELETE(self):  # noqa: N802 (http.server API)
            url = self.record("DELETE")
            parts = url.path.strip("/").split("/")
            if len(parts) == 7 and parts[5] == "jobs" and jobs.pop((parts[4], parts[6]), None) is not None:
                return self.reply(200, {"kind": "Status", "status": "Success"})
            return self.reply(404, not_found)

        def do_GET(self):  # noqa: N802 (http.server API)
            url = self.record("GET")
            parts = url.path.strip("/").split("/")
            query = parse_qs(url.query)
            if len(parts) == 7 and parts[:3] == ["apis", "batch", "v1"] and parts[5] == "jobs":
                job = jobs.get((parts[4], parts[6]))
                return self.reply(200, job) if job else self.reply(404, not_found)
            if len(parts) == 5 and parts[:2] == ["api", "v1"] and parts[4] == "pods":
                name = query.get("labelSelector", [""])[0].replace("job-name=", "")
                items = [{"metadata": {"name": name + "-x7k2p", "namespace": parts[3]}}] if (parts[3], name) in jobs else []
                return self.reply(200, {"kind": "PodList", "apiVersion": "v1", "items": items})
            if len(parts) == 7 and parts[:2] == ["api", "v1"] and parts[6] == "log":
                job = jobs.get((parts[3], parts[5].rsplit("-", 1)[0]))
                if not job:
                    return self.reply(404, not_found)
                text = "[Vector addition of 50000 elements]\nCopy input data from the host memory to the CUDA device\n"
                text += "Test PASSED\nDone\n" if job["status"].get("succeeded") else "Failed to allocate device vector A\n"
                return self.reply(200, text)
            if url.path != "/api/v1/nodes":
                return self.reply(404, not_found)
            node = {"metadata": {"name": args.node},
                    "status": {"capacity": {"cpu": "4", "memory": "16Gi", "pods": "250", "nvidia.com/gpu": gpus()},
                               "allocatable": {"cpu": "4", "memory": "16Gi", "pods": "250", "nvidia.com/gpu": gpus()}}}
            selector = query.get("fieldSelector", [""])[0]
            items = [node] if selector in ("", "metadata.name=" + args.node) else []
            return self.reply(200, {"kind": "NodeList", "apiVersion": "v1", "items": items})

        def reply(self, code, body):
            text = isinstance(body, str)
            data = body.encode() if text else json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "text/plain" if text else "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    context.load_verify_locations(args.client_ca)
    context.verify_mode = ssl.CERT_REQUIRED
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    with open(args.port_file, "w") as handle:
        handle.write(str(server.server_address[1]))
    threading.Timer(args.lifetime, server.shutdown).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
