"""Make this checkout importable as ansible_collections.edgeai.serving for every test."""

import hashlib
import os
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _collections_root():
    # One root per checkout, so clones and worktrees tested at once do not repoint each other's link.
    tag = hashlib.sha256(REPO.encode()).hexdigest()[:8]
    root = os.path.join(tempfile.gettempdir(), "edgeai-serving-collections-%d-%s" % (os.getuid(), tag))
    link = os.path.join(root, "ansible_collections", "edgeai", "serving")
    os.makedirs(os.path.dirname(link), exist_ok=True)
    if os.path.realpath(link) != REPO:
        tmp = link + ".%d" % os.getpid()
        os.symlink(REPO, tmp)
        os.replace(tmp, link)
    return root


COLLECTIONS_ROOT = _collections_root()
if COLLECTIONS_ROOT not in sys.path:
    sys.path.insert(0, COLLECTIONS_ROOT)
os.environ["ANSIBLE_COLLECTIONS_PATH"] = COLLECTIONS_ROOT
