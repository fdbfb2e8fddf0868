"""`journeyql render`: run the named renderers into an output directory.

`build` (build.py) shares everything after choosing the renderers: analysing each workspace, attaching the
measured results of its response data, running the renderers and reporting what they wrote.
"""

from __future__ import annotations

import argparse
import sys

from . import common

HELP = "render specs with the named renderers"
DESCRIPTION = "Render specs with one or more renderers into an output directory."


def parser_options() -> dict:
    """How `render`'s parser is made: its --help lists the installed renderers."""
    return {"epilog": renderer_listing(), "formatter_class": argparse.RawDescriptionHelpFormatter}


def add_arguments(parser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="spec files or workspace directories (default: .)")
    parser.add_argument("--to", required=True, metavar="NAME[,NAME...]", help="renderers to run (see `journeyql plugins`)")
    parser.add_argument("-o", "--output", required=True, metavar="DIR", help="output directory")
    parser.add_argument("--set", action="append", default=[], metavar="NAME.KEY=VALUE",
                        help="a renderer option (repeatable); values are JSON or plain text")
    parser.add_argument("--force", action="store_true", help="render even when nothing changed")
    responses_argument(parser)


def responses_argument(parser) -> None:
    parser.add_argument("--responses", nargs="+", metavar="FILE",
                        help="response files for measured results (default: the measurement plans' `data` "
                             "files that exist)")


def renderer_listing() -> str | None:
    """For `render --help` only: the installed renderers and their options (loading plugins costs time)."""
    argv = sys.argv[1:]
    if "render" not in argv or not ({"-h", "--help"} & set(argv)):
        return None
    lines = ["renderers:"]
    for name, renderer in sorted(common.host().renderers.items()):
        lines.append(f"  {name:<18} {renderer.description}")
        for option, info in sorted(renderer.options.model_fields.items()):
            default = "" if info.is_required() else f" (default {info.default!r})"
            lines.append(f"    {name}.{option}{default}: {info.description or ''}".rstrip(": "))
    return "\n".join(lines)


def run(args) -> int:
    names = [n.strip() for n in args.to.split(",") if n.strip()]
    return render_workspaces(args, names, output=args.output)


def render_workspaces(args, names, output) -> int:
    from pathlib import Path

    from ..host.planning import CommandStamp

    # the same command with nothing changed: said before any plugin, spec or response is loaded
    stamp = CommandStamp(args.paths, names, output, args.set, getattr(args, "responses", None), args.force)
    if stamp.replay(common.say):
        return common.EXIT_CLEAN

    from ..diagnostics import Severity
    from ..diagnostics.views import as_human
    from ..host.planning import BuildPlan
    from ..host.rendering import OptionsError, parse_settings, run_renderers
    from ..workspace import UsageError, analyse, discover

    try:
        workspaces = [w for w in discover(args.paths) if w.sources or w.diagnostics]
        settings = stamp.settings = parse_settings(args.set)
    except (UsageError, OptionsError) as error:
        return common.usage_error(str(error))
    host = common.host()
    available = host.renderers
    problems = common.plugin_diagnostics(host)
    if names is not None:
        unknown = [n for n in names if n not in available]
        if unknown:
            listing = ", ".join(sorted(available)) or "none (no renderer plugin is installed)"
            return common.usage_error(f"unknown renderer {', '.join(unknown)}; available: {listing}")
    unknown_settings = sorted(set(settings) - set(available))
    if unknown_settings:
        return common.usage_error(f"--set names unknown renderer {', '.join(unknown_settings)}; "
                            f"available: {', '.join(sorted(available))}")
    out_root = Path(output) if output else None
    exit_code = common.EXIT_CLEAN
    for problem in problems:
        common.say(f"error: {problem.message}")
        exit_code = common.EXIT_FINDINGS
    several = len(workspaces) > 1
    indexes: dict = {}  # output folder -> workspaces built into it (several at once: a top-level index.html)
    for ws in workspaces:
        if names is None:
            enabled = ws.config.build.renderers
            if enabled is None:
                chosen = [r for r in available.values() if r.standard]
            else:
                missing = [n for n in enabled if n not in available]
                if missing:
                    return common.usage_error(f"journeyql.toml enables unknown renderer {', '.join(missing)}; "
                                        f"available: {', '.join(sorted(available))}")
                chosen = [available[n] for n in enabled]
        else:
            chosen = [available[n] for n in names]
        if not chosen:
            return common.usage_error(f"{ws.root.name}: no renderer to run: {_why_none(available, names)}")
        target = out_root or Path(ws.config.build.output or "site")
        if out_root is None and ws.config.build.output:
            target = ws.root / ws.config.build.output
        if several:
            target = target / ws.root.name
        # nothing changed since the last complete build: done before parsing or reading any response
        plan = BuildPlan.of(ws, chosen, settings, host.template_dirs, target, plugins=[
            (i.name, i.version) for i in host.infos.values()], responses=getattr(args, "responses", None),
            names=names, digests=stamp.digests)
        if not args.force and plan.up_to_date():
            outcomes, summary = plan.outcomes(chosen), plan.summary
            for missing in plan.missing_responses():  # as the build that made these files said
                common.say(f"warning: {ws.root.name + ': ' if several else ''}response file {missing} not found; "
                           "rendering without its measured results")
        else:
            analysis = analyse(ws, host.rules, validate=None)
            errors = [d for d in analysis.diagnostics if d.severity is Severity.ERROR]
            if errors or analysis.workspace is None:
                sources = {s.path: s.text for s in ws.sources if s.text is not None}
                sys.stderr.write(as_human(errors, len(ws.sources), sources, common.color(sys.stderr)))
                common.say(f"not rendered: {ws.root.name} has errors")
                exit_code = common.EXIT_FINDINGS
                continue
            results, problem = measured(analysis.workspace, ws, getattr(args, "responses", None), host,
                                         f"{ws.root.name}: " if several else "")
            if problem is not None:
                exit_code = max(exit_code, problem)
            from ..host.staging import BuildLocked, staged_output

            try:
                with staged_output(target, common.say) as stage:  # the whole directory swapped in at the end
                    outcomes = run_renderers(analysis.workspace, ws, chosen, stage, settings,
                                             incremental=not args.force, template_dirs=host.template_dirs,
                                             progress=common.progress(ws.root.name), results=results,
                                             plan=plan if problem is None else None)  # a data problem: not done
            except OptionsError as error:
                return common.usage_error(str(error))
            except BuildLocked as error:
                return common.usage_error(str(error))
            except OSError as error:
                common.say(f"journeyql: error: cannot write to {target}: {error.strerror or error}")
                return common.EXIT_USAGE
            from ..host.workspace_index import journey_summaries

            summary = {"journeys": len(analysis.workspace.journeys), "personas": len(analysis.workspace.personas),
                       "details": journey_summaries(analysis.workspace, results)}
        stamp.add(ws.root, target, [s.path for s in ws.sources], host.template_dirs, plan.positions,
                  complete=plan.recorded())
        if common.interactive():
            sys.stderr.write("\r\x1b[K")
        for outcome in outcomes:
            where = f"{ws.root.name}: " if several else ""
            if outcome.status == "failed":
                common.say(f"error: {where}renderer {outcome.renderer} (plugin {outcome.plugin} {outcome.version}) "
                     f"failed: {outcome.message}")
                exit_code = common.EXIT_FINDINGS
            elif outcome.status == "unchanged":
                n = len(outcome.files)
                common.say(f"{where}{outcome.renderer}: up to date ({n} file{'s' if n != 1 else ''})")
            else:
                common.say(f"{where}{outcome.renderer}: wrote {len(outcome.files)} file{'s' if len(outcome.files) != 1 else ''}")
            for warning in outcome.warnings:
                common.say(f"warning: {where}renderer {outcome.renderer}: {warning}")
        common.say(f"output in {target}")
        if several:
            from ..host.workspace_index import WorkspaceEntry

            indexes.setdefault(target.parent, []).append((ws.config.workspace.locale, WorkspaceEntry(
                target.name, ws.config.workspace.name or ws.root.name, summary.get("journeys", 0),
                summary.get("personas", 0),
                sum(len(o.files) for o in outcomes), tuple(o.renderer for o in outcomes if o.status == "failed"),
                tuple(summary.get("details", ())))))
    if indexes:
        from collections import Counter

        from ..host.workspace_index import write_workspace_index
    for folder, built in sorted(indexes.items()):
        # the page speaks the language most of its workspaces speak (English on a tie)
        counts = Counter(locale for locale, _ in built).most_common()
        locale = counts[0][0] if len(counts) == 1 or counts[0][1] > counts[1][1] else "en"
        try:
            index = write_workspace_index([e for _, e in built], folder, locale)
            stamp.add_index(index, str(index), len(built))
            common.say(f"index of {len(built)} workspaces: {index}")
        except OSError as error:
            common.say(f"journeyql: error: cannot write the index in {folder}: {error.strerror or error}")
            exit_code = common.EXIT_USAGE
    if exit_code == common.EXIT_CLEAN:
        stamp.save()
    else:
        stamp.forget()
    return exit_code


def _why_none(available, names) -> str:
    if names is not None:
        return "--to names none"
    if not available:
        return "no renderer plugin is installed or enabled (see JOURNEYQL_DISABLE_PLUGINS, JOURNEYQL_LOAD_PLUGINS)"
    if not any(r.standard for r in available.values()):
        return "every standard renderer is disabled; enable some, or name them in [build] renderers"
    return "[build] renderers in journeyql.toml enables none"


def measured(workspace, ws, responses, host, where: str):
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
                common.say(f"warning: {where}response file {path.relative_to(ws.root).as_posix()} not found; "
                     "rendering without its measured results")
    if not files:
        return None, None
    from ..extras import require
    from ..measure import cache as kept
    from ..measure.responses import ResponsesError, default_cache_dir, load_responses

    require("measure", "reading response data")  # as without kept results: the same install, the same answer
    cache = default_cache_dir(ws.root)
    key = kept.results_key(workspace, ws.root, files, host.readers, ws.config.analysis)
    found = kept.load(kept.folder(), key)
    if found is not None:  # the same data and structure as last time (a label changed, say)
        common.say(where + found[1])
        return found[0], None
    try:
        loaded = load_responses(workspace, ws.root, files, host.readers, cache_dir=cache,
                                rejects_path=cache / "rejects.csv")
    except ResponsesError as error:
        common.say(f"error: {where}{error}; rendering without measured results")
        return None, common.EXIT_USAGE if error.usage else common.EXIT_FINDINGS
    from ..host.rendering import RenderError

    try:
        common.say(where + loaded.summary())
        results = compute_results(workspace, loaded, ws.config, ws.root)
        # rejected rows and respondents counted under one of several values are reported until fixed
        if not loaded.rejected and not any(getattr(results, "disagreements", {}).values()):
            kept.store(kept.folder(), key, results, loaded.summary())
        return results, None
    except RenderError as error:
        common.say(f"error: {where}{error}; rendering without measured results")
        return None, common.EXIT_FINDINGS
    finally:
        loaded.con.close()


def compute_results(workspace, loaded, config=None, root=None):
    """The measured results of validated responses, with the files they come from (and their waves)."""
    import dataclasses
    from pathlib import Path

    from ..measure.waves import compute_with_waves

    minimum = {"report_n": config.analysis.report_n, "show_n": config.analysis.show_n} if config else {}
    results = compute_with_waves(workspace, loaded.con, Path(root if root is not None else "."),
                                 list(getattr(loaded, "source_paths", ())), **minimum)
    for what, count in sorted(getattr(results, "disagreements", {}).items()):
        if count:  # never mixed silently: each counts under one value, and the user hears it
            common.say(f"warning: {count} respondent(s) whose rows name more than one {what}: each counts under the "
                       f"first (A-Z) for every metric")
    if not getattr(results, "sources", ()) and dataclasses.is_dataclass(results):
        results = dataclasses.replace(results, sources=tuple(loaded.sources))
    return results
