# -*- coding: utf-8 -*-
# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP transport for the inference checks, with failures turned into messages
that say what went wrong: refused, TLS, timeout, or the server's own error."""

import json
import socket
from contextlib import contextmanager
import ssl
import urllib.error

from ansible.module_utils.urls import ConnectionError as UrlsConnectionError, Request, SSLValidationError, make_context

# Bodies of error responses are cut to this many characters in messages.
ERROR_TEXT_LIMIT = 2000


# Argument spec of the options every inference module shares (documented in
# the inference_client doc fragment).
CLIENT_ARGUMENT_SPEC = dict(
    url=dict(type="str", required=True),
    model=dict(type="str", required=True),
    timeout=dict(type="float", default=60),
    poll_interval=dict(type="float", default=1),
    request_timeout=dict(type="float", default=10),
    validate_certs=dict(type="bool", default=True),
    ca_cert=dict(type="path", aliases=["ca_path"]),
    token=dict(type="str", no_log=True),
    use_proxy=dict(type="bool", default=True),
)


class InferenceHTTPError(Exception):
    """``kind`` is one of http, connection, tls, timeout."""

    def __init__(self, message, kind, status=None):
        super().__init__(message)
        self.kind = kind
        self.status = status


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except ValueError as exc:
            raise InferenceHTTPError("response is not JSON: %s" % exc, "http", self.status)


class InferenceClient:
    def __init__(self, url, token=None, ca_cert=None, validate_certs=True, timeout=10.0, use_proxy=True):
        self.base_url = url.rstrip("/")
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = "Bearer " + token
        # One TLS context for all requests: building it loads the CA bundle,
        # which costs more than a whole inference on loopback.
        try:
            context = make_context(cafile=ca_cert, validate_certs=validate_certs)
        except (OSError, ssl.SSLError) as exc:
            raise InferenceHTTPError("ca_cert: cannot load %s: %s" % (ca_cert, exc), "tls")
        self._request = Request(headers=headers, use_proxy=use_proxy, timeout=timeout, context=context)

    def call(self, method, path, body=None, headers=None):
        url = self.base_url + path
        with _translated_errors(method, url):
            with self._request.open(method, url, data=body, headers=headers) as reply:
                return Response(reply.status, _lower_keys(reply.headers), reply.read())

    def stream_lines(self, method, path, body=None, headers=None):
        """Yield the response body line by line as it arrives (for server-sent events)."""
        url = self.base_url + path
        with _translated_errors(method, url):
            with self._request.open(method, url, data=body, headers=headers) as reply:
                while True:
                    line = reply.readline()
                    if not line:
                        return
                    yield line

    def get_json(self, path):
        return self.call("GET", path).json()

    @classmethod
    def from_params(cls, params):
        return cls(params["url"], token=params["token"], ca_cert=params["ca_cert"],
                   validate_certs=params["validate_certs"], timeout=params["request_timeout"],
                   use_proxy=params["use_proxy"])


@contextmanager
def _translated_errors(method, url):
    try:
        yield
    except urllib.error.HTTPError as exc:
        raise InferenceHTTPError(
            "%s %s returned HTTP %s: %s" % (method, url, exc.code, _server_error_text(exc)),
            "http", exc.code)
    except (SSLValidationError, ssl.SSLError) as exc:
        raise _tls_error(url, exc)
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, ssl.SSLError):
            raise _tls_error(url, exc.reason)
        if isinstance(exc.reason, (socket.timeout, TimeoutError)):
            raise InferenceHTTPError("%s %s timed out" % (method, url), "timeout")
        raise InferenceHTTPError("cannot connect to %s: %s" % (url, exc.reason), "connection")
    except (socket.timeout, TimeoutError):
        raise InferenceHTTPError("%s %s timed out" % (method, url), "timeout")
    except (UrlsConnectionError, OSError) as exc:
        raise InferenceHTTPError("cannot connect to %s: %s" % (url, exc), "connection")


def _lower_keys(headers):
    return dict((k.lower(), v) for k, v in headers.items())


def _tls_error(url, exc):
    return InferenceHTTPError(
        "TLS error talking to %s: %s (check ca_cert, or validate_certs for a test server)" % (url, exc),
        "tls")


def _server_error_text(exc):
    """The server's own message: KServe and OVMS answer ``{"error": "..."}``,
    OpenAI-compatible servers ``{"error": {"message": "..."}}``."""
    try:
        raw = exc.read()
    except Exception:  # the body may already be gone; the status still tells something
        return exc.reason
    text = raw.decode("utf-8", "replace").strip()
    try:
        payload = json.loads(text)
    except ValueError:
        return text[:ERROR_TEXT_LIMIT] or exc.reason
    if isinstance(payload, dict) and "error" in payload:
        error = payload["error"]
        if isinstance(error, dict) and "message" in error:
            error = error["message"]
        return str(error)[:ERROR_TEXT_LIMIT]
    return text[:ERROR_TEXT_LIMIT]
