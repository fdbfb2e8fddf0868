"""A workspace's sources -> its resolved model and every diagnostic: parse, bind, resolve, rules.

Settings from ``journeyql.toml`` decide which findings count (rule levels, suppression comments).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import SUPPRESSION_ERROR, WRONG_VALUE, Diagnostic, Severity, lookup
from ..diagnostics.span import Span
from .settings import Settings
from .sources import WorkspaceSources, display_path

DEFAULT_OFF = {"missing-translation"}


@dataclass
class Analysis:
    """Everything one workspace's check found, and its model when it could be built."""

    root: Path
    workspace: object | None
    diagnostics: list[Diagnostic]
    #: with ``keep_names=True``: the binder's symbols and the resolved references (for editors)
    names: tuple[list, list] | None = None

    @property
    def errors(self) -> list[Diagnostic]:
        return [x for x in self.diagnostics if x.severity is Severity.ERROR]


_SUPPRESS = re.compile(r"#\s*jql-ignore(-file)?\s*:\s*([\w\-, ]+)")


def _suppressions(syntax_files, plugin_codes=None) -> tuple[dict, list[Diagnostic]]:
    """Per file: lines -> codes suppressed, and file-wide codes (key 0)."""
    table: dict[str, dict[int, set[str]]] = {}
    problems = []
    for sf in syntax_files:
        lines = sf.text.splitlines() if sf.comments else []
        for comment in sf.comments:
            match = _SUPPRESS.search(comment.text)
            if not match:
                continue
            codes = set()
            for word in re.split(r"[,\s]+", match.group(2).strip()):
                if not word:
                    continue
                entry = lookup(word)
                if entry is None and plugin_codes:
                    code = word.upper() if word.upper() in plugin_codes else plugin_codes.get(word)
                    if code is not None:
                        codes.add(code)
                        continue
                if entry is None:
                    problems.append(Diagnostic.of(SUPPRESSION_ERROR, f"`{word}` is not a JourneyQL code or rule name",
                                                  Span(sf.path, comment.line, comment.column, comment.line,
                                                       comment.column + len(comment.text))))
                    continue
                codes.add(entry.code)
            per_file = table.setdefault(sf.path, {})
            if match.group(1):
                per_file.setdefault(0, set()).update(codes)
                continue
            per_file.setdefault(comment.line, set()).update(codes)
            own_line = comment.line <= len(lines) and lines[comment.line - 1][: comment.column - 1].strip() == ""
            if own_line:  # a comment alone on its line covers the next line too
                per_file.setdefault(comment.line + 1, set()).update(codes)
    return table, problems


def _apply_settings(found: list[Diagnostic], config: Settings, table) -> list[Diagnostic]:
    kept = []
    for diagnostic in found:
        level = config.level_of(diagnostic.code, diagnostic.name)
        if level is None and diagnostic.name in DEFAULT_OFF:
            level = "off"
        if level == "off":
            continue
        if level is not None:
            diagnostic = diagnostic.with_severity(Severity(level))
        per_file = table.get(diagnostic.span.path, {})
        if diagnostic.code in per_file.get(0, ()) or diagnostic.code in per_file.get(diagnostic.span.line, ()):
            continue
        kept.append(diagnostic)
    return kept


def apply_rule_settings(found: list[Diagnostic], ws_sources: WorkspaceSources) -> list[Diagnostic]:
    """Findings made after ``check`` (the regression gate's) under the same ``[rules]`` severities and
    ``# jql-ignore`` comments as ``check``'s own. A misspelt code in a comment is ``check``'s to report."""
    from ..language.syntax import parse_syntax

    files = [parse_syntax(s.text, s.path) for s in ws_sources.sources if s.text is not None]
    table, _ = _suppressions(files)
    return sorted(_apply_settings(found, ws_sources.config, table), key=lambda x: x.sort_key)


#: Below this many bytes of specs, building the model without pydantic's validators is faster
#: (no ~40 ms validator build at start-up); above it pydantic's compiled validation wins.
CONSTRUCT_BELOW = 64_000


def analyse(ws_sources: WorkspaceSources, extra_rules=(), validate: bool | None = True,
            keep_names: bool = False, light: bool = False) -> Analysis:
    """Parse, bind, resolve, validate and lint one workspace; never raises for bad content.

    ``validate=None`` picks the faster way to build the model for the workspace's size; the
    binder has checked every value either way (a test checks both ways give equal models).
    ``keep_names=True`` keeps every definition and reference with its span (the language server's
    go to definition, references and rename use the very names ``check`` resolved).
    ``light=True`` builds the plain classes of ``light_model.py`` instead of the pydantic model
    (never validated): what ``check`` does when no plugin's rule needs the model, so a cold check
    imports no pydantic. The diagnostics are the same (tests/test_light_model.py).
    """
    if validate is None:
        validate = sum(len(s.text or "") for s in ws_sources.sources) >= CONSTRUCT_BELOW
    import gc

    # The pipeline allocates hundreds of thousands of small objects and frees
    # almost none; the cyclic collector would rescan them over and over (a
    # third of the time on a 4 MB workspace) to find nothing. Reference
    # counting still frees everything; collection resumes afterwards.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _analyse(ws_sources, extra_rules, validate, keep_names, light)
    finally:
        if enabled:
            gc.enable()


def _analyse(ws_sources: WorkspaceSources, extra_rules=(), validate: bool = True, keep_names: bool = False,
             light: bool = False) -> Analysis:
    from ..language.binder import Binder
    from ..language.resolver import Resolver
    from ..language.syntax import parse_syntax

    diagnostics = list(ws_sources.diagnostics)
    syntax_files = {}
    binder = Binder()
    for source in ws_sources.sources:
        diagnostics.extend(source.diagnostics)
        if source.text is None:
            continue
        sf = parse_syntax(source.text, source.path)
        syntax_files[source.path] = sf
        diagnostics.extend(sf.diagnostics)
        if sf.ok:
            binder.bind_file(sf)
            if not sf.statements:  # passing silently would hide a file saved empty by mistake
                from ..diagnostics import EMPTY_FILE

                diagnostics.append(Diagnostic.of(EMPTY_FILE, "this file defines nothing", Span(source.path, 1, 1, 1, 1),
                                                 hint="write a block in it (e.g. `journey ...`), or delete it"))
    diagnostics.extend(binder.diagnostics)
    resolver = Resolver(binder.symbols)
    resolver.resolve_all(binder.refs)
    from ..language.organisation_views import separate

    separate(binder.data)  # a step's `for x` is a persona's or an organisation's view: known once x resolved
    # A file that could not be read or parsed defines nothing; every name it
    # defines would show up as "not defined" elsewhere and every rule would
    # judge half a workspace. Those follow-on findings are noise: report the
    # real problem and the other files' own mistakes only.
    incomplete = any(not sf.ok for sf in syntax_files.values()) or any(s.text is None for s in ws_sources.sources)
    if incomplete:
        from ..diagnostics import UNDEFINED_REFERENCE

        diagnostics.extend(d for d in resolver.diagnostics if d.code != UNDEFINED_REFERENCE.code)
    else:
        diagnostics.extend(resolver.diagnostics)
    workspace = build_model(binder.data, ws_sources, diagnostics, validate, light)
    if workspace is not None and not incomplete:
        from .rules import core_rules

        for rule in (*core_rules(), *extra_rules):
            if not _switched_off(rule, ws_sources.settings):
                diagnostics.extend(_run_rule(rule, workspace))
    from .settings import unknown_rule_settings
    from ..diagnostics import all_codes

    known = {c.code for c in all_codes()} | {c.name for c in all_codes()}
    known |= {r.code for r in extra_rules} | {r.name for r in extra_rules}
    diagnostics.extend(unknown_rule_settings(ws_sources.settings, ws_sources.root, known))
    plugin_codes = {r.code: r.name for r in extra_rules} | {r.name: r.code for r in extra_rules}
    table, problems = _suppressions(syntax_files.values(), plugin_codes)
    diagnostics = _apply_settings(diagnostics + problems, ws_sources.settings, table)
    diagnostics.sort(key=lambda x: x.sort_key)
    from ..diagnostics.cap import cap, merged_left_out

    # at most so many of one code per file, and one finding saying how many more (diagnostics/cap.py);
    # what the binder and resolver left out while working is counted in, under the same settings
    left_out = {}
    for key, (first, count) in merged_left_out(binder.diagnostics, resolver.diagnostics).items():
        kept = _apply_settings([first], ws_sources.settings, table)
        if kept:
            left_out[key] = [kept[0], count]
    diagnostics = cap(_dedupe(diagnostics), left_out)
    diagnostics.sort(key=lambda x: x.sort_key)
    # The syntax trees and bound data die here, while the cyclic collector is still off: what
    # stays (the model) is all it will ever scan, instead of every node of every file.
    names = (binder.symbols, binder.refs) if keep_names else None
    del syntax_files, binder, resolver
    return Analysis(ws_sources.root, workspace, _dedupe(diagnostics), names)


def _switched_off(rule, config) -> bool:
    """A rule set to "off" (or off by default and not set) is not run: every finding it made would be
    dropped by the settings anyway (missing-translation, off by default, walked every text: 9% of a check)."""
    level = config.level_of(rule.code, rule.name)
    return level == "off" or (level is None and rule.name in DEFAULT_OFF)


def _run_rule(rule, workspace) -> list[Diagnostic]:
    """A rule's findings; a rule that fails or returns something else is one JQL000 naming it."""
    from .plugin_guard import PASSES_THROUGH, describe_failure

    try:
        found = list(rule.check(workspace))  # a generator's body runs here
    except PASSES_THROUGH:
        raise
    except BaseException as error:  # noqa: BLE001 - sys.exit in a rule must not end `check` with exit 0
        return [_rule_crashed(rule, workspace, f"failed: {describe_failure(error)}")]
    kept = []
    for item in found:
        problem = _not_a_diagnostic(item)
        if problem is not None:
            return [_rule_crashed(rule, workspace, f"returned {problem}; rules yield journeyql.Diagnostic records")]
        kept.append(item)
    return kept


def _not_a_diagnostic(item) -> str | None:
    """Why ``item`` is not a Diagnostic every view can print, or None when it is one."""
    if not isinstance(item, Diagnostic):
        return f"{type(item).__name__} {_short(item)}"
    span = item.span
    if not (isinstance(span, Span) and isinstance(span.path, str)
            and all(type(n) is int and n >= 1 for n in span[1:])):
        return f"a diagnostic without a valid span ({_short(span)})"
    if not (isinstance(item.code, str) and isinstance(item.name, str) and isinstance(item.message, str)
            and isinstance(item.severity, Severity) and (item.hint is None or isinstance(item.hint, str))):
        return "a diagnostic whose code, name, message, severity or hint has the wrong type"
    if not (isinstance(item.related, tuple) and all(
            isinstance(r, tuple) and len(r) == 2 and isinstance(r[0], str) and isinstance(r[1], Span)
            for r in item.related)):
        return "a diagnostic whose related locations are not (message, Span) pairs"
    return None


def _short(value) -> str:
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a hostile __repr__
        text = "?"
    return text if len(text) <= 60 else text[:57] + "..."


def _rule_crashed(rule, workspace, what: str) -> Diagnostic:
    origin = f"plugin {rule.plugin}" if rule.plugin else "JourneyQL"
    return Diagnostic("JQL000", "rule-crashed", Severity.ERROR,
                      f"rule {rule.code} ({rule.name}) of {origin} {what}",
                      Span(display_path(Path(workspace.root)), 1, 1, 1, 1), "report this to the rule's author")


def _dedupe(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    seen = set()
    out = []
    for x in diagnostics:
        key = (x.code, x.message, x.span)
        if key not in seen:
            seen.add(key)
            out.append(x)
    return out


def build_model(data: dict, ws_sources: WorkspaceSources, diagnostics: list[Diagnostic], validate: bool = True,
                light: bool = False):
    """The frozen pydantic model of the bound data; validation problems become diagnostics.

    ``validate=False`` builds it without pydantic's validators (see construct.py):
    ``check`` does that, since the binder has checked every value already. ``light=True`` builds
    the plain classes of light_model.py the same way, without importing pydantic.
    """
    payload = dict(data)
    payload["root"] = display_path(ws_sources.root)
    payload["files"] = [s.path for s in ws_sources.sources]
    payload["locale"] = ws_sources.settings.workspace.locale
    if light:
        from ..language import light_model

        return light_model.build(light_model.Workspace, payload)
    from ..language.model import Workspace

    if not validate:
        from ..language.construct import construct

        return construct(Workspace, payload)
    from pydantic import ValidationError

    try:
        return Workspace.model_validate(payload)
    except ValidationError as error:
        for problem in error.errors():
            span = _span_at(payload, problem["loc"])
            where = ".".join(str(p) for p in problem["loc"] if not isinstance(p, int))
            diagnostics.append(Diagnostic.of(WRONG_VALUE, f"`{where}`: {problem['msg']}", span))
        return None


def _span_at(data, loc) -> Span:
    span = Span("<workspace>", 1, 1, 1, 1)
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(node.get("span"), Span):
            span = node["span"]
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    if isinstance(node, dict) and isinstance(node.get("span"), Span):
        span = node["span"]
    return span
