# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection to the API server: credentials in, JSON requests and watch streams out.

Credentials come from kubeconfig.load_credentials. Requests use the standard
library's http.client over one keep-alive connection per module run (watches get
their own): importing urllib3 alone costs 0.1 to 0.25 s per task on a busy host.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os
import shutil
import socket
import ssl
import tempfile
import threading
import time

from ansible.module_utils.six.moves import http_client
from ansible.module_utils.six.moves.urllib.parse import unquote, urlencode, urlsplit

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import K8sError, describe, parse_status
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.kubeconfig import load_credentials

VERBS = {"GET": "get", "PATCH": "apply", "DELETE": "delete"}
# A restarting API server refuses connections, then answers 503 until its
# routes are installed; requests that are safe to repeat wait this long for it.
RECONNECT_SECONDS = 30
TRANSIENT_STATUS = (429, 502, 503, 504)
CONNECT_TIMEOUT = 10


def _load_client_pair(ctx, creds):
    """Load the client certificate and key; in-memory data goes through a private temp dir removed at once."""
    tmp = None
    try:
        cert, key = creds.cert_file, creds.key_file
        if creds.cert_data or creds.key_data:
            tmp = tempfile.mkdtemp(prefix="edgeai-serving-")
            for attr, name in (("cert_data", "client.crt"), ("key_data", "client.key")):
                if getattr(creds, attr):
                    path = os.path.join(tmp, name)
                    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                    with os.fdopen(fd, "wb") as f:
                        f.write(getattr(creds, attr))
                    if attr == "cert_data":
                        cert = path
                    else:
                        key = path
        ctx.load_cert_chain(cert, key)
    except (ssl.SSLError, IOError, OSError) as e:
        raise K8sError("cannot load the client certificate and key: %s" % e)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def ssl_context(creds):
    """The TLS context for `creds`: verification on unless turned off, the CA from a file or kubeconfig data."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if creds.verify:
        try:
            if creds.ca_file or creds.ca_data:
                ctx.load_verify_locations(cafile=creds.ca_file,
                                          cadata=creds.ca_data.decode("ascii") if creds.ca_data else None)
            else:
                ctx.load_default_certs()
        except (ssl.SSLError, IOError, OSError, ValueError) as e:
            raise K8sError("cannot load the CA certificate (ca_cert or certificate-authority): %s" % e)
    else:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if creds.cert_file or creds.cert_data:
        _load_client_pair(ctx, creds)
    return ctx


class _HTTPSConnection(http_client.HTTPSConnection):
    """HTTPS that checks the certificate against tls-server-name when one is set, also through a proxy tunnel."""

    def __init__(self, host, port, context, server_name, timeout):
        http_client.HTTPSConnection.__init__(self, host, port, timeout=timeout, context=context)
        self.server_name = server_name

    def connect(self):
        http_client.HTTPConnection.connect(self)  # TCP, and the proxy's CONNECT tunnel when set
        self.sock = self._context.wrap_socket(self.sock,
                                              server_hostname=self.server_name or self._tunnel_host or self.host)


class Endpoint(object):
    """How to open a connection to the API server: TLS settings and an optional HTTP proxy."""

    def __init__(self, creds):
        url = urlsplit(creds.host)
        try:
            port = url.port
        except ValueError:
            port = None
            url = urlsplit("")
        if url.scheme not in ("https", "http") or not url.hostname:
            raise K8sError("host: %r is not an http(s) URL of an API server" % creds.host)
        self.scheme, self.hostname = url.scheme, url.hostname
        self.port = port or (443 if url.scheme == "https" else 80)
        self.prefix = url.path.rstrip("/")
        self.context = ssl_context(creds) if url.scheme == "https" else None
        self.server_name = creds.tls_server_name
        self.proxy = None
        if creds.proxy:
            proxy = urlsplit(creds.proxy if "://" in creds.proxy else "http://" + creds.proxy)
            if proxy.scheme != "http" or not proxy.hostname:
                raise K8sError("proxy: %r is not supported; use an http:// proxy URL" % creds.proxy)
            headers = {}
            if proxy.username is not None:
                pair = "%s:%s" % (unquote(proxy.username), unquote(proxy.password or ""))
                headers["Proxy-Authorization"] = "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")
            self.proxy = (proxy.hostname, proxy.port or 80, headers)

    def connect(self, timeout):
        host, port = (self.proxy[0], self.proxy[1]) if self.proxy else (self.hostname, self.port)
        if self.context:
            conn = _HTTPSConnection(host, port, self.context, self.server_name, timeout)
        else:
            conn = http_client.HTTPConnection(host, port, timeout=timeout)
        if self.proxy:
            conn.set_tunnel(self.hostname, self.port, headers=self.proxy[2])
        return conn


class Response(object):
    """Status and body of one finished exchange."""

    def __init__(self, status, data):
        self.status, self.data = status, data


class Cluster(object):
    """JSON over HTTPS to one API server."""

    def __init__(self, creds):
        self.creds = creds
        self.host = creds.host.rstrip("/")
        self.endpoint = Endpoint(creds)
        self.conn = None
        self.requests = 0
        # A wait reads several sources, each from its own thread: the kept-alive
        # connection serves one request at a time, and the count stays exact.
        self._lock = threading.Lock()

    @classmethod
    def from_params(cls, params):
        return cls(load_credentials(params))

    def _headers(self, content_type=None):
        headers = {"Accept": "application/json", "User-Agent": "edgeai.serving"}
        if content_type:
            headers["Content-Type"] = content_type
        authorization = self.creds.authorization()
        if authorization:
            headers["Authorization"] = authorization
        return headers

    def _path(self, path, query):
        pairs = [(k, v) for k, v in (query or {}).items() if v is not None]
        return self.endpoint.prefix + path + ("?" + urlencode(pairs) if pairs else "")

    def _exchange(self, conn, method, path, body, content_type):
        conn.request(method, path, body=body, headers=self._headers(content_type))
        return conn.getresponse()

    def _fail(self, error):
        if isinstance(error, ssl.SSLError) and not isinstance(error, ssl.SSLEOFError):
            return K8sError("TLS verification of the API server %s failed: %s (set ca_cert to the cluster CA, "
                            "or validate_certs=false only for a test cluster)" % (self.host, error))
        return K8sError("cannot reach the API server %s: %s" % (self.host, error), retryable=True)

    def _send(self, method, path, body, content_type, timeout):
        """One exchange on the kept-alive connection; connection failures become K8sError with status None."""
        with self._lock:
            self.requests += 1
            return self._send_locked(method, path, body, content_type, timeout)

    def _send_locked(self, method, path, body, content_type, timeout):
        for attempt in (0, 1):
            reused = self.conn is not None
            if not reused:
                self.conn = self.endpoint.connect(min(timeout, CONNECT_TIMEOUT))
            try:
                if not reused:
                    self.conn.connect()
                self.conn.sock.settimeout(timeout)
                resp = self._exchange(self.conn, method, path, body, content_type)
                data = resp.read()
                if resp.will_close:
                    self.close()
                return Response(resp.status, data)
            except (http_client.HTTPException, socket.error, ssl.SSLError) as e:
                self.close()
                # The server may close an idle kept-alive connection at any time: one fresh try.
                if not (reused and attempt == 0):
                    raise self._fail(e)

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method, resource, namespace=None, name=None, query=None, body=None,
                content_type="application/json", timeout=30, deadline=None):
        """Send one request; return the decoded JSON body, or None for a 404 of a named object.

        Connection failures are retried until `deadline` (time.monotonic(); default:
        RECONNECT_SECONDS from now): every request we send is safe to repeat.
        """
        path = self._path(resource.path(namespace, name), query)
        data = json.dumps(body).encode("utf-8") if body is not None else None
        deadline = deadline or time.monotonic() + RECONNECT_SECONDS
        delay = 0.2
        while True:
            try:
                resp = self._send(method, path, data, content_type if data else None, timeout)
                if resp.status not in TRANSIENT_STATUS or time.monotonic() + delay > deadline:
                    break
            except K8sError as e:
                if not e.retryable or time.monotonic() + delay > deadline:
                    raise
            time.sleep(delay)
            delay = min(delay * 2, 2.0)
        if resp.status < 300:
            return json.loads(resp.data.decode("utf-8")) if resp.data else {}
        # A missing object (not a missing namespace or API) reads as None.
        details = parse_status(resp.data).get("details") or {}
        if resp.status == 404 and method in ("GET", "DELETE") and name and details.get("name") == name:
            return None
        verb = "list" if method == "GET" and not name else VERBS.get(method, method.lower())
        raise describe(resp.status, resp.data, verb, resource, namespace, name)

    def get(self, resource, namespace, name):
        return self.request("GET", resource, namespace, name)

    def read_text(self, resource, namespace, name, subresource, query=None):
        """A plain-text subresource, such as pods/log."""
        resp = self._send("GET", self._path(resource.path(namespace, name, subresource), query), None, None, 30)
        if resp.status >= 300:
            raise describe(resp.status, resp.data, "get", resource, namespace, name)
        return resp.data.decode("utf-8", "replace")

    def watch(self, resource, namespace, query, timeout):
        """Yield watch events ({'type', 'object'}) until the server ends the stream.

        A 410 Gone arrives as an ERROR event; the caller relists. The stream has a
        connection of its own, closed when the caller stops reading.
        """
        query = dict(query, watch="true", allowWatchBookmarks="true", timeoutSeconds=max(1, int(timeout)))
        path = self._path(resource.path(namespace), query)
        with self._lock:
            self.requests += 1
        conn = self.endpoint.connect(CONNECT_TIMEOUT)
        try:
            try:
                conn.connect()
                conn.sock.settimeout(timeout + 10)
                resp = self._exchange(conn, "GET", path, None, None)
            except (http_client.HTTPException, socket.error, ssl.SSLError) as e:
                raise self._fail(e)
            if resp.status == 410:
                # Some servers refuse a too-old resourceVersion up front rather than in the stream.
                yield {"type": "ERROR", "object": parse_status(resp.read())}
                return
            if resp.status >= 300:
                error = describe(resp.status, resp.read(), "watch", resource, namespace)
                error.retryable = resp.status in TRANSIENT_STATUS
                raise error
            buf = b""
            try:
                while True:
                    chunk = resp.read1(8192)
                    if not chunk:
                        return
                    buf += chunk
                    while b"\n" in buf:
                        line, buf = buf.split(b"\n", 1)
                        if line.strip():
                            yield json.loads(line.decode("utf-8"))
            except (http_client.HTTPException, socket.error, ssl.SSLError, ValueError) as e:
                raise K8sError("watch of %s interrupted: %s" % (resource.plural_group, e), retryable=True)
        finally:
            conn.close()
