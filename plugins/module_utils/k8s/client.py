# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection to the API server: credentials in, JSON requests and watch streams out.

Credentials come from kubeconfig.load_credentials, which needs the kubernetes
package only for plugin-based credentials; requests go through urllib3 directly,
one keep-alive connection pool per module run.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import shutil
import ssl
import tempfile
import time

from ansible.module_utils.basic import missing_required_lib
from ansible.module_utils.six.moves.urllib.parse import urlencode

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import K8sError, describe, parse_status
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.kubeconfig import load_credentials

try:
    import urllib3
    from urllib3.util.ssl_ import create_urllib3_context
    HAS_URLLIB3 = True
except ImportError:  # pragma: no cover - reported by Cluster.from_params
    HAS_URLLIB3 = False

VERBS = {"GET": "get", "PATCH": "apply", "DELETE": "delete"}
# A restarting API server refuses connections, then answers 503 until its
# routes are installed; requests that are safe to repeat wait this long for it.
RECONNECT_SECONDS = 30
TRANSIENT_STATUS = (429, 502, 503, 504)


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
    ctx = create_urllib3_context()
    if creds.verify:
        ctx.verify_mode = ssl.CERT_REQUIRED
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


def pool_manager(creds):
    """A urllib3 pool for `creds`: direct, through an HTTP(S) proxy, or through a SOCKS proxy."""
    pool_args = dict(ssl_context=ssl_context(creds), maxsize=4)
    if creds.tls_server_name:
        pool_args["server_hostname"] = creds.tls_server_name
    if not creds.verify:
        urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    if not creds.proxy:
        return urllib3.PoolManager(**pool_args)
    proxy = urllib3.util.parse_url(creds.proxy)
    if proxy.scheme and proxy.scheme.startswith("socks"):
        try:
            from urllib3.contrib.socks import SOCKSProxyManager
        except ImportError:
            raise K8sError(missing_required_lib("PySocks") + " (for the SOCKS proxy %s)" % creds.proxy)
        return SOCKSProxyManager(creds.proxy, **pool_args)
    headers = urllib3.util.make_headers(proxy_basic_auth=proxy.auth) if proxy.auth else None
    return urllib3.ProxyManager(creds.proxy, proxy_headers=headers, **pool_args)


class Cluster(object):
    """JSON over HTTPS to one API server."""

    def __init__(self, creds):
        self.creds = creds
        self.host = creds.host.rstrip("/")
        self.pool = pool_manager(creds)
        self.requests = 0

    @classmethod
    def from_params(cls, params):
        if not HAS_URLLIB3:
            raise K8sError(missing_required_lib("urllib3"))
        return cls(load_credentials(params))

    def _headers(self, content_type=None):
        headers = {"Accept": "application/json", "User-Agent": "edgeai.serving"}
        if content_type:
            headers["Content-Type"] = content_type
        authorization = self.creds.authorization()
        if authorization:
            headers["Authorization"] = authorization
        return headers

    def _url(self, path, query):
        pairs = [(k, v) for k, v in (query or {}).items() if v is not None]
        return self.host + path + ("?" + urlencode(pairs) if pairs else "")

    def _send(self, method, url, body, content_type, timeout, stream):
        """One HTTP exchange; connection failures become K8sError with status None."""
        self.requests += 1
        try:
            return self.pool.request(method, url, body=body, headers=self._headers(content_type),
                                     timeout=timeout, preload_content=not stream, retries=False)
        except urllib3.exceptions.SSLError as e:
            raise K8sError("TLS verification of the API server %s failed: %s (set ca_cert to the cluster CA, "
                           "or validate_certs=false only for a test cluster)" % (self.host, e))
        except urllib3.exceptions.HTTPError as e:
            raise K8sError("cannot reach the API server %s: %s" % (self.host, e), retryable=True)

    def request(self, method, resource, namespace=None, name=None, subresource=None, query=None, body=None,
                content_type="application/json", timeout=30, deadline=None):
        """Send one request; return the decoded JSON body, or None for a 404 of a named object.

        Connection failures are retried until `deadline` (default: RECONNECT_SECONDS
        from now): every request we send is safe to repeat.
        """
        url = self._url(resource.path(namespace, name, subresource), query)
        data = json.dumps(body).encode("utf-8") if body is not None else None
        deadline = deadline or time.monotonic() + RECONNECT_SECONDS
        delay = 0.2
        while True:
            try:
                resp = self._send(method, url, data, content_type if data else None, timeout, False)
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
        raise describe(resp.status, resp.data, VERBS.get(method, method.lower()), resource, namespace, name)

    def get(self, resource, namespace, name):
        return self.request("GET", resource, namespace, name)

    def watch(self, resource, namespace, query, timeout):
        """Yield watch events ({'type', 'object'}) until the server ends the stream.

        A 410 Gone arrives as an ERROR event; the caller relists.
        """
        query = dict(query, watch="true", allowWatchBookmarks="true", timeoutSeconds=max(1, int(timeout)))
        url = self._url(resource.path(namespace), query)
        resp = self._send("GET", url, None, None, urllib3.Timeout(connect=10, read=timeout + 10), True)
        try:
            if resp.status == 410:
                # Some servers refuse a too-old resourceVersion up front rather than in the stream.
                yield {"type": "ERROR", "object": parse_status(resp.read())}
                return
            if resp.status >= 300:
                error = describe(resp.status, resp.read(), "watch", resource, namespace)
                error.retryable = resp.status in TRANSIENT_STATUS
                raise error
            buf = b""
            for chunk in resp.stream(8192, decode_content=True):
                buf += chunk
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    if line.strip():
                        yield json.loads(line.decode("utf-8"))
        except (urllib3.exceptions.HTTPError, ValueError) as e:
            raise K8sError("watch of %s interrupted: %s" % (resource.plural_group, e), retryable=True)
        finally:
            resp.release_conn()
