# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Credentials from module options, K8S_AUTH_* variables and kubeconfig, read without the kubernetes package.

Importing `kubernetes` costs about 0.4 s per task, so static kubeconfig fields
(token, tokenFile, client certificate and key as files or data, CA, basic auth,
insecure-skip-tls-verify, proxy-url, tls-server-name) are read here. The
package is imported only for what needs its code: exec and auth-provider
plugins, and the in-cluster ServiceAccount.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import copy
import os

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import K8sError

try:
    import yaml
    HAS_YAML = True
except ImportError:  # pragma: no cover - reported when a kubeconfig file is read
    HAS_YAML = False

SERVICE_ACCOUNT_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token"
# Fields of a kubeconfig user that are credentials, masked in all module output.
SECRET_USER_FIELDS = ("token", "password", "client-key-data")


class Credentials(object):
    """Where and how to reach one API server; data fields hold PEM bytes, file fields paths."""

    def __init__(self, host=None):
        self.host = host
        self.verify = True
        self.ca_file = self.ca_data = None
        self.cert_file = self.cert_data = self.key_file = self.key_data = None
        self.token = None
        self.username = self.password = None
        self.proxy = None
        self.tls_server_name = None
        # For plugin-based credentials: returns the current Authorization header value.
        self.refresh = None

    def authorization(self):
        """The Authorization header value, or None."""
        if self.refresh:
            return self.refresh()
        if self.token:
            return "Bearer " + self.token
        if self.username and self.password is not None:
            pair = ("%s:%s" % (self.username, self.password)).encode("utf-8")
            return "Basic " + base64.b64encode(pair).decode("ascii")
        return None


def kubeconfig_secrets(kubeconfig):
    """Every credential string inside an inline kubeconfig, for AnsibleModule.no_log_values."""
    secrets = set()
    if not isinstance(kubeconfig, dict):
        return secrets
    for entry in kubeconfig.get("users") or []:
        user = (entry or {}).get("user") or {}
        values = [user.get(k) for k in SECRET_USER_FIELDS]
        values += list(((user.get("auth-provider") or {}).get("config") or {}).values())
        values += [(e or {}).get("value") for e in (user.get("exec") or {}).get("env") or []]
        secrets.update(str(v) for v in values if v not in (None, "") and not isinstance(v, bool))
    return secrets


class KubeconfigModule(AnsibleModule):
    """AnsibleModule that masks the credentials of an inline kubeconfig everywhere it logs or returns."""

    def _load_params(self):
        # AnsibleModule.__init__ reads the input here, before validating, logging or returning anything
        # (a validation error returns the invocation too), so every output is masked.
        super(KubeconfigModule, self)._load_params()
        self.no_log_values.update(kubeconfig_secrets(self.params.get("kubeconfig")))


def _named(items, name, what):
    for item in items or []:
        if (item or {}).get("name") == name:
            return item.get(what) or {}
    return None


def _path(value, base):
    value = os.path.expanduser(value)
    return value if os.path.isabs(value) else os.path.join(base, value)


def _decode(data, field):
    try:
        return base64.b64decode(data, validate=True)
    except (TypeError, ValueError):
        raise K8sError("kubeconfig: %s is not valid base64" % field)


def read_kubeconfig(path):
    """A kubeconfig file as a dict, with an error that names the file."""
    if not HAS_YAML:
        raise K8sError(missing_required_lib("PyYAML"))
    try:
        with open(os.path.expanduser(path)) as f:
            loaded = yaml.safe_load(f)
    except (IOError, OSError) as e:
        raise K8sError("cannot read the kubeconfig %s: %s" % (path, e))
    except yaml.YAMLError as e:
        raise K8sError("the kubeconfig %s is not valid YAML: %s" % (path, e))
    if not isinstance(loaded, dict):
        raise K8sError("the kubeconfig %s is not a kubeconfig (no mapping at the top)" % path)
    return loaded


def merge_kubeconfigs(paths):
    """$KUBECONFIG with several files, as kubectl merges them: the first file to set a name or current-context wins."""
    merged = {}
    for path in paths:
        if not os.path.exists(os.path.expanduser(path)):
            continue
        loaded = read_kubeconfig(path)
        base = os.path.dirname(os.path.abspath(os.path.expanduser(path)))
        if not merged.get("current-context"):
            merged["current-context"] = loaded.get("current-context")
        for section in ("clusters", "users", "contexts"):
            known = set(item.get("name") for item in merged.get(section, []))
            for item in loaded.get(section) or []:
                if item.get("name") not in known:
                    # Relative paths belong to the file they came from.
                    merged.setdefault(section, []).append(dict(item, _base=base))
    if not merged:
        raise K8sError("no kubeconfig found at %s: set kubeconfig or host" % ":".join(paths))
    return merged


def from_kubeconfig(config, context_name, base):
    """Credentials for one context of a kubeconfig dict; `base` resolves relative paths."""
    context_name = context_name or config.get("current-context")
    contexts = config.get("contexts") or []
    if not context_name:
        raise K8sError("kubeconfig: no context given and no current-context set")
    context = _named(contexts, context_name, "context")
    if context is None:
        raise K8sError("kubeconfig: context %r not found (contexts: %s)" % (
            context_name, ", ".join(str(c.get("name")) for c in contexts) or "none"))
    cluster_entry = [c for c in config.get("clusters") or [] if c.get("name") == context.get("cluster")]
    if not cluster_entry:
        raise K8sError("kubeconfig: cluster %r of context %r not found" % (context.get("cluster"), context_name))
    cluster = cluster_entry[0].get("cluster") or {}
    base = cluster_entry[0].get("_base", base)
    if not cluster.get("server"):
        raise K8sError("kubeconfig: cluster %r has no server" % context.get("cluster"))
    user_entry = [u for u in config.get("users") or [] if u.get("name") == context.get("user")]
    if context.get("user") and not user_entry:
        raise K8sError("kubeconfig: user %r of context %r not found" % (context.get("user"), context_name))
    user = (user_entry[0].get("user") or {}) if user_entry else {}
    if user.get("exec") or user.get("auth-provider"):
        return _from_kubernetes_package(config, context_name, user_entry[0].get("_base", base))

    creds = Credentials(cluster["server"])
    creds.verify = not cluster.get("insecure-skip-tls-verify", False)
    if cluster.get("certificate-authority-data"):
        creds.ca_data = _decode(cluster["certificate-authority-data"], "certificate-authority-data")
    elif cluster.get("certificate-authority"):
        creds.ca_file = _path(cluster["certificate-authority"], base)
    creds.proxy = cluster.get("proxy-url")
    creds.tls_server_name = cluster.get("tls-server-name")

    base = user_entry[0].get("_base", base) if user_entry else base
    if user.get("client-certificate-data"):
        creds.cert_data = _decode(user["client-certificate-data"], "client-certificate-data")
    elif user.get("client-certificate"):
        creds.cert_file = _path(user["client-certificate"], base)
    if user.get("client-key-data"):
        creds.key_data = _decode(user["client-key-data"], "client-key-data")
    elif user.get("client-key"):
        creds.key_file = _path(user["client-key"], base)
    if user.get("token"):
        creds.token = user["token"]
    elif user.get("tokenFile"):
        path = _path(user["tokenFile"], base)
        try:
            with open(path) as f:
                creds.token = f.read().strip()
        except (IOError, OSError) as e:
            raise K8sError("kubeconfig: cannot read tokenFile of user %r: %s" % (context.get("user"), e))
    creds.username, creds.password = user.get("username"), user.get("password")
    return creds


def _kubernetes_package():
    try:
        from kubernetes import client, config
    except ImportError:
        raise K8sError(missing_required_lib("kubernetes") + " (needed for exec and auth-provider kubeconfig "
                       "users and for the in-cluster ServiceAccount)")
    return client, config


def _from_configuration(cfg):
    """Credentials from a kubernetes.client.Configuration that the package filled in."""
    creds = Credentials(cfg.host)
    creds.verify = cfg.verify_ssl
    creds.ca_file, creds.cert_file, creds.key_file = cfg.ssl_ca_cert, cfg.cert_file, cfg.key_file
    creds.proxy = cfg.proxy
    creds.tls_server_name = getattr(cfg, "tls_server_name", None)

    def refresh():
        # Plugins' tokens expire; the hook fetches a new one when needed.
        if cfg.refresh_api_key_hook:
            cfg.refresh_api_key_hook(cfg)
        return (cfg.auth_settings().get("BearerToken") or {}).get("value")
    creds.refresh = refresh
    return creds


def _from_kubernetes_package(config, context_name, base):
    client, k8s_config = _kubernetes_package()
    cfg = client.Configuration()
    clean = copy.deepcopy(config)
    for section in ("clusters", "users", "contexts"):
        for item in clean.get(section) or []:
            item.pop("_base", None)
    try:
        # The loader, rather than load_kube_config_from_dict, takes the folder relative paths start from.
        k8s_config.kube_config.KubeConfigLoader(config_dict=clean, active_context=context_name,
                                                config_base_path=base).load_and_set(cfg)
    except (k8s_config.ConfigException, IOError, OSError) as e:
        raise K8sError("kubeconfig: cannot load credentials of context %r: %s" % (context_name, e))
    return _from_configuration(cfg)


def in_cluster():
    """The pod's ServiceAccount, or None when not running in a pod with one."""
    if not (os.environ.get("KUBERNETES_SERVICE_HOST") and os.path.exists(SERVICE_ACCOUNT_TOKEN)):
        return None
    client, k8s_config = _kubernetes_package()
    cfg = client.Configuration()
    try:
        k8s_config.load_incluster_config(client_configuration=cfg)
    except k8s_config.ConfigException:
        return None
    return _from_configuration(cfg)


def load_credentials(params):
    """Credentials from module params (kubernetes.core's names; K8S_AUTH_* already applied as fallbacks)."""
    kubeconfig, context = params.get("kubeconfig"), params.get("context")
    if isinstance(kubeconfig, dict):
        creds = from_kubeconfig(kubeconfig, context, os.getcwd())
    elif kubeconfig:
        if not isinstance(kubeconfig, str):
            raise K8sError("kubeconfig must be a file path or a dictionary, not %s" % type(kubeconfig).__name__)
        if os.pathsep in kubeconfig:
            # Several files, as in $KUBECONFIG; kubernetes.core accepts that too.
            creds = from_kubeconfig(merge_kubeconfigs(kubeconfig.split(os.pathsep)), context, None)
        else:
            path = os.path.abspath(os.path.expanduser(kubeconfig))
            creds = from_kubeconfig(read_kubeconfig(path), context, os.path.dirname(path))
    elif params.get("host"):
        creds = Credentials()
    else:
        creds = in_cluster()
        if creds is None:
            paths = os.environ.get("KUBECONFIG") or "~/.kube/config"
            creds = from_kubeconfig(merge_kubeconfigs([p for p in paths.split(os.pathsep) if p]), context, None)
    if params.get("host"):
        creds.host = params["host"]
    if params.get("ca_cert"):
        creds.ca_file, creds.ca_data = params["ca_cert"], None
    if params.get("client_cert"):
        creds.cert_file, creds.cert_data = params["client_cert"], None
    if params.get("client_key"):
        creds.key_file, creds.key_data = params["client_key"], None
    if params.get("proxy"):
        creds.proxy = params["proxy"]
    if params.get("api_key"):
        # Replaces whatever the kubeconfig authenticates with, plugins included.
        creds.token, creds.refresh, creds.username = params["api_key"], None, None
    if params.get("validate_certs") is not None:
        creds.verify = params["validate_certs"]
    if not creds.host:
        raise K8sError("no API server: set host or kubeconfig (or K8S_AUTH_HOST / K8S_AUTH_KUBECONFIG)")
    for what, path in (("ca_cert", creds.ca_file), ("client_cert", creds.cert_file),
                       ("client_key", creds.key_file)):
        if path and not os.path.isfile(path):
            raise K8sError("%s: file not found: %s" % (what, path))
    if bool(creds.cert_file or creds.cert_data) != bool(creds.key_file or creds.key_data):
        raise K8sError("a client certificate needs its key, and a key its certificate "
                       "(client_cert/client_key or client-certificate/client-key in the kubeconfig)")
    return creds
