# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OpenShift Route: options to spec, TLS rules, readiness and URL."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.edgeai.serving.plugins.module_utils.k8s import resources as res
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.input_checks import dns_label
from ansible_collections.edgeai.serving.plugins.module_utils.kinds.definition import compact, definition_spec
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import InvalidInput
from ansible_collections.edgeai.serving.plugins.module_utils.kinds.kind import KindSpec
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.readiness import (
    FAILED, PENDING, READY, Check, StatusFreshness, Verdict, condition)

HOST = re.compile(r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
# Preferred Service port names when the Service has several and none was chosen.
HTTP_PORT_NAMES = ("http", "https", "rest", "http1", "h2c")


def check_tls(tls):
    term = tls["termination"]
    if term == "none":
        for key in ("certificate", "key", "ca_certificate", "destination_ca_certificate"):
            if tls.get(key):
                raise InvalidInput("tls.%s" % key, "is set but tls.termination is none")
        return None
    policy = tls["insecure_edge_termination_policy"]
    if term == "passthrough":
        if policy == "Allow":
            raise InvalidInput("tls.insecure_edge_termination_policy", "Allow is not valid with passthrough "
                                                                       "termination (use Redirect or None)")
        for key in ("certificate", "key", "ca_certificate", "destination_ca_certificate"):
            if tls.get(key):
                raise InvalidInput("tls.%s" % key, "must not be set with passthrough termination: the pod "
                                                   "terminates TLS")
    if tls.get("destination_ca_certificate") and term != "reencrypt":
        raise InvalidInput("tls.destination_ca_certificate", "only applies to reencrypt termination")
    if bool(tls.get("certificate")) != bool(tls.get("key")):
        raise InvalidInput("tls.key" if tls.get("certificate") else "tls.certificate",
                           "certificate and key must be given together")
    for key in ("certificate", "ca_certificate", "destination_ca_certificate"):
        if tls.get(key) and "-----BEGIN CERTIFICATE-----" not in tls[key]:
            raise InvalidInput("tls.%s" % key, "is not a PEM certificate")
    if tls.get("key") and "PRIVATE KEY-----" not in tls["key"]:
        raise InvalidInput("tls.key", "is not a PEM private key")
    return {
        "termination": term, "insecureEdgeTerminationPolicy": policy,
        "certificate": tls.get("certificate"), "key": tls.get("key"), "caCertificate": tls.get("ca_certificate"),
        "destinationCACertificate": tls.get("destination_ca_certificate"),
    }


def target_port_of(cluster, namespace, service):
    svc = cluster.get(res.SERVICE, namespace, service)
    if svc is None:
        raise InvalidInput("service", "Service %s/%s does not exist, so target_port cannot be taken from it; "
                                      "create it first or set target_port" % (namespace, service))
    ports = (svc.get("spec") or {}).get("ports") or []
    named = [p for p in ports if p.get("name") in HTTP_PORT_NAMES]
    if len(ports) == 1 or named:
        port = (named or ports)[0]
        return port.get("name") or port.get("targetPort") or port["port"]
    raise InvalidInput("target_port", "Service %s/%s has %d ports (%s); choose one" % (
        namespace, service, len(ports), ", ".join(str(p.get("name") or p["port"]) for p in ports)))


def build(params, cluster):
    base_spec = definition_spec(params)
    service = params.get("service")
    if not service and not base_spec.get("to"):
        raise InvalidInput("service", "is required unless definition gives spec.to")
    host, path = params.get("hostname"), params.get("path")
    if host and (len(host) > 253 or not HOST.match(host)):
        raise InvalidInput("hostname", "%r is not a valid DNS name" % host)
    if path and not path.startswith("/"):
        raise InvalidInput("path", "%r must start with /" % path)
    tls = check_tls(params["tls"])
    if path and tls and tls["termination"] == "passthrough":
        raise InvalidInput("path", "passthrough routes cannot have a path: the router cannot read it")
    port = params.get("target_port")
    if service:
        dns_label(service, "service")
        if port is None and not (base_spec.get("port") or {}).get("targetPort"):
            port = target_port_of(cluster, params["namespace"], service)
    if isinstance(port, str) and port.isdigit():
        port = int(port)
    if isinstance(port, int) and not 1 <= port <= 65535:
        raise InvalidInput("target_port", "%d is not within 1..65535" % port)
    return compact({"spec": {
        "to": {"kind": "Service", "name": service, "weight": 100} if service else None,
        "port": {"targetPort": port} if port is not None else None,
        "host": host, "path": path, "tls": tls,
    }})


class RouteAdmitted(Check):
    """Every router that reports on the route has admitted its current host.

    Routers write status.ingress[] per host, so an entry for another host is
    from before a host change and proves nothing. A refusal counts only when
    written after our apply (StatusFreshness): the router may not have seen
    that the rival route is gone.
    """

    resource = res.ROUTE
    description = "Admitted=True for the current host by every router"

    def __init__(self, namespace, name, applied, changed, field_manager):
        super(RouteAdmitted, self).__init__(namespace, name)
        self.fresh = StatusFreshness(applied, changed, field_manager)

    def evaluate(self, view, cluster):
        route = view.get(self.source)
        if route is None:
            return Verdict(FAILED, "%s was deleted while waiting" % self.target)
        host = (route.get("spec") or {}).get("host")
        if not host:
            return Verdict(PENDING, "the platform has not assigned a host yet")
        ingress = (route.get("status") or {}).get("ingress") or []
        current = [i for i in ingress if i.get("host") == host]
        if not current:
            old = sorted(set(i.get("host") for i in ingress))
            return Verdict(PENDING, "no router has admitted host %s yet%s" % (
                host, " (status still names %s)" % ", ".join(old) if old else ""))
        for ing in current:
            cond = condition(None, "Admitted", ing.get("conditions")) or {}
            if cond.get("status") == "False" and self.fresh(route):
                return Verdict(FAILED, "router %s did not admit host %s: %s: %s" % (
                    ing.get("routerName"), host, cond.get("reason"), cond.get("message")))
            if cond.get("status") != "True":
                return Verdict(PENDING, "router %s has not admitted host %s yet%s" % (
                    ing.get("routerName"), host, " (its %s is from before this apply)" % cond.get("reason")
                    if cond.get("status") == "False" else ""))
        return Verdict(READY, "admitted as %s" % host)


def checks(params, applied, changed):
    return [RouteAdmitted(params["namespace"], params["name"], applied, changed, params["field_manager"])]


def summarize(params, obj):
    spec = obj.get("spec") or {}
    host = spec.get("host")
    scheme = "https" if spec.get("tls") else "http"
    return {"host": host, "url": "%s://%s%s" % (scheme, host, spec.get("path") or "") if host else None}


KIND = KindSpec(res.ROUTE, build, checks, secret_paths=[("tls", "key")], summarize=summarize)
