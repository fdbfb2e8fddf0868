"""Making graphviz's SVG the same bytes on every run: its comments name its version and differ between installs."""

from __future__ import annotations

import re

_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)


def deterministic(svg: str) -> str:
    """The SVG without graphviz's comments, with ``\\n`` line ends and a final newline.

    Spec text never contains a raw ``<!--``: graphviz escapes ``<`` in text as ``&lt;``.
    """
    text = _COMMENT.sub("", svg.replace("\r\n", "\n"))
    return text if text.endswith("\n") else text + "\n"
