# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The kinds this collection manages or reads, with their REST paths.

Known kinds need no API discovery: one request less than a dynamic client,
and no discovery cache to go stale.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class Resource(object):
    def __init__(self, api_version, kind, plural):
        self.api_version = api_version
        self.kind = kind
        self.plural = plural
        self.group = api_version.rpartition("/")[0]

    @property
    def plural_group(self):
        return "%s.%s" % (self.plural, self.group) if self.group else self.plural

    def path(self, namespace=None, name=None, subresource=None):
        base = "/apis/%s" % self.api_version if self.group else "/api/%s" % self.api_version
        if namespace:
            base += "/namespaces/%s" % namespace
        base += "/" + self.plural
        if name:
            base += "/" + name
        if subresource:
            base += "/" + subresource
        return base


MODEL_SERVER = Resource("intel.com/v1alpha1", "ModelServer", "modelservers")
SERVING_RUNTIME = Resource("serving.kserve.io/v1alpha1", "ServingRuntime", "servingruntimes")
INFERENCE_SERVICE = Resource("serving.kserve.io/v1beta1", "InferenceService", "inferenceservices")
ROUTE = Resource("route.openshift.io/v1", "Route", "routes")
DEPLOYMENT = Resource("apps/v1", "Deployment", "deployments")
SERVICE = Resource("v1", "Service", "services")
POD = Resource("v1", "Pod", "pods")
EVENT = Resource("v1", "Event", "events")
REPLICA_SET = Resource("apps/v1", "ReplicaSet", "replicasets")
NODE = Resource("v1", "Node", "nodes")
SECRET = Resource("v1", "Secret", "secrets")
