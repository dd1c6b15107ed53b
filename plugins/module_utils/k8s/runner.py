# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The frame of a cluster module that is not a kind module: arguments, connection, errors, exit."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import traceback

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.args import AUTH_ARG_SPEC
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.client import Cluster
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import InvalidInput, K8sError
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.kubeconfig import KubeconfigModule


class ActionFailed(Exception):
    """A failure that still has a result to report."""

    def __init__(self, message, result):
        super(ActionFailed, self).__init__(message)
        self.result = result


def run_action(options, action):
    """Build the module from the auth options plus `options`; exit with action(module, cluster)."""
    spec = dict(AUTH_ARG_SPEC)
    spec.update(options)
    module = KubeconfigModule(argument_spec=spec, supports_check_mode=True)
    cluster = None
    try:
        cluster = Cluster.from_params(module.params)
        result = action(module, cluster)
    except InvalidInput as e:
        module.fail_json(msg="invalid input: %s" % e, changed=False)
    except ActionFailed as e:
        module.fail_json(msg=str(e), api_requests=cluster.requests, **e.result)
    except K8sError as e:
        module.fail_json(msg=str(e), changed=False)
    except Exception as e:  # noqa: BLE001 - report, with the trace, rather than crash
        module.fail_json(msg="unexpected error: %s" % e, exception=traceback.format_exc(), changed=False)
    result["api_requests"] = cluster.requests
    module.exit_json(**result)
