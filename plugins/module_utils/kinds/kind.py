# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What differs between the kinds the collection manages; k8s/module.py runs the rest."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.edgeai.serving.plugins.module_utils.kinds.definition import base_object, merge


class KindSpec(object):
    """What differs between kinds; everything else is shared."""

    def __init__(self, resource, build, checks=None, secret_paths=(), summarize=None, stamp=None, bounds=None,
                 uri_fields=()):
        self.resource = resource
        # build(params, cluster) -> the spec-level fields merged over base_object.
        self.build = build
        # checks(params, applied, changed) -> readiness checks for the object our apply returned.
        self.checks = checks
        self.secret_paths = tuple(("spec",) + tuple(p) for p in secret_paths)
        # summarize(params, obj) -> extra result keys.
        self.summarize = summarize
        # stamp(definition) -> the definition with what the checks need to recognise it (a spec hash).
        self.stamp = stamp
        # Int options whose bounds are not the default 0..int32 max, by option path ("a.b", "list[].c").
        self.bounds = bounds or {}
        # Options holding URIs, checked for whitespace and control characters.
        self.uri_fields = ("host", "proxy") + tuple(uri_fields)

    def definition(self, params, cluster):
        """The object to apply: the definition option under the module options, then stamped."""
        definition = merge(base_object(self.resource, params), self.build(params, cluster))
        return self.stamp(definition) if self.stamp else definition
