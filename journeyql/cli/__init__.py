"""The ``journeyql`` command line.

One module per command (``check.py``, ``fmt.py``, ``render.py``, ``build.py``, ...), each with its
``HELP``, ``DESCRIPTION``, ``add_arguments(parser)`` and ``run(args) -> int``; ``common.py`` holds
what they share. Building the argument parser imports only those small modules (standard library
at import time): each command imports what it needs when it runs, so ``journeyql check`` on a
small spec starts fast and ``--help`` loads no plugin and no model.

Exit codes everywhere: 0 clean, 1 findings (or files that need formatting),
2 usage or internal error. A traceback is never the answer to bad input: an
unexpected exception is reported in one line (set ``JOURNEYQL_DEBUG=1`` to
see the traceback) and exits 2.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from .common import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE  # noqa: F401 - the exit codes, for callers

#: command -> its module in this package, in the order `journeyql --help` lists them
COMMANDS = {
    "check": "check",
    "fmt": "fmt",
    "render": "render",
    "build": "build",
    "analyze": "analyze",
    "simulate-responses": "simulate",
    "plugins": "plugins",
    "diff": "diff",
    "init": "init",
    "serve": "serve",
    "lsp": "lsp",
    "schema": "schema",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2, like every other usage problem
        self.print_usage(sys.stderr)
        raise _Usage(message)


class _Usage(Exception):
    pass


def command(name: str):
    """The module of command ``name``."""
    return importlib.import_module(f".{COMMANDS[name]}", __name__)


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = _Parser(prog="journeyql", description="Customer journeys as text: check, format and render JourneyQL specs.")
    parser.add_argument("--version", action="version", version=f"journeyql {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        module = command(name)
        options = module.parser_options() if hasattr(module, "parser_options") else {}
        module.add_arguments(commands.add_parser(name, help=module.HELP, description=module.DESCRIPTION, **options))
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return EXIT_USAGE
        return command(args.command).run(args)
    except _Usage as error:
        print(f"journeyql: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("journeyql: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_CLEAN
    except Exception as error:  # the last guard: never a traceback for the user
        from ..extras import MissingExtra

        if isinstance(error, MissingExtra):  # a light install asked for what an extra brings
            print(f"journeyql: error: {error}", file=sys.stderr)
            return EXIT_USAGE
        if os.environ.get("JOURNEYQL_DEBUG"):
            raise
        print(f"journeyql: internal error: {type(error).__name__}: {error} "
              "(this is a bug; set JOURNEYQL_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_USAGE


def console() -> None:
    """The ``journeyql`` console script."""
    # lark imports the optional `regex` and `interegular` modules when they are
    # installed; the CLI needs neither (they serve grammar analysis, which is
    # cached), and skipping them saves a fifth of `journeyql check`'s start-up.
    # Only the console script does this: as a library JourneyQL leaves the
    # host process's modules alone.
    for optional in ("regex", "interegular"):
        sys.modules.setdefault(optional, None)  # type: ignore[arg-type]
    sys.exit(main())
