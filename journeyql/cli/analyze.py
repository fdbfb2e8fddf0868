"""`journeyql analyze`: validate response files against the spec and report the measured results."""

from __future__ import annotations

import sys

from . import common

HELP = "measured results from response files"
DESCRIPTION = ("Validate response files against the spec and report the measured "
               "results: valence, emotions, intents, CES, CSAT, NPS, moments, drivers.")


def add_arguments(parser) -> None:
    parser.add_argument("paths", nargs="?", metavar="PATH", help="the workspace directory (default: .)")
    parser.add_argument("--responses", nargs="+", metavar="FILE",
                        help="response files (default: every measurement plan's `data`)")
    parser.add_argument("--format", choices=("json", "markdown", "html"), default="json",
                        help="report format (default: json)")
    parser.add_argument("-o", "--output", metavar="DIR", help="write analysis.json/.md/.html into DIR")
    parser.add_argument("--locale", metavar="LOCALE", help="language of the markdown/html report "
                                                           "(default: the workspace's locale)")
    parser.add_argument("--strict", action="store_true", help="any rejected row fails the run (exit 1)")
    parser.add_argument("--rejects", metavar="FILE",
                        help="where to write rejected rows (default: .journeyql-cache/rejects.csv in the workspace)")
    parser.add_argument("--cache-dir", metavar="DIR", help="cache of converted response files "
                                                           "(default: .journeyql-cache in the workspace)")
    parser.add_argument("--fail-on", choices=("regression",), metavar="WHAT",
                        help="regression: exit 1 when a KPI is missed in the latest wave or a touchpoint or step "
                             "dropped significantly since the previous wave (docs/ci.md)")
    parser.add_argument("--findings-format", choices=("human", "concise", "json", "github", "sarif"),
                        default="human", help="how --fail-on prints its findings (default: human)")
    parser.add_argument("--findings-output", metavar="FILE",
                        help="write --fail-on's findings to FILE (default: standard error)")


def run(args) -> int:
    import json
    from pathlib import Path

    from ..diagnostics import Severity
    from ..diagnostics.views import as_human
    from ..measure.responses import ResponsesError, data_files, default_cache_dir, load_responses
    from ..workspace import UsageError, analyse, discover
    from .render import compute_results

    try:
        workspaces = [w for w in discover([args.paths] if args.paths else []) if w.sources or w.diagnostics]
    except UsageError as error:
        return common.usage_error(str(error))
    if len(workspaces) != 1:
        return common.usage_error(f"analyze takes one workspace; {args.paths or '.'} holds {len(workspaces)}")
    ws = workspaces[0]
    host = common.host()
    analysis = analyse(ws, host.rules, validate=None)
    errors = [d for d in analysis.diagnostics if d.severity is Severity.ERROR]
    if errors or analysis.workspace is None:
        sources = {s.path: s.text for s in ws.sources if s.text is not None}
        sys.stderr.write(as_human(errors, len(ws.sources), sources, common.color(sys.stderr)))
        common.say(f"not analysed: {ws.root.name} has errors")
        return common.EXIT_FINDINGS
    workspace = analysis.workspace
    files = [Path(f) for f in args.responses] if args.responses else data_files(workspace, ws.root)
    cache = Path(args.cache_dir) if args.cache_dir else default_cache_dir(ws.root)
    rejects = Path(args.rejects) if args.rejects else cache / "rejects.csv"
    try:
        loaded = load_responses(workspace, ws.root, files, host.readers, strict=args.strict, cache_dir=cache,
                                rejects_path=rejects)
    except ResponsesError as error:
        return common.usage_error(str(error)) if error.usage else common.fail(str(error))
    try:
        common.say(loaded.summary())
        from ..host.rendering import RenderError

        try:
            results = compute_results(workspace, loaded, ws.config, ws.root)
        except RenderError as error:
            return common.fail(str(error))
    finally:
        loaded.con.close()
    from ..measure import analysis as reports

    locale = args.locale or ws.config.workspace.locale
    if args.format == "json":
        text = json.dumps(reports.to_json(results, workspace), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    elif args.format == "markdown":
        text = reports.to_markdown(results, workspace, locale)
    else:
        text = reports.to_html(results, workspace, locale)
    if args.output:
        from ..host.output import write_atomic

        name = {"json": "analysis.json", "markdown": "analysis.md", "html": "analysis.html"}[args.format]
        target = Path(args.output) / name
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(str(target), text.encode("utf-8"))
        except OSError as error:
            return common.usage_error(f"cannot write {target}: {error.strerror}")
        common.say(f"report in {target}")
    else:
        sys.stdout.write(text)
    if args.fail_on == "regression":
        return _gate(args, ws, workspace, results)
    return common.EXIT_CLEAN


def _gate(args, ws, workspace, results) -> int:
    """The regression gate: findings in the format `check` uses, exit 1 when there are any."""
    from ..diagnostics import Severity
    from ..diagnostics.views import render
    from ..measure.gate import regressions
    from ..workspace.pipeline import apply_rule_settings

    # `[rules]` in journeyql.toml and `# jql-ignore:` comments count here as in `check` (docs/ci.md)
    findings = apply_rule_settings(regressions(workspace, results), ws)
    sources = {s.path: s.text for s in ws.sources if s.text is not None}
    text = render(args.findings_format, findings, len(ws.sources), sources,
                  color=args.findings_output is None and common.color(sys.stderr))
    if args.findings_output:
        from ..host.output import write_atomic

        try:
            write_atomic(args.findings_output, text.encode("utf-8"))
        except OSError as error:
            return common.usage_error(f"cannot write {args.findings_output}: {error.strerror}")
    else:
        sys.stderr.write(text)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    common.say(f"regression gate: {len(findings)} finding(s)" if errors else
               f"regression gate: passed ({len(findings)} warning(s))" if findings else "regression gate: passed")
    return common.EXIT_FINDINGS if errors else common.EXIT_CLEAN
