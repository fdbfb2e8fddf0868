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
    from .. import __version__

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

    render = commands.add_parser("render", help="render specs with the named renderers",
                                 description="Render specs with one or more renderers into an output directory.",
                                 epilog=_renderer_listing(), formatter_class=argparse.RawDescriptionHelpFormatter)
    render.add_argument("paths", nargs="*", metavar="PATH", help="spec files or workspace directories (default: .)")
    render.add_argument("--to", required=True, metavar="NAME[,NAME...]", help="renderers to run (see `journeyql plugins`)")
    render.add_argument("-o", "--output", required=True, metavar="DIR", help="output directory")
    render.add_argument("--set", action="append", default=[], metavar="NAME.KEY=VALUE",
                        help="a renderer option (repeatable); values are JSON or plain text")
    render.add_argument("--force", action="store_true", help="render even when nothing changed")
    _responses_arguments(render)

    build = commands.add_parser("build", help="render everything the configuration enables",
                                description="Run every renderer the configuration enables (default: all standard ones).")
    build.add_argument("paths", nargs="*", metavar="PATH", help="spec files or workspace directories (default: .)")
    build.add_argument("-o", "--output", metavar="DIR", help="output directory (default: [build] output, else ./site)")
    build.add_argument("--set", action="append", default=[], metavar="NAME.KEY=VALUE", help="a renderer option")
    build.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    _responses_arguments(build)

    analyze = commands.add_parser("analyze", help="measured results from response files",
                                  description="Validate response files against the spec and report the measured "
                                              "results: valence, emotions, intents, CES, CSAT, NPS, moments, drivers.")
    analyze.add_argument("paths", nargs="?", metavar="PATH", help="the workspace directory (default: .)")
    analyze.add_argument("--responses", nargs="+", metavar="FILE",
                         help="response files (default: every measurement plan's `data`)")
    analyze.add_argument("--format", choices=("json", "markdown", "html"), default="json",
                         help="report format (default: json)")
    analyze.add_argument("-o", "--output", metavar="DIR", help="write analysis.json/.md/.html into DIR")
    analyze.add_argument("--locale", metavar="LOCALE", help="language of the markdown/html report "
                                                            "(default: the workspace's locale)")
    analyze.add_argument("--strict", action="store_true", help="any rejected row fails the run (exit 1)")
    analyze.add_argument("--rejects", metavar="FILE",
                         help="where to write rejected rows (default: .journeyql-cache/rejects.csv in the workspace)")
    analyze.add_argument("--cache-dir", metavar="DIR", help="cache of converted response files "
                                                            "(default: .journeyql-cache in the workspace)")

    simulate = commands.add_parser("simulate-responses", help="write synthetic responses for a spec",
                                   description="Simulate a measurement: canonical responses that follow the spec's "
                                               "expected emotions, seeded and deterministic.")
    simulate.add_argument("paths", nargs="?", metavar="PATH", help="the workspace directory (default: .)")
    simulate.add_argument("-o", "--output", required=True, metavar="FILE", help="the response file to write")
    simulate.add_argument("--respondents", type=int, default=300, metavar="N",
                          help="respondents per measurement plan (default: 300)")
    simulate.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default: 0)")
    simulate.add_argument("--format", choices=("csv", "parquet"),
                          help="file format (default: from the file name, else csv)")
    simulate.add_argument("--effect", action="append", default=[], metavar="NAME=SHIFT",
                          help="shift a touchpoint's (or step's) true valence, e.g. eindnota=+1.5 (repeatable)")
    simulate.add_argument("--measurement", action="append", default=[], metavar="ID",
                          help="simulate only this measurement plan (repeatable; default: all)")

    plugins = commands.add_parser("plugins", help="list installed plugins, their renderers and hooks",
                                  description="List installed plugins, their versions, renderers, rules and hooks.")
    plugins.add_argument("--format", choices=("human", "json"), default="human")

    from ..tools import diff as diffing
    from ..tools import starter  # both import only the standard library at import time

    diffing.add_arguments(commands.add_parser("diff", help="what changed between two versions of a workspace"))
    starter.add_arguments(commands.add_parser("init", help="create a starter workspace"))

    schema = commands.add_parser("schema", help="print the JSON Schema of the model",
                                 description="Print the JSON Schema of the resolved workspace model.")
    schema.add_argument("--indent", type=int, default=2, help="indentation (default: 2)")
    return parser


def _responses_arguments(parser) -> None:
    parser.add_argument("--responses", nargs="+", metavar="FILE",
                        help="response files for measured results (default: the measurement plans' `data` "
                             "files that exist)")


def _renderer_listing() -> str | None:
    """For `render --help` only: the installed renderers and their options (loading plugins costs time)."""
    argv = sys.argv[1:]
    if "render" not in argv or not ({"-h", "--help"} & set(argv)):
        return None
    from ..host.plugins import get_host

    lines = ["renderers:"]
    for name, renderer in sorted(get_host().renderers.items()):
        lines.append(f"  {name:<18} {renderer.description}")
        for option, info in sorted(renderer.options.model_fields.items()):
            default = "" if info.is_required() else f" (default {info.default!r})"
            lines.append(f"    {name}.{option}{default}: {info.description or ''}".rstrip(": "))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return EXIT_USAGE
        handler = {"check": cmd_check, "fmt": cmd_fmt, "schema": cmd_schema, "render": cmd_render,
                   "build": cmd_build, "plugins": cmd_plugins, "init": cmd_init,
                   "diff": cmd_diff, "analyze": cmd_analyze,
                   "simulate-responses": cmd_simulate}[args.command]
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
        from ..extras import MissingExtra

        if isinstance(error, MissingExtra):  # a light install asked for what an extra brings
            print(f"journeyql: error: {error}", file=sys.stderr)
            return EXIT_USAGE
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
    from ..diagnostics import Severity
    from ..diagnostics.views import render
    from ..workspace import UsageError, analyse, discover

    try:
        workspaces = discover(args.paths)
    except UsageError as error:
        return _usage_error(str(error))
    host = _host()
    rules = host.rules
    diagnostics = _plugin_diagnostics(host)
    sources: dict[str, str] = {}
    files = 0
    for ws in workspaces:
        analysis = analyse(ws, rules, validate=None)  # the fastest way to build the model for its size
        diagnostics.extend(analysis.diagnostics)
        files += len(ws.sources)
        for source in ws.sources:
            if source.text is not None:
                sources[source.path] = source.text
    text = render(args.format, diagnostics, files, sources, color=args.output is None and _color(sys.stdout))
    if args.output:
        from ..host.output import write_atomic

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

    from ..language.formatter import format_syntax
    from ..host.output import write_atomic
    from ..diagnostics.views import as_human
    from ..language.syntax import parse_syntax
    from ..workspace import UsageError, discover

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


def _host():
    from ..host.plugins import get_host

    return get_host()


def _plugin_diagnostics(host) -> list:
    from ..diagnostics import PLUGIN_FAILED, Diagnostic
    from ..diagnostics.span import Span

    return [Diagnostic.of(PLUGIN_FAILED, str(problem), Span("<plugins>", 1, 1, 1, 1),
                          "fix or uninstall the plugin, or skip it with JOURNEYQL_DISABLE_PLUGINS")
            for problem in host.problems]


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _interactive() -> bool:
    return not os.environ.get("CI") and hasattr(sys.stderr, "isatty") and sys.stderr.isatty()


def cmd_diff(args) -> int:
    from ..tools.diff import run

    return run(args)


def cmd_init(args) -> int:
    from ..tools.starter import run

    return run(args)


def cmd_render(args) -> int:
    names = [n.strip() for n in args.to.split(",") if n.strip()]
    return _render(args, names, output=args.output)


def cmd_build(args) -> int:
    return _render(args, None, output=args.output)


def _render(args, names, output) -> int:
    from pathlib import Path

    from ..diagnostics import Severity
    from ..diagnostics.views import as_human
    from ..host.rendering import OptionsError, parse_settings, run_renderers
    from ..workspace import UsageError, analyse, discover

    try:
        workspaces = [w for w in discover(args.paths) if w.sources or w.diagnostics]
        settings = parse_settings(args.set)
    except (UsageError, OptionsError) as error:
        return _usage_error(str(error))
    host = _host()
    available = host.renderers
    problems = _plugin_diagnostics(host)
    if names is not None:
        unknown = [n for n in names if n not in available]
        if unknown:
            listing = ", ".join(sorted(available)) or "none (no renderer plugin is installed)"
            return _usage_error(f"unknown renderer {', '.join(unknown)}; available: {listing}")
    unknown_settings = sorted(set(settings) - set(available))
    if unknown_settings:
        return _usage_error(f"--set names unknown renderer {', '.join(unknown_settings)}; "
                            f"available: {', '.join(sorted(available))}")
    out_root = Path(output) if output else None
    exit_code = EXIT_CLEAN
    for problem in problems:
        _say(f"error: {problem.message}")
        exit_code = EXIT_FINDINGS
    several = len(workspaces) > 1
    indexes: dict = {}  # output folder -> workspaces built into it (several at once: a top-level index.html)
    for ws in workspaces:
        analysis = analyse(ws, host.rules, validate=None)
        errors = [d for d in analysis.diagnostics if d.severity is Severity.ERROR]
        if errors or analysis.workspace is None:
            sources = {s.path: s.text for s in ws.sources if s.text is not None}
            sys.stderr.write(as_human(errors, len(ws.sources), sources, _color(sys.stderr)))
            _say(f"not rendered: {ws.root.name} has errors")
            exit_code = EXIT_FINDINGS
            continue
        if names is None:
            enabled = ws.config.build.renderers
            if enabled is None:
                chosen = [r for r in available.values() if r.standard]
            else:
                missing = [n for n in enabled if n not in available]
                if missing:
                    return _usage_error(f"journeyql.toml enables unknown renderer {', '.join(missing)}; "
                                        f"available: {', '.join(sorted(available))}")
                chosen = [available[n] for n in enabled]
        else:
            chosen = [available[n] for n in names]
        target = out_root or Path(ws.config.build.output or "site")
        if out_root is None and ws.config.build.output:
            target = ws.root / ws.config.build.output
        if several:
            target = target / ws.root.name
        results, problem = _measured(analysis.workspace, ws, getattr(args, "responses", None), host,
                                     f"{ws.root.name}: " if several else "")
        if problem is not None:
            exit_code = max(exit_code, problem)
        try:
            outcomes = run_renderers(analysis.workspace, ws, chosen, target, settings,
                                     incremental=not args.force, template_dirs=host.template_dirs,
                                     progress=_progress(ws.root.name), results=results)
        except OptionsError as error:
            return _usage_error(str(error))
        except OSError as error:
            _say(f"journeyql: error: cannot write to {target}: {error.strerror or error}")
            return EXIT_USAGE
        if _interactive():
            sys.stderr.write("\r\x1b[K")
        for outcome in outcomes:
            where = f"{ws.root.name}: " if several else ""
            if outcome.status == "failed":
                _say(f"error: {where}renderer {outcome.renderer} (plugin {outcome.plugin} {outcome.version}) "
                     f"failed: {outcome.message}")
                exit_code = EXIT_FINDINGS
            elif outcome.status == "unchanged":
                n = len(outcome.files)
                _say(f"{where}{outcome.renderer}: up to date ({n} file{'s' if n != 1 else ''})")
            else:
                _say(f"{where}{outcome.renderer}: wrote {len(outcome.files)} file{'s' if len(outcome.files) != 1 else ''}")
            for warning in outcome.warnings:
                _say(f"warning: {where}renderer {outcome.renderer}: {warning}")
        _say(f"output in {target}")
        if several:
            from ..host.workspace_index import WorkspaceEntry

            model = analysis.workspace
            indexes.setdefault(target.parent, []).append((ws.config.workspace.locale, WorkspaceEntry(
                target.name, ws.config.workspace.name or ws.root.name, len(model.journeys), len(model.personas),
                sum(len(o.files) for o in outcomes), tuple(o.renderer for o in outcomes if o.status == "failed"))))
    if indexes:
        from collections import Counter

        from ..host.workspace_index import write_workspace_index
    for folder, built in sorted(indexes.items()):
        # the page speaks the language most of its workspaces speak (English on a tie)
        counts = Counter(locale for locale, _ in built).most_common()
        locale = counts[0][0] if len(counts) == 1 or counts[0][1] > counts[1][1] else "en"
        try:
            _say(f"index of {len(built)} workspaces: {write_workspace_index([e for _, e in built], folder, locale)}")
        except OSError as error:
            _say(f"journeyql: error: cannot write the index in {folder}: {error.strerror or error}")
            exit_code = EXIT_USAGE
    return exit_code


def _measured(workspace, ws, responses, host, where: str):
    """(results, exit code of a data problem or None) for build/render; no data, no results.

    Without --responses the plans' `data` files are used when they exist: a missing one
    is a warning, since a spec is often written before its measurement has run.
    """
    from pathlib import Path

    if responses:
        files = [Path(f) for f in responses]
    else:
        from ..measure.responses import data_files

        files = []
        for path in data_files(workspace, ws.root):
            if path.is_file():
                files.append(path)
            else:
                _say(f"warning: {where}response file {path.relative_to(ws.root).as_posix()} not found; "
                     "rendering without its measured results")
    if not files:
        return None, None
    from ..measure.responses import ResponsesError, default_cache_dir, load_responses

    cache = default_cache_dir(ws.root)
    try:
        loaded = load_responses(workspace, ws.root, files, host.readers, cache_dir=cache,
                                rejects_path=cache / "rejects.csv")
    except ResponsesError as error:
        _say(f"error: {where}{error}; rendering without measured results")
        return None, EXIT_USAGE if error.usage else EXIT_FINDINGS
    from ..host.rendering import RenderError

    try:
        _say(where + loaded.summary())
        return _compute(workspace, loaded, ws.config), None
    except RenderError as error:
        _say(f"error: {where}{error}; rendering without measured results")
        return None, EXIT_FINDINGS
    finally:
        loaded.con.close()


def _compute(workspace, loaded, config=None):
    """The measured results of validated responses, with the files they come from."""
    import dataclasses

    from ..measure.analysis import compute

    minimum = {"report_n": config.analysis.report_n, "show_n": config.analysis.show_n} if config else {}
    results = compute(workspace, loaded.con, **minimum)
    for what, count in sorted(getattr(results, "disagreements", {}).items()):
        if count:  # never mixed silently: each counts under one value, and the user hears it
            _say(f"warning: {count} respondent(s) whose rows name more than one {what}: each counts under the "
                 f"first (A-Z) for every metric")
    if not getattr(results, "sources", ()) and dataclasses.is_dataclass(results):
        results = dataclasses.replace(results, sources=tuple(loaded.sources))
    return results


def cmd_analyze(args) -> int:
    import json
    from pathlib import Path

    from ..diagnostics import Severity
    from ..diagnostics.views import as_human
    from ..measure.responses import ResponsesError, data_files, default_cache_dir, load_responses
    from ..workspace import UsageError, analyse, discover

    try:
        workspaces = [w for w in discover([args.paths] if args.paths else []) if w.sources or w.diagnostics]
    except UsageError as error:
        return _usage_error(str(error))
    if len(workspaces) != 1:
        return _usage_error(f"analyze takes one workspace; {args.paths or '.'} holds {len(workspaces)}")
    ws = workspaces[0]
    host = _host()
    analysis = analyse(ws, host.rules, validate=None)
    errors = [d for d in analysis.diagnostics if d.severity is Severity.ERROR]
    if errors or analysis.workspace is None:
        sources = {s.path: s.text for s in ws.sources if s.text is not None}
        sys.stderr.write(as_human(errors, len(ws.sources), sources, _color(sys.stderr)))
        _say(f"not analysed: {ws.root.name} has errors")
        return EXIT_FINDINGS
    workspace = analysis.workspace
    files = [Path(f) for f in args.responses] if args.responses else data_files(workspace, ws.root)
    cache = Path(args.cache_dir) if args.cache_dir else default_cache_dir(ws.root)
    rejects = Path(args.rejects) if args.rejects else cache / "rejects.csv"
    try:
        loaded = load_responses(workspace, ws.root, files, host.readers, strict=args.strict, cache_dir=cache,
                                rejects_path=rejects)
    except ResponsesError as error:
        return _usage_error(str(error)) if error.usage else _fail(str(error))
    try:
        _say(loaded.summary())
        from ..host.rendering import RenderError

        try:
            results = _compute(workspace, loaded, ws.config)
        except RenderError as error:
            return _fail(str(error))
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
            return _usage_error(f"cannot write {target}: {error.strerror}")
        _say(f"report in {target}")
    else:
        sys.stdout.write(text)
    return EXIT_CLEAN


def _fail(message: str) -> int:
    print(f"journeyql: error: {message}", file=sys.stderr)
    return EXIT_FINDINGS


def cmd_simulate(args) -> int:
    from pathlib import Path

    from ..diagnostics import Severity
    from ..measure.simulate import SimulationError, simulate, write
    from ..workspace import UsageError, analyse, discover

    try:
        workspaces = [w for w in discover([args.paths] if args.paths else []) if w.sources or w.diagnostics]
    except UsageError as error:
        return _usage_error(str(error))
    if len(workspaces) != 1:
        return _usage_error(f"simulate-responses takes one workspace; {args.paths or '.'} holds {len(workspaces)}")
    effects = {}
    for text in args.effect:
        name, _, shift = text.partition("=")
        try:
            effects[name.strip()] = float(shift)
        except ValueError:
            return _usage_error(f"--effect {text}: write NAME=SHIFT, e.g. eindnota=+1.5")
    ws = workspaces[0]
    analysis = analyse(ws, (), validate=None)
    if analysis.workspace is None or any(d.severity is Severity.ERROR for d in analysis.diagnostics):
        _say(f"not simulated: {ws.root.name} has errors (run `journeyql check`)")
        return EXIT_FINDINGS
    fmt = args.format or ("parquet" if args.output.lower().endswith(".parquet") else "csv")
    try:
        rows = list(simulate(analysis.workspace, respondents=args.respondents, seed=args.seed, effects=effects,
                             measurements=tuple(args.measurement)))
        count = write(rows, Path(args.output), fmt)
    except SimulationError as error:
        return _usage_error(str(error))
    except OSError as error:
        return _usage_error(f"cannot write {args.output}: {error.strerror or error}")
    _say(f"wrote {count} responses to {args.output}")
    return EXIT_CLEAN


def _progress(label: str):
    if not _interactive():
        return None

    def show(index: int, total: int, name: str) -> None:
        width = 20
        done = int(width * (index - 1) / total)
        sys.stderr.write(f"\r\x1b[K[{'#' * done}{'.' * (width - done)}] {index}/{total} {label}: {name}")
        sys.stderr.flush()

    return show


def cmd_plugins(args) -> int:
    import json

    host = _host()
    described = host.describe()
    if args.format == "json":
        sys.stdout.write(json.dumps(described, indent=2, ensure_ascii=False) + "\n")
    else:
        if not described:
            print("No plugins installed.")
        for entry in described:
            print(f"{entry['name']} {entry['version']}")
            if entry.get("error"):
                print(f"  error: {entry['error']}")
            for name in entry["renderers"]:
                renderer = host.renderers[name]
                print(f"  renderer {name}: {renderer.description}")
                if renderer.outputs:
                    print(f"    writes: {', '.join(renderer.outputs)}")
                fields = renderer.options.model_fields
                for field_name, info in sorted(fields.items()):
                    default = "" if info.is_required() else f" (default: {info.default!r})"
                    print(f"    option {field_name}{default}: {info.description or ''}".rstrip(": "))
            for code in entry["rules"]:
                print(f"  rule {code}")
            for name in entry["readers"]:
                print(f"  reader {name}")
            if entry["hooks"]:
                print(f"  hooks: {', '.join(entry['hooks'])}")
    for problem in host.problems:
        _say(f"error: {problem}")
    return EXIT_FINDINGS if host.problems else EXIT_CLEAN


def cmd_schema(args) -> int:
    import json

    from ..language.model import Workspace

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
