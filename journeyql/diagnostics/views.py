"""Views of a list of diagnostics: human, concise, json, github and sarif.

All five read the same :class:`Diagnostic` records; none computes anything
of its own. ``concise`` is parsed by editors with one regular expression
(``path:line:col: CODE message``): never change its shape.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from pathlib import Path
from urllib.parse import quote

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
           color: bool = False, help_uri_base: str | None = None) -> str:
    if fmt == "json":
        return as_json(diagnostics, files)
    if fmt == "sarif":
        return as_sarif(diagnostics, help_uri_base=help_uri_base)
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
#: GitHub shows at most this many annotations of each type per step; the job summary lists them all.
GITHUB_ANNOTATIONS_SHOWN = 10
_SUMMARY_ROWS = 1000  # a job summary holds at most 1 MiB


def as_github(d: Diagnostic) -> str:
    s = d.span
    props = [f"file={_gh_property(s.path)}", f"line={s.line}"]
    if s.end_line == s.line:  # GitHub takes columns only for a span on one line: else it drops the annotation
        props += [f"col={s.column}", f"endLine={s.end_line}", f"endColumn={s.end_column}"]
    else:
        props += [f"endLine={s.end_line}"]
    props.append(f"title={_gh_property(f'{d.code} {d.name}')}")
    message = d.message + (f" ({d.hint})" if d.hint else "")
    return f"::{_GH_LEVEL[d.severity]} {','.join(props)}::{_gh_data(message)}"


def _md_cell(text: str) -> str:
    """Spec text in a Markdown table cell: no markup, no HTML, one line, bidi controls shown by code point."""
    out = []
    for ch in " ".join(str(text).split()):
        if ch in "\\`*_[]<>|#~&":
            out.append("&amp;" if ch == "&" else "\\" + ch)
        elif unicodedata.category(ch) in ("Cc", "Cf"):
            out.append(f"[U+{ord(ch):04X}]")
        else:
            out.append(ch)
    return "".join(out)


def github_summary(diagnostics: list[Diagnostic], files: int) -> str:
    """A job summary (``$GITHUB_STEP_SUMMARY``) listing every finding, which annotations cannot."""
    counts = summary(diagnostics, files)
    lines = ["## JourneyQL check", ""]
    totals = ", ".join(f"{counts[key]} {word}{'' if counts[key] == 1 else 's'}"
                       for key, word in (("errors", "error"), ("warnings", "warning"), ("infos", "info")))
    lines.append(f"{totals} in {files} file{'' if files == 1 else 's'}.")
    shown_kinds = [word for severity, word in _GH_LEVEL.items()
                   if sum(d.severity is severity for d in diagnostics) > GITHUB_ANNOTATIONS_SHOWN]
    if shown_kinds:
        lines.append(f"GitHub annotates at most {GITHUB_ANNOTATIONS_SHOWN} findings of each type "
                     f"({', '.join(shown_kinds)}: more here); this table lists them all.")
    if not diagnostics:
        return "\n".join(lines) + "\n"
    lines += ["", "| severity | code | where | message |", "|---|---|---|---|"]
    for d in diagnostics[:_SUMMARY_ROWS]:
        s = d.span
        message = d.message + (f" ({d.hint})" if d.hint else "")
        lines.append(f"| {d.severity.value} | `{d.code}` {d.name} | {_md_cell(f'{s.path}:{s.line}:{s.column}')} "
                     f"| {_md_cell(message)} |")
    if len(diagnostics) > _SUMMARY_ROWS:
        lines.append(f"\n{len(diagnostics) - _SUMMARY_ROWS} more findings are not listed; "
                     "run `journeyql check` to see them all.")
    return "\n".join(lines) + "\n"


# --- SARIF 2.1.0 ---------------------------------------------------------------------

_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#: Where helpUri points: this base plus the code's anchor in docs/diagnostics.md.
HELP_URI_VARIABLE = "JOURNEYQL_HELP_URI_BASE"
_SRCROOT = "%SRCROOT%"


def repository_root(start: str | None = None) -> Path:
    """The git work tree around ``start`` (default: the current directory), else that directory."""
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def _artifact(path: str, root: Path) -> dict:
    """A percent-encoded URI relative to the repository root, or an absolute file URI outside it."""
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(root).as_posix()
    except ValueError:
        return {"uri": absolute.as_uri()}
    return {"uri": quote(relative, safe="/"), "uriBaseId": _SRCROOT}


def _physical(span, root: Path) -> dict:
    region = {"startLine": span.line, "startColumn": span.column,
              "endLine": max(span.end_line, span.line), "endColumn": max(span.end_column, 1)}
    return {"artifactLocation": _artifact(span.path, root), "region": region}


def _located(span) -> bool:
    return not span.path.startswith("<")  # `<unknown>`, `<string>`: no file to point to


_PLACES = re.compile(r":\d+(:\d+)?\b")


def _fingerprint(d: Diagnostic, where: str, seen: dict[str, int]) -> str:
    """Stable when lines move: the code, the file and the message without line:column numbers."""
    key = hashlib.sha256(f"{d.code}\0{where}\0{_PLACES.sub('', d.message)}".encode()).hexdigest()[:32]
    seen[key] = seen.get(key, 0) + 1
    return f"{key}:{seen[key]}"


def _rule(code, help_uri_base: str | None) -> dict:
    from .rule_help import help_text

    rule = {
        "id": code.code,
        "name": code.name,
        "shortDescription": {"text": code.summary},
        "fullDescription": {"text": code.summary},
        "defaultConfiguration": {"level": _SARIF_LEVEL[code.severity]},
    }
    advice = help_text(code.code)
    if advice:
        rule["help"] = {"text": f"{code.summary} {advice}", "markdown": f"{code.summary}\n\n{advice}"}
    if help_uri_base:
        rule["helpUri"] = f"{help_uri_base.rstrip('#')}#{code.code.lower()}-{code.name}"
    return rule


def as_sarif(diagnostics: list[Diagnostic], root: str | Path | None = None,
             help_uri_base: str | None = None) -> str:
    """SARIF 2.1.0 as code-scanning tools take it: locations relative to the repository root."""
    root = Path(root).resolve() if root is not None else repository_root()
    help_uri_base = help_uri_base or os.environ.get(HELP_URI_VARIABLE) or None
    codes = all_codes()
    index = {c.code: i for i, c in enumerate(codes)}
    rules = [_rule(c, help_uri_base) for c in codes]
    extra_rules: dict[str, int] = {}
    results = []
    seen: dict[str, int] = {}
    for d in diagnostics:
        if d.code not in index and d.code not in extra_rules:
            extra_rules[d.code] = len(rules)
            rules.append({"id": d.code, "name": d.name, "shortDescription": {"text": d.name},
                          "defaultConfiguration": {"level": _SARIF_LEVEL[d.severity]}})
        s = d.span
        message = d.message + (f" ({d.hint})" if d.hint else "")
        result = {
            "ruleId": d.code,
            "ruleIndex": index.get(d.code, extra_rules.get(d.code)),
            "level": _SARIF_LEVEL[d.severity],
            "message": {"text": message},
            "locations": [{"physicalLocation": _physical(s, root)}] if _located(s) else [],
            "partialFingerprints": {"journeyqlFinding/v1": _fingerprint(d, _artifact(s.path, root)["uri"], seen)},
        }
        related = [{"id": number, "message": {"text": text}, "physicalLocation": _physical(where, root)}
                   for number, (text, where) in enumerate(d.related, start=1) if _located(where)]
        if related:
            result["relatedLocations"] = related
        results.append(result)
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "journeyql", "version": __version__, "rules": rules}},
            "originalUriBaseIds": {_SRCROOT: {"uri": root.as_uri().rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# --- human ------------------------------------------------------------------------------

_COLORS = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m", Severity.INFO: "\x1b[1;36m"}
_BOLD, _BLUE, _RESET = "\x1b[1m", "\x1b[1;34m", "\x1b[0m"
MAX_SHOWN = 120  # characters of a source line shown around the caret


_HIDDEN = {"Cc", "Zl", "Zp"}
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _excerpt(line: str, column: int, width: int) -> tuple[str, int, int]:
    """The part of a (possibly 5 MB long) line around ``column``, and the caret's place in it."""
    line = line.replace("\t", " ")
    # a control, bidi or line-separator character would reorder or break the quoted line in a terminal
    # (and mislead a reviewer); one replacement character each keeps the caret under the right column
    line = "".join("\ufffd" if ch in _BIDI or unicodedata.category(ch) in _HIDDEN else ch for ch in line)
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
            # lines as the parser counts them: only \n ends one (splitlines would also break at NEL,
            # U+2028, FF ... inside a text and quote the wrong line)
            lines = lines_cache.setdefault(s.path, [ln.removesuffix("\r") for ln in text.split("\n")])
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
