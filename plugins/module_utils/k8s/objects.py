# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read any kind: find its REST path by discovery, then get one object or list them."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.args import AUTH_ARG_SPEC
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import InvalidInput
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.resources import Resource
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.runner import run_action


class GroupVersion(Resource):
    """The discovery document of one API group version (/api/v1, /apis/<group>/<version>)."""

    def __init__(self, api_version):
        super(GroupVersion, self).__init__(api_version, "APIResourceList", "")

    @property
    def plural_group(self):
        return self.api_version

    def path(self, namespace=None, name=None, subresource=None):
        return "/apis/%s" % self.api_version if self.group else "/api/%s" % self.api_version


def find_resource(discovery, api_version, kind):
    """(Resource, namespaced) for `kind` in a discovery document; subresources are skipped."""
    for entry in discovery.get("resources") or []:
        if entry.get("kind") == kind and "/" not in entry.get("name", ""):
            return Resource(api_version, kind, entry["name"]), bool(entry.get("namespaced"))
    known = sorted(set(e.get("kind") for e in discovery.get("resources") or [] if "/" not in e.get("name", "")))
    raise InvalidInput("kind", "the cluster serves no kind %s in %s; it serves: %s" % (kind, api_version, ", ".join(known)))


def selector(items):
    """A label or field selector from a list of terms (None when empty)."""
    return ",".join(items) if items else None


def read(cluster, api_version, kind, namespace=None, name=None, label_selectors=None, field_selectors=None):
    """The matching objects (a list, empty when none); a cluster-scoped kind ignores the namespace."""
    discovery = cluster.request("GET", GroupVersion(api_version))
    resource, namespaced = find_resource(discovery, api_version, kind)
    namespace = namespace if namespaced else None
    if name:
        obj = cluster.get(resource, namespace, name)
        return [obj] if obj is not None else []
    listing = cluster.request("GET", resource, namespace, query={
        "labelSelector": selector(label_selectors), "fieldSelector": selector(field_selectors)})
    for item in listing.get("items") or []:
        # List items omit these; callers compare kinds.
        item.setdefault("apiVersion", api_version)
        item.setdefault("kind", kind)
    return listing.get("items") or []


def run_info(options):
    """The k8s_info module: read-only, so check mode reads too."""
    def action(module, cluster, result):
        p = module.params
        result["resources"] = read(cluster, p["api_version"], p["kind"], p["namespace"], p["name"],
                                   p["label_selectors"], p["field_selectors"])
        result["api_requests"] = cluster.requests
    run_action(dict(AUTH_ARG_SPEC, **options), action)
