# Stand-in for get-pip.py, which ansible-test downloads from a host this
# machine cannot reach: bootstrap pip with ensurepip, then run "pip install"
# with the arguments ansible-test passes.
import ensurepip
import importlib
import sys

ensurepip.bootstrap()
importlib.invalidate_caches()
from pip._internal.cli.main import main  # noqa: E402  pylint: disable=wrong-import-position

# get-pip.py's own flags, not pip's; ensurepip already decided those.
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
# ansible-test runs this with a filtered environment: name the system CA bundle.
sys.exit(main(["install", "--cert", "/etc/ssl/certs/ca-certificates.crt"] + args))
