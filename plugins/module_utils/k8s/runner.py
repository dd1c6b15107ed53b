# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The frame of a cluster module that is not a kind module: arguments, connection, errors, exit."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import traceback

from ansible_collections.edgeai.serving.plugins.module_utils.k8s.client import Cluster
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import InvalidInput, K8sError
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.kubeconfig import KubeconfigModule
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.wait import WaitFailed


def run_action(argument_spec, action, check=None, **module_kwargs):
    """Build the module; exit with what action(module, cluster, result) put in `result`.

    `check(params)` runs before any credential is loaded. The action fills
    `result` as it goes, so a failure still reports what was done.
    """
    module = KubeconfigModule(argument_spec=argument_spec, supports_check_mode=True, **module_kwargs)
    result = {"changed": False}
    try:
        if check:
            check(module.params)
        action(module, Cluster.from_params(module.params), result)
    except InvalidInput as e:
        module.fail_json(msg="invalid input: %s" % e, **result)
    except WaitFailed as e:
        result["wait"] = e.result
        module.fail_json(msg=str(e), **result)
    except K8sError as e:
        module.fail_json(msg=str(e), **result)
    except Exception as e:  # noqa: BLE001 - report, with the trace, rather than crash
        module.fail_json(msg="unexpected error: %s" % e, exception=traceback.format_exc(), **result)
    module.exit_json(**result)
