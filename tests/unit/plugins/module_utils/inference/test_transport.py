import io
import re
import socket
import threading
import urllib.error

import pytest

from ansible_collections.edgeai.serving.plugins.module_utils.inference.transport import (
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


SSE_REPLY = (b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
             + b"".join(b"%x\r\n%s\r\n" % (len(e), e) for e in (b"data: one\n\n", b"data: two\n\n", b"data: [DONE]\n\n"))
             + b"0\r\n\r\n")
NOT_FOUND_BODY = b'{"error": {"message": "no such route", "type": "NotFound"}}'
NOT_FOUND_REPLY = (b"HTTP/1.1 404 Not Found\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(NOT_FOUND_BODY)
                   + NOT_FOUND_BODY)


@pytest.fixture
def sse_server():
    """Loopback HTTP: POST /stream gets three server-sent events, chunked; any other path a 404."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)

    def serve():
        while True:
            try:
                conn, dummy = listener.accept()
            except OSError:
                return
            with conn:
                request = b""
                while b"\r\n\r\n" not in request:
                    request += conn.recv(4096)
                head, body = request.split(b"\r\n\r\n", 1)
                length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
                while len(body) < length:  # read it all: closing with unread bytes can reset the connection
                    body += conn.recv(4096)
                conn.sendall(SSE_REPLY if request.startswith(b"POST /stream ") else NOT_FOUND_REPLY)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield "http://127.0.0.1:%d" % listener.getsockname()[1]
    listener.close()


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
