# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection to the API server: credentials in, JSON requests and watch streams out.

The kubernetes library only resolves credentials (kubeconfig, exec plugins,
in-cluster); requests go through urllib3 directly, so they do not depend on
the generated client, which changed shape between library releases.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import time

from ansible.module_utils.six.moves.urllib.parse import urlencode

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import K8sError, describe, parse_status

try:
    import urllib3
    from kubernetes import client as k8s_client
    from kubernetes import config as k8s_config
    from kubernetes.config.config_exception import ConfigException
    HAS_KUBERNETES = True
    KUBERNETES_IMPORT_ERROR = None
except ImportError as e:  # pragma: no cover - reported by the module
    HAS_KUBERNETES = False
    KUBERNETES_IMPORT_ERROR = e

VERBS = {"GET": "get", "PATCH": "apply", "DELETE": "delete"}
# A restarting API server refuses connections, then answers 503 until its
# routes are installed; requests that are safe to repeat wait this long for it.
RECONNECT_SECONDS = 30
TRANSIENT_STATUS = (429, 502, 503, 504)


def load_configuration(params):
    """A kubernetes Configuration from module params (kubernetes.core's names and env vars)."""
    cfg = k8s_client.Configuration()
    kubeconfig, context = params.get("kubeconfig"), params.get("context")
    try:
        if isinstance(kubeconfig, dict):
            k8s_config.load_kube_config_from_dict(kubeconfig, context=context, client_configuration=cfg,
                                                  persist_config=False)
        elif kubeconfig:
            k8s_config.load_kube_config(config_file=kubeconfig, context=context, client_configuration=cfg,
                                        persist_config=False)
        elif not params.get("host"):
            try:
                k8s_config.load_incluster_config(client_configuration=cfg)
            except ConfigException:
                k8s_config.load_kube_config(context=context, client_configuration=cfg, persist_config=False)
    except (ConfigException, IOError, OSError) as e:
        raise K8sError("cannot load the Kubernetes client configuration (kubeconfig/context): %s" % e)
    for option, attribute in (("host", "host"), ("ca_cert", "ssl_ca_cert"), ("client_cert", "cert_file"),
                              ("client_key", "key_file"), ("proxy", "proxy")):
        if params.get(option):
            setattr(cfg, attribute, params[option])
    if params.get("api_key"):
        # Replaces a kubeconfig token, which newer clients keep under "BearerToken"; every
        # client version falls back to "authorization" with its prefix.
        cfg.api_key = {"authorization": params["api_key"]}
        cfg.api_key_prefix = {"authorization": "Bearer"}
        # The kubeconfig's token refresher would put its own token back.
        cfg.refresh_api_key_hook = None
    if params.get("validate_certs") is not None:
        cfg.verify_ssl = params["validate_certs"]
    if not cfg.host or cfg.host == "http://localhost":
        raise K8sError("no API server: set host or kubeconfig (or K8S_AUTH_HOST / K8S_AUTH_KUBECONFIG)")
    return cfg


def bearer_token(cfg):
    """The Authorization header value, refreshed (exec plugins, expiring tokens), in any client version."""
    if cfg.refresh_api_key_hook:
        cfg.refresh_api_key_hook(cfg)
    return (cfg.auth_settings().get("BearerToken") or {}).get("value")


class Cluster(object):
    """JSON over HTTPS to one API server."""

    def __init__(self, cfg):
        self.cfg = cfg
        self.host = cfg.host.rstrip("/")
        pool_args = dict(cert_reqs="CERT_REQUIRED" if cfg.verify_ssl else "CERT_NONE",
                         ca_certs=cfg.ssl_ca_cert, cert_file=cfg.cert_file, key_file=cfg.key_file, maxsize=4)
        if cfg.tls_server_name:
            pool_args["server_hostname"] = cfg.tls_server_name
        if not cfg.verify_ssl:
            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
        if cfg.proxy:
            self.pool = urllib3.ProxyManager(cfg.proxy, proxy_headers=cfg.proxy_headers, **pool_args)
        else:
            self.pool = urllib3.PoolManager(**pool_args)
        self.requests = 0

    @classmethod
    def from_params(cls, params):
        return cls(load_configuration(params))

    def _headers(self, content_type=None):
        headers = {"Accept": "application/json", "User-Agent": "edgeai.serving"}
        if content_type:
            headers["Content-Type"] = content_type
        token = bearer_token(self.cfg)
        if token:
            headers["Authorization"] = token
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
        deadline = deadline or time.time() + RECONNECT_SECONDS
        delay = 0.2
        while True:
            try:
                resp = self._send(method, url, data, content_type if data else None, timeout, False)
                if resp.status not in TRANSIENT_STATUS or time.time() + delay > deadline:
                    break
            except K8sError as e:
                if not e.retryable or time.time() + delay > deadline:
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

    def read_text(self, resource, namespace, name, subresource, query=None):
        """A plain-text subresource, such as pods/log."""
        url = self._url(resource.path(namespace, name, subresource), query)
        resp = self._send("GET", url, None, None, 30, False)
        if resp.status >= 300:
            raise describe(resp.status, resp.data, "get", resource, namespace, name)
        return resp.data.decode("utf-8", "replace")

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
