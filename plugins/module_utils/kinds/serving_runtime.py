# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ServingRuntime: from options, from a shipped YAML plus release info, or copied from a namespace."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json

from ansible.module_utils.six import string_types

from ansible_collections.edgeai.serving.plugins.module_utils.k8s import resources as res
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.input_checks import dns_label
from ansible_collections.edgeai.serving.plugins.module_utils.kinds.definition import compact, definition_spec, merge
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.errors import InvalidInput
from ansible_collections.edgeai.serving.plugins.module_utils.kinds.kind import KindSpec
from ansible_collections.edgeai.serving.plugins.module_utils.k8s.apply import SERVER_METADATA

try:
    import yaml
    YAML_IMPORT_ERROR = None
except ImportError as e:  # pragma: no cover - PyYAML comes with ansible-core on the controller, not always on targets
    YAML_IMPORT_ERROR = e

# What a copy must not carry over from the source object besides what the server writes.
NOT_COPIED = SERVER_METADATA + ("namespace", "ownerReferences", "name")


# Release-info keys that later releases renamed: old key -> (new key, release that renamed it).
RENAMED_IMAGE_KEYS = {"vllm-image": ("vllm-cuda-image", "OpenShift AI 2.19")}


def load_src(path):
    if YAML_IMPORT_ERROR:
        raise InvalidInput("src", "reading a YAML file needs PyYAML on the host that runs the module: %s" % YAML_IMPORT_ERROR)
    try:
        with open(path) as f:
            docs = [d for d in yaml.safe_load_all(f) if d is not None]
    except (IOError, OSError) as e:
        raise InvalidInput("src", "cannot read %s: %s" % (path, e))
    except yaml.YAMLError as e:
        raise InvalidInput("src", "%s is not valid YAML: %s" % (path, e))
    runtimes = [d for d in docs if isinstance(d, dict) and d.get("kind") == "ServingRuntime"]
    if len(runtimes) != 1 or len(docs) != 1:
        kinds = ", ".join(str(d.get("kind")) if isinstance(d, dict) else type(d).__name__ for d in docs) or "nothing"
        raise InvalidInput("src", "%s must hold exactly one ServingRuntime; it holds: %s" % (path, kinds))
    return runtimes[0]


def load_images(release_info):
    """The images map of MicroShift's release-info JSON, given as a path or as the parsed dict."""
    if isinstance(release_info, string_types):
        try:
            with open(release_info) as f:
                release_info = json.load(f)
        except (IOError, OSError) as e:
            raise InvalidInput("release_info", "cannot read %s: %s" % (release_info, e))
        except ValueError as e:
            raise InvalidInput("release_info", "is not valid JSON: %s" % e)
    images = release_info.get("images") if isinstance(release_info, dict) else None
    if not isinstance(images, dict) or not images:
        raise InvalidInput("release_info", "has no 'images' mapping (expected {\"release\": ..., \"images\": {KEY: image}})")
    return images


def substitute_image(runtime, images, image_key):
    """Put the release image in place of the placeholder that equals image_key."""
    if image_key not in images:
        message = "%r is not in release_info images; it has: %s" % (image_key, ", ".join(sorted(images)))
        new_key, release = RENAMED_IMAGE_KEYS.get(image_key, (None, None))
        if new_key in images:
            message += " (%r was renamed %r in %s: use image_key: %s, with a runtime file whose image is %s)" % (
                image_key, new_key, release, new_key, new_key)
        raise InvalidInput("image_key", message)
    containers = (runtime.get("spec") or {}).get("containers") or []
    hits = [c for c in containers if c.get("image") == image_key]
    if not hits:
        raise InvalidInput("image_key", "no container image is the placeholder %r (images: %s)" % (
            image_key, ", ".join(str(c.get("image")) for c in containers) or "none"))
    for c in hits:
        c["image"] = images[image_key]
    return runtime


def copy_runtime(cluster, source):
    ns, name = source.get("namespace"), source.get("name")
    dns_label(ns or "", "copy_from.namespace")
    dns_label(name or "", "copy_from.name")
    obj = cluster.get(res.SERVING_RUNTIME, ns, name)
    if obj is None:
        raise InvalidInput("copy_from", "ServingRuntime %s/%s does not exist" % (ns, name))
    return obj


def strip_server_fields(obj):
    obj = dict(obj)
    obj.pop("status", None)
    meta = dict(obj.get("metadata") or {})
    for key in NOT_COPIED:
        meta.pop(key, None)
    annotations = dict(meta.get("annotations") or {})
    annotations.pop("kubectl.kubernetes.io/last-applied-configuration", None)
    meta["annotations"] = annotations
    obj["metadata"] = meta
    return obj


def build(params, cluster):
    if params.get("src"):
        source = strip_server_fields(load_src(params["src"]))
    elif params.get("copy_from"):
        source = strip_server_fields(copy_runtime(cluster, params["copy_from"]))
    else:
        # definition excludes src and copy_from: starting from its spec lets one path serve every source.
        source = {"spec": copy.deepcopy(definition_spec(params))}
    if params.get("image_key") and not params.get("release_info"):
        raise InvalidInput("image_key", "needs release_info to look the image up in")
    if params.get("release_info"):
        images = load_images(params["release_info"])
        if not params.get("image_key"):
            raise InvalidInput("image_key", "is required with release_info (one of: %s)" % ", ".join(sorted(images)))
        source = substitute_image(source, images, params["image_key"])
    formats = []
    for i, fmt in enumerate(params.get("model_formats") or []):
        formats.append({"name": fmt["name"], "version": fmt.get("version"), "autoSelect": fmt.get("auto_select"),
                        "priority": fmt.get("priority")})
        if fmt.get("priority") is not None and not fmt.get("auto_select"):
            raise InvalidInput("model_formats[%d].priority" % i, "only applies with auto_select: true")
    spec = {
        "supportedModelFormats": formats or None,
        "protocolVersions": params.get("protocol_versions"),
        "multiModel": params.get("multi_model"),
        "disabled": params.get("disabled"),
    }
    if params.get("image"):
        containers = (source.get("spec") or {}).get("containers") or [{"name": "kserve-container"}]
        spec["containers"] = [merge(containers[0], {"image": params["image"]})] + containers[1:]
    result = merge(source, compact({"spec": spec}))
    if not (result.get("spec") or {}).get("containers"):
        raise InvalidInput("image", "a ServingRuntime needs a container: give src, copy_from, definition or image")
    return result


def summarize(params, obj):
    spec = obj.get("spec") or {}
    return {
        "images": [c.get("image") for c in spec.get("containers") or []],
        "model_formats": [f.get("name") for f in spec.get("supportedModelFormats") or []],
    }


KIND = KindSpec(res.SERVING_RUNTIME, build, summarize=summarize)
