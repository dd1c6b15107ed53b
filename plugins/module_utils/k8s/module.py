# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one flow every kind module runs: check input, apply or delete, wait, report.

A kind (kinds/kind.py, KindSpec) supplies its resource, the object built
from the options, the readiness checks that follow an apply, the paths that
hold secrets, and what to add to the result.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.edgeai.serving.plugins.module_utils.k8s import apply as k8s_apply
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.input_checks import (
    COMMON_BOUNDS, check_numbers, check_uri, dns_label, lookup)
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.args import kind_argument_spec
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.readiness import Gone
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.runner import run_action
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.wait import Waiter


def run(kind, options, **module_kwargs):
    spec = kind_argument_spec(**options)

    def check(params):
        dns_label(params["name"], "name")
        dns_label(params["namespace"], "namespace")
        check_numbers(spec, params, dict(COMMON_BOUNDS, **kind.bounds))
        for field in kind.uri_fields:
            check_uri(lookup(params, field), field)

    run_action(spec, lambda module, cluster, result: _execute(module, kind, cluster, result), check, **module_kwargs)


def _execute(module, kind, cluster, result):
    """Fill `result` as we go, so a failure still reports what was done."""
    params = module.params
    ns, name = params["namespace"], params["name"]
    if params["state"] == "absent":
        outcome = k8s_apply.delete(cluster, kind.resource, ns, name, module.check_mode)
        checks = [Gone(kind.resource, ns, name)] if outcome.before is not None else []
    else:
        definition = kind.definition(params, cluster)
        outcome = k8s_apply.apply(cluster, kind.resource, definition, params["field_manager"],
                                  params["force_conflicts"], module.check_mode)
        checks = kind.checks(params, outcome.after, outcome.changed) if kind.checks else []
    result["changed"] = outcome.changed
    result["result"] = k8s_apply.redact(outcome.after, kind.secret_paths) or {}
    if module._diff:
        result["diff"] = outcome.diff(kind.secret_paths)
    if params["wait"] and checks and not module.check_mode:
        waiter = Waiter(cluster, params["wait_timeout"], progress=module.log)
        # The object our request returned starts the watch: no list of it.
        seeds = dict((c.source.key, outcome.latest) for c in checks if outcome.latest is not None)
        result["wait"] = waiter.run(checks, seeds)
        final = waiter.view.get(checks[0].source)
        if final is not None:
            result["result"] = k8s_apply.redact(final, kind.secret_paths)
    if kind.summarize and result["result"]:
        result.update(kind.summarize(params, result["result"]))
    result["api_requests"] = cluster.requests
