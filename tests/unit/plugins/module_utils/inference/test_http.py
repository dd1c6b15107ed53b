import io
import socket
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
