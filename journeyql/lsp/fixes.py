"""The machine-applicable part of a diagnostic's hint: the edit a code action makes.

Only hints that say exactly what to write become fixes (did-you-mean, the percentage form, a
name without quotes, a missing `}`, a stray `;`, `:` or `=`); the others stay advice.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..diagnostics import Diagnostic
from ..diagnostics.span import Span


class Fix(NamedTuple):
    title: str
    span: Span  #: what to replace (an empty span inserts)
    text: str


_DID_YOU_MEAN = re.compile(r"did you mean `([^`]+)`\?")
_PERCENT = re.compile(r"write it as a percentage: `\S+ ([^`]+%)`")
_UNQUOTED = re.compile(r"refer to things by their name, without quotes: `\S+ ([^`]+)`")
_DELETE = ("statements need no `;`", "write `key value` without `:` or `=`")


def fix_for(diagnostic: Diagnostic, text: str) -> Fix | None:
    """The fix for a diagnostic of the file whose text is ``text``, or None when its hint is advice only."""
    hint, span = diagnostic.hint or "", diagnostic.span
    if match := _DID_YOU_MEAN.search(hint):
        meant = match.group(1)
        written = _text_of(text, span)
        if "." in written and "." not in meant:  # journey.typo: only the misspelt part changes
            meant = written.rsplit(".", 1)[0] + "." + meant
        return Fix(f"Change to `{meant}`", span, meant)
    if match := _PERCENT.search(hint):
        return Fix(f"Write `{match.group(1)}`", span, match.group(1))
    if match := _UNQUOTED.search(hint):
        return Fix(f"Write the name `{match.group(1)}`", span, match.group(1))
    if hint == "add the missing `}`":
        lines = text.split("\n")
        end = Span(span.path, len(lines), len(lines[-1]) + 1, len(lines), len(lines[-1]) + 1)
        return Fix("Add the missing `}`", end, ("\n" if lines[-1] else "") + "}\n")
    if any(hint.startswith(start) for start in _DELETE):
        return Fix(f"Remove `{_text_of(text, span)}`", span, "")
    return None


def _text_of(text: str, span: Span) -> str:
    lines = text.split("\n")
    if span.line != span.end_line or span.line > len(lines):
        return ""
    return lines[span.line - 1][span.column - 1: span.end_column - 1]
