"""Views of a list of diagnostics: human, concise, json, github and sarif.

All five read the same :class:`Diagnostic` records; none computes anything
of its own. ``concise`` is parsed by editors with one regular expression
(``path:line:col: CODE message``): never change its shape.
"""

from __future__ import annotations

import json
import os

from .. import __version__
from . import Diagnostic, Severity, all_codes

FORMATS = ("human", "concise", "json", "github", "sarif")


def summary(diagnostics: list[Diagnostic], files: int) -> dict:
    return {
        "errors": sum(d.severity is Severity.ERROR for d in diagnostics),
        "warnings": sum(d.severity is Severity.WARNING for d in diagnostics),
        "infos": sum(d.severity is Severity.INFO for d in diagnostics),
        "files": files,
    }


def render(fmt: str, diagnostics: list[Diagnostic], files: int, sources: dict[str, str] | None = None,
           color: bool = False) -> str:
    if fmt == "json":
        return as_json(diagnostics, files)
    if fmt == "sarif":
        return as_sarif(diagnostics)
    if fmt == "github":
        return "".join(as_github(d) + "\n" for d in diagnostics)
    if fmt == "concise":
        return "".join(as_concise(d) + "\n" for d in diagnostics)
    return as_human(diagnostics, files, sources or {}, color)


def as_concise(d: Diagnostic) -> str:
    return f"{d.span.path}:{d.span.line}:{d.span.column}: {d.code} {_one_line(d.message)}"


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")


def as_json(diagnostics: list[Diagnostic], files: int) -> str:
    counts = summary(diagnostics, files)
    document = {
        "version": 1,
        "diagnostics": [d.as_record() for d in diagnostics],
        "summary": {"errors": counts["errors"], "warnings": counts["warnings"], "infos": counts["infos"],
                    "files": files},
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# --- GitHub workflow commands ---------------------------------------------------

def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


_GH_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def as_github(d: Diagnostic) -> str:
    s = d.span
    props = ",".join([
        f"file={_gh_property(s.path)}",
        f"line={s.line}",
        f"col={s.column}",
        f"endLine={s.end_line}",
        f"endColumn={s.end_column}",
        f"title={_gh_property(f'{d.code} {d.name}')}",
    ])
    message = d.message + (f" ({d.hint})" if d.hint else "")
    return f"::{_GH_LEVEL[d.severity]} {props}::{_gh_data(message)}"


# --- SARIF 2.1.0 ---------------------------------------------------------------------

_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def as_sarif(diagnostics: list[Diagnostic]) -> str:
    codes = all_codes()
    index = {c.code: i for i, c in enumerate(codes)}
    rules = [{
        "id": c.code,
        "name": c.name,
        "shortDescription": {"text": c.summary},
        "helpUri": f"https://journeyql.invalid/docs/diagnostics#{c.code.lower()}",
        "defaultConfiguration": {"level": _SARIF_LEVEL[c.severity]},
    } for c in codes]
    extra_rules: dict[str, int] = {}
    results = []
    for d in diagnostics:
        if d.code not in index and d.code not in extra_rules:
            extra_rules[d.code] = len(rules)
            rules.append({"id": d.code, "name": d.name, "shortDescription": {"text": d.name},
                          "defaultConfiguration": {"level": _SARIF_LEVEL[d.severity]}})
        s = d.span
        message = d.message + (f" ({d.hint})" if d.hint else "")
        results.append({
            "ruleId": d.code,
            "ruleIndex": index.get(d.code, extra_rules.get(d.code)),
            "level": _SARIF_LEVEL[d.severity],
            "message": {"text": message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": s.path.replace(os.sep, "/")},
                "region": {"startLine": s.line, "startColumn": s.column,
                           "endLine": max(s.end_line, s.line), "endColumn": max(s.end_column, 1)},
            }}],
        })
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "journeyql", "version": __version__,
                                "informationUri": "https://journeyql.invalid", "rules": rules}},
            "results": results,
        }],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# --- human ------------------------------------------------------------------------------

_COLORS = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m", Severity.INFO: "\x1b[1;36m"}
_BOLD, _BLUE, _RESET = "\x1b[1m", "\x1b[1;34m", "\x1b[0m"
MAX_SHOWN = 120  # characters of a source line shown around the caret


def _excerpt(line: str, column: int, width: int) -> tuple[str, int, int]:
    """The part of a (possibly 5 MB long) line around ``column``, and the caret's place in it."""
    line = line.replace("\t", " ")
    start = 0
    if len(line) > MAX_SHOWN:
        start = max(0, min(column - 1 - MAX_SHOWN // 2, len(line) - MAX_SHOWN))
        line = line[start:start + MAX_SHOWN]
        prefix = "…" if start else ""
        suffix = "…" if start + MAX_SHOWN < len(line) + start else ""
        line = prefix + line + suffix
        column = column - start + len(prefix)
    width = max(1, min(width, len(line) - column + 2))
    return line, column, width


def as_human(diagnostics: list[Diagnostic], files: int, sources: dict[str, str], color: bool) -> str:
    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    out: list[str] = []
    lines_cache: dict[str, list[str]] = {}
    for d in diagnostics:
        s = d.span
        out.append(paint(_COLORS[d.severity], f"{d.severity.value}[{d.code}]") + paint(_BOLD, f": {d.message}"))
        out.append(f"  {paint(_BLUE, '-->')} {s.path}:{s.line}:{s.column}")
        text = sources.get(s.path)
        if text is not None:
            lines = lines_cache.setdefault(s.path, text.splitlines())
            if 1 <= s.line <= len(lines):
                width = (s.end_column - s.column) if s.end_line == s.line else len(lines[s.line - 1]) - s.column + 1
                shown, column, width = _excerpt(lines[s.line - 1], s.column, max(width, 1))
                gutter = " " * len(str(s.line))
                out.append(f"{gutter} {paint(_BLUE, '|')}")
                out.append(f"{paint(_BLUE, str(s.line))} {paint(_BLUE, '|')} {shown}")
                out.append(f"{gutter} {paint(_BLUE, '|')} {' ' * (column - 1)}"
                           + paint(_COLORS[d.severity], "^" * width))
        for message, where in d.related:
            out.append(f"  {paint(_BLUE, '=')} note: {message} at {where.path}:{where.line}:{where.column}")
        if d.hint:
            out.append(f"  {paint(_BLUE, '=')} hint: {d.hint}")
        out.append("")
    counts = summary(diagnostics, files)
    parts = []
    for key, word in (("errors", "error"), ("warnings", "warning"), ("infos", "info")):
        n = counts[key]
        if n:
            parts.append(f"{n} {word}{'s' if n != 1 else ''}")
    checked = f"{files} file{'s' if files != 1 else ''}"
    if parts:
        out.append(f"Found {', '.join(parts)} in {checked}.")
    else:
        out.append(f"All checks passed ({checked}).")
    return "\n".join(out) + "\n"
