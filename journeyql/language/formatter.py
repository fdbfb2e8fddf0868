"""One canonical layout for spec files, comments kept (``journeyql fmt``).

There are no options, as with black and ``terraform fmt``: two spaces per
level, one attribute per line, every block opened on its header line and
closed on a line of its own, one space around ``->`` and comparisons, at
most one blank line kept where the author left any. Comments stay where
they were: a comment on its own line stays before the statement it
preceded; a comment after a statement stays at the end of its line.
Formatting only ever changes layout, so the model is the same before and
after (a test checks this on every example spec).
"""

from __future__ import annotations

import os
import re

from ..diagnostics import SpecError
from .syntax import Attribute, Block, Comment, SyntaxFile, Value, parse_syntax

INDENT = "  "


def format_source(text: str, path: str = "<string>") -> str:
    """The canonical form of a spec text; raises :class:`SpecError` if the text has syntax errors."""
    syntax = parse_syntax(text, path)
    if not syntax.ok:
        raise SpecError(syntax.diagnostics)
    return format_syntax(syntax)


def format_syntax(syntax: SyntaxFile) -> str:
    return _Printer(syntax).run()


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _invisible(ch: str) -> bool:
    """Characters written as ``\\u{..}``: controls, and white space other than space, tab and newline.

    Python's ``str.strip`` (which decoding a triple-quoted text uses) eats VT, FF, FS..US,
    NEL and U+2028/2029 too, and editors break lines at some of them, so written raw they
    would not survive the next ``fmt`` (the value would change and ``fmt --check`` would fail
    after ``fmt``).
    """
    code = ord(ch)
    return code < 32 or 127 <= code < 160 or (ch.isspace() and ch not in " \t\n")


def _unicode_escape(ch: str) -> str:
    return f"\\u{{{ord(ch):x}}}"


def quote(text: str) -> str:
    """A one-line quoted literal for ``text``."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif _invisible(ch):
            out.append(_unicode_escape(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


_QUOTE_RUN = re.compile('"{3,}')


def _long_line(line: str) -> str:
    """One line of a triple-quoted literal: backslashes, runs of quotes and invisible characters escaped."""
    out = []
    for ch in line:
        if ch == "\\":
            out.append("\\\\")
        elif ch == "\t":
            out.append(ch)
        elif _invisible(ch):
            out.append(_ESCAPES.get(ch) or _unicode_escape(ch))
        else:
            out.append(ch)
    return _QUOTE_RUN.sub(lambda run: '\\"' * len(run.group()), "".join(out))


def _escape_first(line: str) -> str:
    """The line with its first character (a space or a tab) escaped, so no decoding strips it."""
    return ("\\t" if line[0] == "\t" else "\\u{20}") + line[1:]


def _long_quote(text: str, indent: str) -> str:
    """A triple-quoted literal, its lines indented one level deeper than the statement.

    Decoding dedents the lines and strips the end (syntax_nodes.decode_string), so what
    that would remove from ``text`` is written as escapes: trailing newlines and blanks,
    lines of blanks only, and indentation every line shares.
    """
    if not text:
        return '""'
    trailing_newlines = len(text) - len(text.rstrip("\n"))
    lines = [_long_line(line) for line in text[: len(text) - trailing_newlines].split("\n")]
    lines[-1] += "\\n" * trailing_newlines
    last = lines[-1]
    if last[-1:] in (" ", "\t"):
        lines[-1] = last[:-1] + ("\\t" if last[-1] == "\t" else "\\u{20}")
    lines = [_escape_first(line) if line and not line.strip(" \t") else line for line in lines]
    indents = [line[: len(line) - len(line.lstrip(" \t"))] for line in lines if line]
    if indents and os.path.commonprefix(indents):
        first = next(i for i, line in enumerate(lines) if line)
        lines[first] = _escape_first(lines[first])
    inner = indent + INDENT
    return '"""\n' + "\n".join((inner + line) if line else "" for line in lines) + "\n" + inner + '"""'


def _string(raw: str, value: str, indent: str) -> str:
    if raw.startswith('"""'):
        return _long_quote(value, indent)
    return quote(value)


def format_value(value: Value, indent: str = "") -> str:
    kind = value.kind
    if kind == "string":
        return _string(value.text, value.value, indent)
    if kind == "comparison":
        subject, op, limit = value.value
        return f"{subject.text} {op} {limit.text}"
    return value.text


class _Printer:
    def __init__(self, syntax: SyntaxFile):
        self.syntax = syntax
        self.lines: list[str] = []
        self.trailing: dict[tuple[str, int], str] = {}
        self.own_line: list[Comment] = []
        self.next_comment = 0
        self._place_comments()

    # A comment that follows code on its line trails the element that ends
    # last before it on that line; any other comment stands on its own line.
    def _place_comments(self) -> None:
        ends: dict[int, list[tuple[int, tuple[str, int]]]] = {}

        def visit(statements) -> None:
            for statement in statements:
                span = statement.span
                if isinstance(statement, Block):
                    ends.setdefault(statement.header_end_line, []).append(
                        (statement.open_column, ("open", id(statement))))
                    visit(statement.body)
                    ends.setdefault(span.end_line, []).append((span.end_column, ("close", id(statement))))
                else:
                    ends.setdefault(span.end_line, []).append((span.end_column, ("attr", id(statement))))

        visit(self.syntax.statements)
        for comment in self.syntax.comments:
            before = [e for e in ends.get(comment.line, []) if e[0] <= comment.column]
            if before:
                anchor = max(before)[1]
                previous = self.trailing.get(anchor)
                self.trailing[anchor] = comment.text if previous is None else previous + " " + comment.text.lstrip("# ")
            else:
                self.own_line.append(comment)

    def run(self) -> str:
        self._body(self.syntax.statements, "", None)
        self._comments_before(None, "", None)
        text = "\n".join(self.lines).rstrip("\n")
        return text + "\n" if text else ""

    def _emit(self, line: str) -> None:
        self.lines.append(line.rstrip())

    def _blank(self, previous_end: int | None, start: int) -> None:
        if previous_end is not None and start - previous_end > 1 and self.lines and self.lines[-1] != "":
            self.lines.append("")

    def _comments_before(self, limit: tuple[int, int] | None, indent: str, previous_end: int | None) -> int | None:
        while self.next_comment < len(self.own_line):
            comment = self.own_line[self.next_comment]
            if limit is not None and (comment.line, comment.column) >= limit:
                break
            self._blank(previous_end, comment.line)
            self._emit(indent + comment.text)
            previous_end = comment.line
            self.next_comment += 1
        return previous_end

    def _body(self, statements, indent: str, previous_end: int | None) -> int | None:
        for statement in statements:
            span = statement.span
            previous_end = self._comments_before((span.line, span.column), indent, previous_end)
            self._blank(previous_end, span.line)
            if isinstance(statement, Attribute):
                self._attribute(statement, indent)
            else:
                self._block(statement, indent)
            previous_end = span.end_line
        return previous_end

    def _with_trailing(self, text: str, anchor: tuple[str, int]) -> str:
        comment = self.trailing.get(anchor)
        return f"{text}  {comment}" if comment else text

    def _attribute(self, attribute: Attribute, indent: str) -> None:
        # comments written between the values of a multi-line attribute move above it
        self._comments_before((attribute.span.end_line, attribute.span.end_column), indent, None)
        values = ", ".join(format_value(v, indent) for v in attribute.values)
        self._emit(self._with_trailing(f"{indent}{attribute.key} {values}", ("attr", id(attribute))))

    def _block(self, block: Block, indent: str) -> None:
        self._comments_before((block.header_end_line, block.open_column - 1), indent, None)
        header = [block.key]
        if block.kind is not None:  # `for organisation x`: the kind word is kept as written (fmt resolves no names)
            header.append(block.kind.text)
        if block.name is not None:
            header.append(format_value(block.name, indent))
        if block.label is not None:
            header.append(_string(block.label_raw or '"', block.label, indent))
        head = f"{indent}{' '.join(header)} {{"
        close = ("close", id(block))
        if not block.body and not self._has_comments_before(block.span) and ("open", id(block)) not in self.trailing:
            self._emit(self._with_trailing(head + "}", close))
            return
        self._emit(self._with_trailing(head, ("open", id(block))))
        inner = indent + INDENT
        last = self._body(block.body, inner, None)
        self._comments_before((block.span.end_line, block.span.end_column - 1), inner, last)
        self._emit(self._with_trailing(f"{indent}}}", close))

    def _has_comments_before(self, span) -> bool:
        if self.next_comment >= len(self.own_line):
            return False
        comment = self.own_line[self.next_comment]
        return (comment.line, comment.column) < (span.end_line, span.end_column)
