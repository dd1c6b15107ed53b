# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn Kubernetes API failures into one readable sentence.

Users see the server's message plus each field cause, never raw Status JSON.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

# Which product serves each API group, for the "CRD missing" message.
CRD_HINTS = {
    "serving.kserve.io": "KServe (on MicroShift: the microshift-ai-model-serving RPM)",
    "intel.com": "the OpenVINO operator (ModelServer CRD)",
    "route.openshift.io": "the OpenShift Route API (built into OpenShift and MicroShift)",
}


class K8sError(Exception):
    """A failure already phrased for the user.

    `status` is the HTTP code when there was one; `retryable` marks a lost
    connection, which a request that is safe to repeat may retry.
    """

    def __init__(self, message, status=None, retryable=False):
        super(K8sError, self).__init__(message)
        self.status = status
        self.retryable = retryable


class InvalidInput(Exception):
    """Bad module input, found before anything is sent; names the field."""

    def __init__(self, field, message):
        super(InvalidInput, self).__init__("%s: %s" % (field, message))
        self.field = field


def parse_status(body):
    """The Status object of an error body, or {} when the body is not one."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    try:
        status = json.loads(body) if body else {}
    except ValueError:
        return {"message": body.strip()[:500]} if body else {}
    return status if isinstance(status, dict) else {}


def describe(code, body, verb, resource, namespace=None, name=None):
    """Build a K8sError for an HTTP failure of `verb` on `resource` (a Resource)."""
    status = parse_status(body)
    message = status.get("message") or "HTTP %s" % code
    details = status.get("details") or {}
    causes = details.get("causes") or []
    where = "in namespace %s" % namespace if namespace else "at cluster scope"
    target = "%s %s" % (resource.kind, "%s/%s" % (namespace, name) if namespace and name else name or "")
    if code == 403:
        text = "forbidden: the credentials in use may not %s %s %s (RBAC): %s" % (
            verb, resource.plural_group, where, message)
    elif code == 401:
        text = "unauthorized: the API server rejected the credentials (check token, client certificate or kubeconfig): %s" % message
    elif code == 404 and not details.get("name") and not details.get("kind"):
        text = "the cluster does not serve %s (%s); install %s" % (
            resource.plural_group, resource.api_version, CRD_HINTS.get(resource.group, "its CRD"))
    elif code == 409 and status.get("reason") == "Conflict" and causes:
        text = "%s: field ownership conflict: %s; another manager owns these fields (set force_conflicts=true to take them over)" % (
            target.strip(), message)
    elif causes:
        fields = ["%s: %s" % (c.get("field") or "(object)", c.get("message") or c.get("reason")) for c in causes]
        # The server's message usually repeats the causes; list them once, each on its own.
        text = "%s %s failed (%s): %s" % (verb, target.strip(), status.get("reason") or code, "; ".join(fields))
    else:
        text = "%s %s failed: %s" % (verb, target.strip(), message)
    return K8sError(text, status=code)
