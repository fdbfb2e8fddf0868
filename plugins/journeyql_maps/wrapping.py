"""Long spec texts wrapped into lines, so a 500-character label makes a tall cell, not a page-wide one.

Making the lines safe for DOT is :func:`journeyql.graphviz.text_label`'s job; this module only decides
where lines break.
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
