"""`journeyql fmt`: rewrite specs in the one canonical layout (comments are kept)."""

from __future__ import annotations

import sys

from . import common

HELP = "format specs in the one canonical layout"
DESCRIPTION = "Rewrite specs in the canonical layout; comments are kept."


def add_arguments(parser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="spec files or directories (default: .)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file needs formatting")
    parser.add_argument("--diff", action="store_true", help="change nothing; print the changes as a unified diff")


def run(args) -> int:
    import difflib

    from ..diagnostics.views import as_human
    from ..host.output import write_atomic
    from ..language.formatter import format_syntax
    from ..language.syntax import parse_syntax
    from ..workspace import UsageError, discover

    try:
        workspaces = discover(args.paths)
    except UsageError as error:
        return common.usage_error(str(error))
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
                    changed -= 1  # not reformatted after all
                    failed += 1
                    continue
                print(f"reformatted {source.path}")
    if problems:
        sys.stderr.write(as_human(problems, failed, sources, common.color(sys.stderr)))
    verb = "would be reformatted" if (args.check or args.diff) else "reformatted"
    print(f"{changed} file{'s' if changed != 1 else ''} {verb}, {unchanged} unchanged"
          + (f", {failed} not formatted because of errors" if failed else ""), file=sys.stderr)
    if failed or problems:
        return common.EXIT_FINDINGS
    return common.EXIT_FINDINGS if changed and (args.check or args.diff) else common.EXIT_CLEAN
