"""The fast path of the parser: whole statements, nested by a stack.

lark's LALR parser costs a few microseconds per token in pure Python; at
the ~150 tokens per kilobyte of a dense spec that caps parsing near 1 MB/s
before any other work. So the normal path lexes at the *statement* level:
one regular expression (C speed) matches a whole attribute (``key value,
value``), block header (``key name "label" {``) or ``}``, and a stack nests
the blocks (the block structure needs no parser: a header opens a body, a
``}`` closes the innermost one). The values inside a statement are split
out by a second expression that uses the token definitions of
``grammar.lark``.

Both paths accept exactly the same language: every token pattern below is
the one in ``grammar.lark`` (a test compares them), each token is matched
as an atomic group so the regex engine cannot re-split a token the way a
lexer never would, and a test checks that both paths build identical
syntax trees. Whenever the fast path meets anything it does not match (or
a ``}`` too many, or a block never closed), the caller falls back to the
full token grammar, which produces the precise "expected ..." diagnostic,
so the fast path never decides an error.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ..diagnostics.span import Span
from .syntax_nodes import Attribute, Block, Value, decode_string, literal, relative_value, view_header

# The token definitions of grammar.lark (a test keeps them identical).
TOKENS = {
    "STRING": r'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""|"[^"\\\n]*(?:\\.[^"\\\n]*)*"',
    "RANGE": r"-?\d+(?:\.\d+)?\.\.-?\d+(?:\.\d+)?",
    "MONEY": r"-?\d+(?:\.\d+)?[ \t]*[A-Z]{3}(?![\w])",
    "PERCENT": r"-?\d+(?:\.\d+)?%",
    "DURATION": r"\d+(?:\.\d+)?(?:ms|min|mo|s|h|d|w|y)(?![\w])",
    "NUMBER": r"-?\d+(?:\.\d+)?",
    "IDENT": r"[^\W\d]\w*",
    "RELATIVE": r"no[ \t]+worse[ \t]+than[ \t]+previous(?!\w)",
    "VIEW": r"for[ \t]+[^\W\d]\w*(?=[ \t]+[^\W\d])",
    "COMPARE": r">=|<=|==|!=|>|<|=",
    "COMMENT": r"#[^\n]*",
    "WS": r"[ \t\f\r\n\ufeff]+",
}

_T = TOKENS
_GAP = rf"(?>[ \t\f\r\n\ufeff]*(?:{_T['COMMENT']}[ \t\f\r\n\ufeff]*)*)"
_IDENT = rf"(?>{_T['IDENT']})"
_DOTTED = rf"{_IDENT}(?:{_GAP}\.{_GAP}{_IDENT})*"
_LITERAL = rf"(?>{_T['STRING']}|{_T['RANGE']}|{_T['MONEY']}|{_T['PERCENT']}|{_T['DURATION']}|{_T['NUMBER']})"
_LIMIT = rf"(?>{_T['MONEY']}|{_T['PERCENT']}|{_T['DURATION']}|{_T['NUMBER']})"
_CHAIN_TAIL = rf"(?:{_GAP}->{_GAP}{_DOTTED})+"
_REFISH = rf"{_DOTTED}(?:{_CHAIN_TAIL}|{_GAP}(?>{_T['COMPARE']}){_GAP}{_LIMIT}|{_GAP}(?>{_T['RELATIVE']}))?"
_VALUE = rf"(?:{_LITERAL}|{_REFISH})"
_NAME = rf"{_DOTTED}(?:{_CHAIN_TAIL})?"
_VIEW = rf"(?>{_T['VIEW']})"

# The common shapes get their own alternatives, matched and taken apart in
# one step: `key value` alone on its line (or before the next statement) and
# `key name "label" {` on one line. The lookahead says the value is complete:
# what follows starts a new statement (a name), a comment, a `}` or the end.
_ENDS = r"(?=[ \t\f\r\n\ufeff]*(?:[^\W\d]|#|\}|\Z))(?![ \t\f\r\n\ufeff]*no[ \t]+worse[ \t]+than[ \t]+previous(?!\w))"
_ONE_VALUE = rf"(?>{_T['STRING']}|{_T['RANGE']}|{_T['MONEY']}|{_T['PERCENT']}|{_T['DURATION']}|{_T['NUMBER']}|{_T['IDENT']})"
_LINE_STRING = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'

_STATEMENT = re.compile(
    # leading white space is part of each match: one Python step per statement, not two
    rf"(?:{_T['WS']})?(?:(?P<end>\Z)"
    rf"|(?P<comment>{_T['COMMENT']})"
    rf"|(?P<close>\}})"
    # `for organisation x {`: grammar.lark's VIEW token, then the header like `open`'s; VIEW without
    # the rest of a header is left to the full grammar (it reports it), never read as `for organisation`
    rf"|(?P<view_open>(?P<vk>{_VIEW}){_GAP}{_NAME}(?:{_GAP}(?>{_T['STRING']}))?{_GAP}\{{)"
    rf"|(?P<view_bad>{_VIEW})"
    # `no worse than previous` starting a statement: after a chain the grammar still lexes it as one token
    # (LALR shares the state after a name) and refuses it; the full grammar decides
    rf"|(?P<relative_bad>(?>{_T['RELATIVE']}))"
    rf"|(?P<simple>(?P<sk>{_IDENT})[ \t]+(?P<sv>{_ONE_VALUE}(?:[ \t]*,[ \t]*{_ONE_VALUE})*){_ENDS})"
    rf"|(?P<simple_open>(?P<sok>{_IDENT})(?:[ \t]+(?P<son>{_IDENT}))?(?:[ \t]*(?P<sol>{_LINE_STRING}))?[ \t]*\{{)"
    rf"|(?P<open>{_DOTTED}(?:{_GAP}{_NAME})?(?:{_GAP}(?>{_T['STRING']}))?{_GAP}\{{)"
    rf"|(?P<attr>{_DOTTED}{_GAP}{_VALUE}(?:{_GAP},{_GAP}{_VALUE})*))"
)

# The values of a simple statement, one by one (separators are skipped).
_ONE = re.compile(_ONE_VALUE)

# Inside a matched statement: the tokens, in grammar.lark's priority order.
_PIECE = re.compile(
    rf"(?P<WS>{_T['WS']})|(?P<COMMENT>{_T['COMMENT']})|(?P<STRING>{_T['STRING']})|(?P<RANGE>{_T['RANGE']})"
    rf"|(?P<MONEY>{_T['MONEY']})|(?P<PERCENT>{_T['PERCENT']})|(?P<DURATION>{_T['DURATION']})"
    rf"|(?P<NUMBER>{_T['NUMBER']})|(?P<RELATIVE>{_T['RELATIVE']})|(?P<IDENT>{_T['IDENT']})|(?P<ARROW>->)|(?P<COMPARE>{_T['COMPARE']})"
    rf"|(?P<DOT>\.)|(?P<COMMA>,)|(?P<LBRACE>\{{)"
)


_new_span = Span._make


class NoFastPath(Exception):
    """The text is not matched by the statement scanner: use the full grammar."""


class Locator:
    """Turns offsets into spans from the line table, whenever asked.

    Syntax nodes keep one of these (not the scanner) for the spans they work out
    later: nodes referring back to the scanner that holds them would form
    reference cycles, which only the cyclic collector can free (a 70 ms pause
    per MB of specs).
    """

    __slots__ = ("path", "line_starts")

    def __init__(self, path: str, line_starts: list[int]):
        self.path = path
        self.line_starts = line_starts

    def __call__(self, start: int, end: int) -> Span:
        lines = self.line_starts
        line = bisect_right(lines, start)
        first = lines[line - 1]
        if line == len(lines) or end < lines[line]:  # on one line, as nearly every span is
            return _new_span((self.path, line, start - first + 1, line, end - first + 1))
        end_line = bisect_right(lines, end)
        return _new_span((self.path, line, start - first + 1, end_line, end - lines[end_line - 1] + 1))


def _line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    at = find("\n")
    while at >= 0:
        at += 1
        starts.append(at)
        at = find("\n", at)
    return starts


_ONE_KIND = re.compile(
    rf"(?P<STRING>{_T['STRING']})|(?P<RANGE>{_T['RANGE']})|(?P<MONEY>{_T['MONEY']})|(?P<PERCENT>{_T['PERCENT']})"
    rf"|(?P<DURATION>{_T['DURATION']})|(?P<NUMBER>{_T['NUMBER']})|(?P<IDENT>{_T['IDENT']})"
)


def _token_value(raw: str, start: int, stop: int, locate) -> Value:
    """The value of one whole token of a simple statement (``raw`` is text[start:stop]).

    Its kind is told by its spelling, the token kinds' spellings being disjoint: a quote opens a
    text, ASCII letters or ``_`` a name, and a token starting with an ASCII digit or ``-`` is a range
    (``..``), a percentage (``%``), an amount (a currency's capitals), a duration (a unit's letters)
    or a number. Anything else (a digit of another script, a letter-like ``²``) asks the token
    patterns themselves.
    """
    first = raw[0]
    if first == '"':
        return Value("string", raw, raw[1:-1] if "\\" not in raw and raw[:3] != '"""' else decode_string(raw),
                     None, (locate, start, stop))
    if "a" <= first <= "z" or "A" <= first <= "Z" or first == "_":
        return Value("ref", raw, (raw,), None, (locate, start, stop))
    if "0" <= first <= "9" or first == "-":
        last = raw[-1]
        if ".." in raw:
            kind = "RANGE"
        elif last == "%":
            kind = "PERCENT"
        elif "A" <= last <= "Z":
            kind = "MONEY"
        elif "a" <= last <= "z":
            kind = "DURATION"
        else:
            kind = "NUMBER"
    else:
        kind = _ONE_KIND.fullmatch(raw).lastgroup
        if kind == "IDENT":
            return Value("ref", raw, (raw,), None, (locate, start, stop))
    return literal(kind, raw, None, (locate, start, stop))


class Scanner:
    """Splits a text into statements and builds their syntax nodes."""

    def __init__(self, text: str, path: str):
        self.text = text
        self.path = path
        self.line_starts = _line_starts(text)
        self.locate = Locator(path, self.line_starts)
        self.comments: list[tuple[int, int, str]] = []

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        return self.locate(start, end)

    def statements(self) -> list:
        """The top-level statements, their blocks nested; NoFastPath where the text is not matched.

        The nesting is a stack: a header opens a body, a `}` closes the innermost one. A `}` with
        nothing open, or a block still open at the end, is a syntax error, which only the full
        grammar describes, so those refuse the fast path too. Only what a node needs at once is
        worked out here: positions come from the line table (a binary search) for block headers
        and ends only, and every value's span waits until something asks for it.
        """
        text = self.text
        pos, end = 0, len(text)
        match_at = _STATEMENT.match
        locate = self.locate
        lines = self.line_starts
        path = self.path
        top: list = []
        body = top  # the innermost open body
        depth = 0  # the deepest statement in `body` so far (an attribute is 0)
        stack: list = []  # per open block: (its header, the enclosing body, that body's depth so far)
        while pos < end:
            m = match_at(text, pos)
            if m is None:
                raise NoFastPath(pos)
            kind = m.lastgroup
            if kind == "simple":
                key_start, key_end = m.span("sk")
                start, stop = m.span("sv")
                raw = text[start:stop]
                if "," in raw:  # `key value, value`: each value is one token, so a scan splits them
                    values = [_token_value(v.group(), *v.span(), locate) for v in _ONE.finditer(text, start, stop)]
                else:
                    values = [_token_value(raw, start, stop, locate)]
                body.append(Attribute(text[key_start:key_end], None, values, None, (locate, key_start, key_end)))
            elif kind == "close":
                if not stack:
                    raise NoFastPath(pos)  # one `}` too many
                stop = m.end()
                line = bisect_right(lines, stop)
                key, key_span, name, label, brace_line, brace_end_column, *view = stack[-1][0]
                label_text = label_span = label_raw = None
                if label is not None:
                    label_raw, label_span = label
                    label_text = decode_string(label_raw)
                block = Block(key, key_span, name, label_text, label_span, body,
                              _new_span((path, key_span.line, key_span.column, line, stop - lines[line - 1] + 1)),
                              brace_line, depth + 1, brace_end_column, label_raw, view[0] if view else None)
                _, body, outer_depth = stack.pop()
                body.append(block)
                depth = outer_depth if outer_depth > depth else depth + 1
            elif kind == "simple_open" or kind == "open" or kind == "view_open":
                begin = m.start(kind)
                header = (self._simple_header(m) if kind == "simple_open" else self._header(begin, m.end())
                          if kind == "open" else self._view_header(m, m.end()))
                stack.append((header, body, depth))
                body = []
                depth = 0
            elif kind == "attr":
                body.append(self._attribute(m.start(kind), m.end()))
            elif kind == "view_bad" or kind == "relative_bad":
                raise NoFastPath(pos)
            elif kind == "comment":
                begin = m.start(kind)
                line, column = self.position(begin)
                self.comments.append((line, column, m.group(kind).rstrip()))
            else:  # the end
                break
            pos = m.end()
        if stack:
            raise NoFastPath(end)  # a block never closed
        return top

    # --- inside a statement ---------------------------------------------------------

    def _pieces(self, start: int, end: int) -> list[tuple[str, str, int, int]]:
        pieces = []
        for m in _PIECE.finditer(self.text, start, end):
            kind = m.lastgroup
            if kind == "WS":
                continue
            if kind == "COMMENT":
                line, column = self.position(m.start())
                self.comments.append((line, column, m.group().rstrip()))
                continue
            pieces.append((kind, m.group(), m.start(), m.end()))
        return pieces

    def _dotted(self, pieces, i: int) -> tuple[tuple[str, ...], int]:
        parts = [pieces[i][1]]
        i += 1
        while i + 1 < len(pieces) and pieces[i][0] == "DOT":
            parts.append(pieces[i + 1][1])
            i += 2
        return tuple(parts), i

    def _ref(self, pieces, i: int) -> tuple[Value, int]:
        parts, j = self._dotted(pieces, i)
        return Value("ref", ".".join(parts), parts, self.span(pieces[i][2], pieces[j - 1][3])), j

    def _refish(self, pieces, i: int) -> tuple[Value, int]:
        ref, i = self._ref(pieces, i)
        if i < len(pieces) and pieces[i][0] == "ARROW":
            refs = [ref]
            while i < len(pieces) and pieces[i][0] == "ARROW":
                nxt, i = self._ref(pieces, i + 1)
                refs.append(nxt)
            return Value("chain", " -> ".join(r.text for r in refs), tuple(refs), ref.span.to(refs[-1].span)), i
        if i < len(pieces) and pieces[i][0] == "RELATIVE":
            return relative_value(ref, pieces[i][1], self.span(pieces[i][2], pieces[i][3])), i + 1
        if i < len(pieces) and pieces[i][0] == "COMPARE":
            op = pieces[i][1]
            limit = self._literal(pieces[i + 1])
            return Value("comparison", f"{ref.text} {op} {limit.text}", (ref, op, limit), ref.span.to(limit.span)), i + 2
        return ref, i

    def _literal(self, piece) -> Value:
        kind, text, start, end = piece
        return literal(kind, text, None, (self.locate, start, end))

    def _value(self, pieces, i: int) -> tuple[Value, int]:
        if pieces[i][0] == "IDENT":
            return self._refish(pieces, i)
        return self._literal(pieces[i]), i + 1

    def _attribute(self, start: int, end: int) -> Attribute:
        pieces = self._pieces(start, end)
        parts, i = self._dotted(pieces, 0)
        key_span = self.span(pieces[0][2], pieces[i - 1][3])
        values = []
        while i < len(pieces):
            if pieces[i][0] == "COMMA":
                i += 1
                continue
            value, i = self._value(pieces, i)
            values.append(value)
        return Attribute(".".join(parts), key_span, values, key_span.to(values[-1].span))

    def _simple_header(self, m) -> tuple:
        # `key name "label" {` on one line: one binary search places all of it
        key_start, key_end = m.span("sok")
        lines = self.line_starts
        line = bisect_right(lines, key_start)
        line_start = lines[line - 1] - 1
        path = self.path
        key_span = _new_span((path, line, key_start - line_start, line, key_end - line_start))
        name = label = None
        name_start, name_end = m.span("son")
        if name_start >= 0:
            text = m.group("son")
            name = Value("ref", text, (text,), None, (self.locate, name_start, name_end))
        label_start, label_end = m.span("sol")
        if label_start >= 0:
            label = (m.group("sol"), _new_span((path, line, label_start - line_start, line, label_end - line_start)))
        return (m.group("sok"), key_span, name, label, line, m.end() - line_start)

    def _header(self, start: int, end: int, named: bool = True) -> tuple:
        pieces = self._pieces(start, end)
        if named:
            parts, i = self._dotted(pieces, 0)
            key_span = self.span(pieces[0][2], pieces[i - 1][3])
        else:  # a view's header after its VIEW token: the name, label and brace
            parts, i, key_span = (), 0, None
        name = label = None
        if pieces[i][0] == "IDENT":
            name, i = self._refish(pieces, i)
        if pieces[i][0] == "STRING":
            label = pieces[i]
            i += 1
        brace = pieces[i]
        brace_line, brace_end_column = self.position(brace[3])
        if label is not None:
            label = (label[1], self.span(label[2], label[3]))
        return (".".join(parts), key_span, name, label, brace_line, brace_end_column)

    def _view_header(self, m, stop: int) -> tuple:
        view_start, view_end = m.span("vk")
        line, column = self.position(view_start)
        key, key_span, kind = view_header(m.group("vk"), self.path, line, column)
        header = self._header(view_end, stop, named=False)
        return (key, key_span) + header[2:] + (kind,)
