import http.server
import io
import socket
import threading
import urllib.error

import pytest

from ansible_collections.edgeai.serving.plugins.module_utils.inference.http import (
    InferenceClient,
    InferenceHTTPError,
    _server_error_text,
)


def http_error(body):
    return urllib.error.HTTPError("http://x/v2", 400, "Bad Request", {}, io.BytesIO(body))


@pytest.mark.parametrize("body,text", [
    (b'{"error": "expected one input named \'x\'"}', "expected one input named 'x'"),
    (b'{"detail": "Not Found"}', '{"detail": "Not Found"}'),
    (b"upstream connect error", "upstream connect error"),
    (b"", "Bad Request"),
])
def test_server_error_text(body, text):
    assert _server_error_text(http_error(body)) == text


def test_connection_refused_is_a_connection_error():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = InferenceClient("http://127.0.0.1:%d/" % port, timeout=5)
    with pytest.raises(InferenceHTTPError) as caught:
        client.call("GET", "/v2/health/ready")
    assert caught.value.kind == "connection"
    assert str(caught.value).startswith("cannot connect to http://127.0.0.1:%d/v2/health/ready" % port)
    assert "refused" in str(caught.value)


class _SSEHandler(http.server.BaseHTTPRequestHandler):
    """Answers POST /stream with three server-sent events, chunked; anything else is a 404."""

    def do_POST(self):
        if self.path != "/stream":
            body = b'{"error": {"message": "no such route", "type": "NotFound"}}'
            self.send_response(404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for event in (b"data: one\n\n", b"data: two\n\n", b"data: [DONE]\n\n"):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(event), event))
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")

    def log_message(self, *args):
        pass


@pytest.fixture
def sse_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SSEHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "http://127.0.0.1:%d" % server.server_address[1]
    server.shutdown()
    server.server_close()


def test_stream_lines_yields_each_line_of_a_chunked_body(sse_server):
    client = InferenceClient(sse_server, timeout=5, use_proxy=False)
    lines = list(client.stream_lines("POST", "/stream", b"{}"))
    assert [line for line in lines if line.strip()] == [b"data: one\n", b"data: two\n", b"data: [DONE]\n"]


def test_stream_lines_reports_the_openai_error_message(sse_server):
    client = InferenceClient(sse_server, timeout=5, use_proxy=False)
    with pytest.raises(InferenceHTTPError) as caught:
        list(client.stream_lines("POST", "/elsewhere", b"{}"))
    assert caught.value.status == 404
    assert str(caught.value) == "POST %s/elsewhere returned HTTP 404: no such route" % sse_server
