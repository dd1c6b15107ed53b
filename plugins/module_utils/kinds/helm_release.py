# Copyright: (c) 2026, edgeai.serving contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a Helm-based operator has deployed: its release records (Secrets of type helm.sh/release.v1)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import gzip
import json

GZIP_MAGIC = b"\x1f\x8b"


def selector(release):
    return "owner=helm,name=%s" % release


def decode(secret):
    """The release JSON: the Secret's data is base64 of Helm's own base64 of gzipped JSON."""
    raw = base64.b64decode(base64.b64decode((secret.get("data") or {}).get("release") or ""))
    if raw[:2] == GZIP_MAGIC:
        raw = gzip.decompress(raw)
    return json.loads(raw.decode("utf-8"))


def deployed(secrets):
    """The release record with status deployed and the highest version, decoded, or None."""
    records = [s for s in secrets if (s["metadata"].get("labels") or {}).get("status") == "deployed"]
    if not records:
        return None
    latest = max(records, key=lambda s: int((s["metadata"].get("labels") or {}).get("version") or 0))
    return decode(latest)
