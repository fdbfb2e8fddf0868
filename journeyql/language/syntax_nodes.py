"""The syntax tree: blocks, attributes and values, each with its span.

It knows nothing of journeys or personas: ``schema.py`` gives the keywords
their meaning. Both parser paths (``scanner.py`` and ``grammar.lark``)
build these nodes.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field

from ..diagnostics import Diagnostic
from ..diagnostics.span import Span


class Value:
    """One value of an attribute, or a block's name."""

    __slots__ = ("kind", "text", "value", "_span", "_where")

    def __init__(self, kind: str, text: str, value, span: Span | None, where=None):
        self.kind = kind  # string, number, percent, duration, money, range, ref, chain, comparison, relative
        self.text = text  # the canonical source spelling
        self.value = value
        self._span = span
        self._where = where  # (locate, start, end): the span is worked out when first asked for

    @property
    def span(self) -> Span:
        # Most values' spans are never read (only a finding needs one), so the
        # fast parser leaves them to be computed on demand.
        if self._span is None:
            locate, start, end = self._where
            self._span = locate(start, end)
        return self._span

    def __repr__(self) -> str:
        return f"Value({self.kind}, {self.text!r})"


class Attribute:
    __slots__ = ("key", "_key_span", "values", "_span", "_where")

    def __init__(self, key: str, key_span: Span | None, values: list[Value], span: Span | None = None, where=None):
        self.key = key
        self._key_span = key_span
        self.values = values
        self._span = span
        self._where = where  # (locate, start, end) of the keyword, when key_span is left to be worked out

    @property
    def key_span(self) -> Span:
        if self._key_span is None:
            locate, start, end = self._where
            self._key_span = locate(start, end)
        return self._key_span

    @property
    def span(self) -> Span:
        """From the keyword to the end of the last value (worked out when first asked for)."""
        if self._span is None:
            where, last = self._where, self.values[-1]
            if where is not None and last._span is None and last._where is not None and last._where[0] is where[0]:
                # both ends still offsets: one look-up in the line table, not two spans and a third
                self._span = where[0](where[1], last._where[2])
            else:
                self._span = self.key_span.to(last.span)
        return self._span

    depth = 0


class Block:
    __slots__ = ("key", "key_span", "name", "label", "label_span", "label_raw", "body", "span", "header_end_line",
                 "open_column", "depth", "kind")

    def __init__(self, key, key_span, name, label, label_span, body, span, header_end_line, depth,
                 open_column=0, label_raw=None, kind=None):
        self.key = key
        self.key_span = key_span
        self.name: Value | None = name
        self.label: str | None = label
        self.label_span: Span | None = label_span
        self.body: list[Attribute | Block] = body
        self.span = span
        self.header_end_line = header_end_line  # the line of the `{`
        self.open_column = open_column  # the column just after the `{`
        self.label_raw = label_raw  # the label as written, quotes included
        self.depth = depth
        #: a view's kind word as written (`for organisation x`: the ref `organisation`), None for `for x`
        self.kind: Value | None = kind


@dataclass
class Comment:
    line: int
    column: int
    text: str


@dataclass
class SyntaxFile:
    path: str
    text: str
    statements: list = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: with syntax errors: the statements that still read once each erroneous statement is blanked
    #: out (an editor's outline shows them; ``statements`` stays empty, so nothing is checked)
    recovered: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.diagnostics


# --- strings --------------------------------------------------------------

_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]{1,6}\}|.)", re.S)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unescape(body: str) -> str:
    if "\\" not in body:
        return body

    def replace(match: re.Match) -> str:
        esc = match.group(1)
        if esc.startswith("u{"):
            code = int(esc[2:-1], 16)
            return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return _SIMPLE_ESCAPES.get(esc, "\\" + esc)

    return _ESCAPE.sub(replace, body)


def decode_string(token_text: str) -> str:
    """The text a quoted literal stands for. Triple-quoted texts are dedented."""
    if token_text.startswith('"""'):
        body = token_text[3:-3]
        if body.startswith("\n"):
            body = body[1:]
        elif body.startswith("\r\n"):
            body = body[2:]
        body = textwrap.dedent(body.replace("\r\n", "\n")).rstrip()
        return _unescape(body)
    return _unescape(token_text[1:-1])


def relative_value(subject: Value, phrase: str, phrase_span: Span) -> Value:
    """``slot.valence no worse than previous`` (grammar.lark's ``relative``): the subject, and what it is held to."""
    return Value("relative", f"{subject.text} no worse than previous", (subject, "previous"),
                 subject.span.to(phrase_span))


def view_header(text: str, path: str, line: int, column: int) -> tuple:
    """``for organisation`` (one token in both parser paths): the key ``for``, its span, and the kind word."""
    word = text.split()[-1]
    word_column = column + len(text) - len(word)
    return ("for", Span(path, line, column, line, column + 3),
            Value("ref", word, (word,), Span(path, line, word_column, line, word_column + len(word))))


def literal(kind: str, text: str, span: Span | None, where=None) -> Value:
    """The value of a literal token (both parser paths use this, so they agree by construction)."""
    if kind == "STRING":
        return Value("string", text, decode_string(text), span, where)
    if kind == "NUMBER":
        return Value("number", text, float(text), span, where)
    if kind == "PERCENT":
        return Value("percent", text, float(text[:-1]), span, where)
    if kind == "DURATION":
        return Value("duration", text, text, span, where)
    if kind == "MONEY":
        amount = text[:-3].strip()
        return Value("money", f"{amount} {text[-3:]}", (float(amount), text[-3:]), span, where)
    if kind == "RANGE":
        low, high = text.split("..")
        return Value("range", text, (float(low), float(high)), span, where)
    raise ValueError(f"not a literal token: {kind}")
