"""The ``journeyql`` command line.

Exit codes everywhere: 0 clean, 1 findings (or files that need formatting),
2 usage or internal error. Imports are lazy so ``journeyql check`` on a
small spec starts fast. A traceback is never the answer to bad input: an
unexpected exception is reported in one line (set ``JOURNEYQL_DEBUG=1`` to
see the traceback) and exits 2.
"""

from __future__ import annotations

import argparse
import os
import sys

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2, like every other usage problem
        self.print_usage(sys.stderr)
        raise _Usage(message)


class _Usage(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = _Parser(prog="journeyql", description="Customer journeys as text: check, format and render JourneyQL specs.")
    parser.add_argument("--version", action="version", version=f"journeyql {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser("check", help="validate specs and report diagnostics",
                                description="Validate specs: syntax, names, and the method's rules.")
    check.add_argument("paths", nargs="*", metavar="PATH", help="spec files or workspace directories (default: .)")
    check.add_argument("--format", choices=("human", "concise", "json", "github", "sarif"), default="human",
                       help="how to print the diagnostics (default: human)")
    check.add_argument("--strict", action="store_true", help="warnings fail the check too")
    check.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of standard output")

    fmt = commands.add_parser("fmt", help="format specs in the one canonical layout",
                              description="Rewrite specs in the canonical layout; comments are kept.")
    fmt.add_argument("paths", nargs="*", metavar="PATH", help="spec files or directories (default: .)")
    fmt.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file needs formatting")
    fmt.add_argument("--diff", action="store_true", help="change nothing; print the changes as a unified diff")

    schema = commands.add_parser("schema", help="print the JSON Schema of the model",
                                 description="Print the JSON Schema of the resolved workspace model.")
    schema.add_argument("--indent", type=int, default=2, help="indentation (default: 2)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return EXIT_USAGE
        handler = {"check": cmd_check, "fmt": cmd_fmt, "schema": cmd_schema}[args.command]
        return handler(args)
    except _Usage as error:
        print(f"journeyql: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("journeyql: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_CLEAN
    except Exception as error:  # the last guard: never a traceback for the user
        if os.environ.get("JOURNEYQL_DEBUG"):
            raise
        print(f"journeyql: internal error: {type(error).__name__}: {error} "
              "(this is a bug; set JOURNEYQL_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_USAGE


def _usage_error(message: str) -> int:
    print(f"journeyql: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _color(stream) -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("CI"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def cmd_check(args) -> int:
    from .diagnostics import Severity
    from .report import render
    from .workspace import UsageError, analyse, discover

    try:
        workspaces = discover(args.paths)
    except UsageError as error:
        return _usage_error(str(error))
    diagnostics = []
    sources: dict[str, str] = {}
    files = 0
    for ws in workspaces:
        analysis = analyse(ws)
        diagnostics.extend(analysis.diagnostics)
        files += len(ws.sources)
        for source in ws.sources:
            if source.text is not None:
                sources[source.path] = source.text
    text = render(args.format, diagnostics, files, sources, color=args.output is None and _color(sys.stdout))
    if args.output:
        from .output import write_atomic

        try:
            write_atomic(args.output, text.encode("utf-8"))
        except OSError as error:
            return _usage_error(f"cannot write {args.output}: {error.strerror}")
    else:
        sys.stdout.write(text)
    failing = {Severity.ERROR, Severity.WARNING} if args.strict else {Severity.ERROR}
    return EXIT_FINDINGS if any(d.severity in failing for d in diagnostics) else EXIT_CLEAN


def cmd_fmt(args) -> int:
    import difflib

    from .formatter import format_syntax
    from .output import write_atomic
    from .report import as_human
    from .syntax import parse_syntax
    from .workspace import UsageError, discover

    try:
        workspaces = discover(args.paths)
    except UsageError as error:
        return _usage_error(str(error))
    changed = unchanged = failed = 0
    problems = []
    sources: dict[str, str] = {}
    for ws in workspaces:
        problems.extend(d for d in ws.diagnostics if d.code == "JQL006")
        for source in ws.sources:
            if source.text is None:
                problems.extend(source.diagnostics)
                failed += 1
                continue
            syntax = parse_syntax(source.text, source.path)
            if not syntax.ok:
                problems.extend(syntax.diagnostics)
                sources[source.path] = source.text
                failed += 1
                continue
            formatted = format_syntax(syntax)
            if formatted == source.text:
                unchanged += 1
                continue
            changed += 1
            if args.diff:
                sys.stdout.writelines(difflib.unified_diff(
                    source.text.splitlines(keepends=True), formatted.splitlines(keepends=True),
                    fromfile=f"{source.path} (original)", tofile=f"{source.path} (formatted)"))
            elif args.check:
                print(f"would reformat {source.path}")
            else:
                try:
                    write_atomic(source.path, formatted.encode("utf-8"))
                except OSError as error:
                    print(f"journeyql: cannot write {source.path}: {error.strerror}", file=sys.stderr)
                    failed += 1
                    continue
                print(f"reformatted {source.path}")
    if problems:
        sys.stderr.write(as_human(problems, failed, sources, _color(sys.stderr)))
    verb = "would be reformatted" if (args.check or args.diff) else "reformatted"
    print(f"{changed} file{'s' if changed != 1 else ''} {verb}, {unchanged} unchanged"
          + (f", {failed} not formatted because of errors" if failed else ""), file=sys.stderr)
    if failed or problems:
        return EXIT_FINDINGS
    return EXIT_FINDINGS if changed and (args.check or args.diff) else EXIT_CLEAN


def cmd_schema(args) -> int:
    import json

    from .model import Workspace

    schema = Workspace.model_json_schema()
    sys.stdout.write(json.dumps(schema, indent=args.indent, sort_keys=True, ensure_ascii=False) + "\n")
    return EXIT_CLEAN


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


if __name__ == "__main__":  # pragma: no cover
    console()
