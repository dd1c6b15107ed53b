# -*- coding: utf-8 -*-
# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Matches APPLY_ARG_SPEC in plugins/module_utils/k8s/args.py.
    DOCUMENTATION = r"""
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
  platform:
    platforms: posix
options:
  name:
    description:
      - Name of the object. A DNS label of at most 63 characters.
    type: str
    required: true
  namespace:
    description:
      - Namespace of the object.
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the object by server-side apply. When the object already holds every value sent and
        O(field_manager) owns exactly the fields sent, the apply would change nothing and is not sent.
      - V(absent) deletes it (foreground, so dependents go first) and, with O(wait), waits until it is gone,
        finalizers included.
    type: str
    choices: [present, absent]
    default: present
  definition:
    description:
      - A partial object (C(apiVersion), C(kind), C(metadata), C(spec)) for fields that the options do not cover.
      - Options win over the same fields in O(definition).
    type: dict
  labels:
    description:
      - Labels to set on the object.
    type: dict
    default: {}
  annotations:
    description:
      - Annotations to set on the object.
    type: dict
    default: {}
  field_manager:
    description:
      - The server-side apply field manager. Fields this manager set before and no longer sets are removed.
    type: str
    default: edgeai.serving
  force_conflicts:
    description:
      - Take over fields that another field manager owns. Without it such a conflict fails and names the fields.
    type: bool
    default: false
  wait:
    description:
      - Wait until the object is ready (what ready means is documented per module), or gone with O(state=absent).
      - The wait watches the object; it does not poll. It survives an expired watch and an API server restart.
      - A failure that the controller reports ends the wait at once, with its reason.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait. On timeout the error says what was still missing, the pods' waiting or
        terminated reasons and recent Warning events.
    type: int
    default: 300
notes:
  - Check mode sends the apply or delete with server dry-run, so admission and validation run as for real.
  - C(changed) is true only when the fields this collection manages change; status, resourceVersion and
    managedFields are ignored.
  - The diff shows the object before and after, without status and server metadata, with secrets hidden.
  - The returned C(wait) has C(waited_seconds), C(timeout), C(stages) (each object waited on, what for, the
    outcome and its seconds), C(history) (the readiness messages seen, with their elapsed seconds; these are also
    sent to the module log as progress), C(reconnects) (API server connections lost and re-established) and
    C(relists) (expired watches resumed).
"""
