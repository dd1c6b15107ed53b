# TEST STAND-IN of the DNF versionlock plugin (edgeai.serving test edge host).
# Implements only `dnf versionlock list` and `dnf versionlock add NAME...` with
# the real list format (NAME-EPOCH:VERSION-RELEASE.*) in
# /etc/dnf/plugins/versionlock.list. It does NOT enforce the locks.
import os

import dnf
import dnf.cli

LOCKLIST = "/etc/dnf/plugins/versionlock.list"


def _read():
    try:
        with open(LOCKLIST) as handle:
            return [line.strip() for line in handle if line.strip() and not line.startswith("#")]
    except OSError:
        return []


class VersionLockCommand(dnf.cli.Command):
    aliases = ("versionlock",)
    summary = "TEST STAND-IN: record version locks"

    @staticmethod
    def set_argparser(parser):
        parser.add_argument("subcommand", nargs="?", default="list")
        parser.add_argument("package", nargs="*")

    def configure(self):
        self.cli.demands.sack_activation = True
        self.cli.demands.available_repos = False

    def run(self):
        entries = _read()
        if self.opts.subcommand == "list":
            for entry in entries:
                print(entry)
            return
        if self.opts.subcommand != "add":
            raise dnf.exceptions.Error("stand-in supports list and add only")
        query = self.base.sack.query().installed()
        for name in self.opts.package:
            pkgs = query.filter(name__glob=name).run()
            if not pkgs:
                raise dnf.exceptions.Error("No package found for: %s" % name)
            for pkg in pkgs:
                entry = "%s-%s:%s-%s.*" % (pkg.name, pkg.epoch, pkg.version, pkg.release)
                if entry not in entries:
                    entries.append(entry)
                    print("Adding versionlock on: %s" % entry)
        os.makedirs(os.path.dirname(LOCKLIST), exist_ok=True)
        with open(LOCKLIST, "w") as handle:
            handle.write("".join(entry + "\n" for entry in entries))


class VersionLock(dnf.Plugin):
    name = "versionlock"

    def __init__(self, base, cli):
        super().__init__(base, cli)
        if cli is not None:
            cli.register_command(VersionLockCommand)
