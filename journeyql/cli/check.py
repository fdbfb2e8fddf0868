"""`journeyql check`: validate specs and report diagnostics."""

from __future__ import annotations

import sys

from . import common

HELP = "validate specs and report diagnostics"
DESCRIPTION = "Validate specs: syntax, names, and the method's rules."


def add_arguments(parser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="spec files or workspace directories (default: .)")
    parser.add_argument("--format", choices=("human", "concise", "json", "github", "sarif"), default="human",
                        help="how to print the diagnostics (default: human)")
    parser.add_argument("--strict", action="store_true", help="warnings fail the check too")
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of standard output")
    parser.add_argument("--help-uri-base", metavar="URL",
                        help="sarif: each rule's helpUri is URL#<code>-<name> (docs/diagnostics.md as published; "
                             "default: $JOURNEYQL_HELP_URI_BASE)")


def run(args) -> int:
    from ..diagnostics import Severity
    from ..diagnostics.views import render
    from ..workspace import UsageError, analyse, discover

    try:
        workspaces = discover(args.paths)
    except UsageError as error:
        return common.usage_error(str(error))
    host = common.rules_host()  # plugins without rules are not imported
    rules = host.rules
    diagnostics = common.plugin_diagnostics(host)
    sources: dict[str, str] = {}
    files = 0
    for ws in workspaces:
        # the fastest way to build the model for its size; without plugin rules, the light classes
        # (no pydantic is imported: docs/performance.md, "Cold check")
        analysis = analyse(ws, rules, validate=None, light=not rules)
        diagnostics.extend(analysis.diagnostics)
        files += len(ws.sources)
        for source in ws.sources:
            if source.text is not None:
                sources[source.path] = source.text
    text = render(args.format, diagnostics, files, sources,
                  color=args.output is None and common.color(sys.stdout), help_uri_base=args.help_uri_base)
    if args.format == "github":
        failed = _write_job_summary(diagnostics, files)
        if failed:
            return failed
    if args.output:
        from ..host.output import write_atomic

        try:
            write_atomic(args.output, text.encode("utf-8"))
        except OSError as error:
            return common.usage_error(f"cannot write {args.output}: {error.strerror}")
    else:
        sys.stdout.write(text)
    failing = {Severity.ERROR, Severity.WARNING} if args.strict else {Severity.ERROR}
    return common.EXIT_FINDINGS if any(d.severity in failing for d in diagnostics) else common.EXIT_CLEAN


def _write_job_summary(diagnostics, files: int) -> int | None:
    """Append every finding to GitHub's job summary: annotations show only 10 of each type."""
    import os

    from ..diagnostics.views import github_summary

    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    try:
        with open(target, "a", encoding="utf-8") as handle:  # GitHub gives each step its own file to append to
            handle.write(github_summary(diagnostics, files))
    except OSError as error:
        return common.usage_error(f"cannot write the job summary {target}: {error.strerror}")
    return None
