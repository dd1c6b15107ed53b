# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a wait reads: sources (an object by name, or objects by label) and the latest objects seen."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class Source(object):
    """One list-and-watch: a named object, or the objects matching a label selector.

    A source `from_now` starts with a watch instead of a list: what exists
    arrives as its first events, one request instead of two. Only for
    sources whose objects' absence decides nothing, and that will be
    watched anyway.
    """

    def __init__(self, resource, namespace, name=None, selector=None, from_now=False):
        self.resource = resource
        self.namespace = namespace
        self.name = name
        self.selector = selector
        self.from_now = from_now
        self.key = (resource.plural_group, namespace, name, selector)

    def query(self):
        if self.name:
            return {"fieldSelector": "metadata.name=%s" % self.name}
        return {"labelSelector": self.selector}

    def __repr__(self):
        return "%s %s/%s" % (self.resource.kind, self.namespace, self.name or "[%s]" % self.selector)


class View(object):
    """The latest version of every object the sources have delivered."""

    def __init__(self):
        self._objects = {}
        self._synced = set()

    def synced(self, source):
        return source.key in self._synced

    def get(self, source):
        """The named object of `source`, or None (absent, or not listed yet)."""
        return self._objects.get(source.key, {}).get(source.name)

    def items(self, source):
        return list(self._objects.get(source.key, {}).values())

    def replace(self, source, objects):
        self._objects[source.key] = dict((o["metadata"]["name"], o) for o in objects)
        self._synced.add(source.key)

    def update(self, source, kind, obj):
        objects = self._objects.setdefault(source.key, {})
        if kind == "DELETED":
            objects.pop(obj["metadata"]["name"], None)
        else:
            objects[obj["metadata"]["name"]] = obj
