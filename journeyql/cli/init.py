"""`journeyql init DIR`: create a starter workspace (the files are journeyql.tools.starter's)."""

from __future__ import annotations

HELP = "create a starter workspace"
DESCRIPTION = ("Create a starter workspace in DIR (created if missing): journeyql.toml and three specs that pass "
               "`journeyql check --strict` and build. Existing files are never overwritten: if any of them is "
               "there, nothing is written and the exit code is 2.")


def add_arguments(parser) -> None:
    """Set up ``parser`` (an argparse parser) for ``journeyql init``."""
    if not parser.description:
        parser.description = DESCRIPTION
    parser.add_argument("directory", metavar="DIR", help="where to create the workspace (created if missing)")


def run(args) -> int:
    from ..tools.starter import run

    return run(args)
