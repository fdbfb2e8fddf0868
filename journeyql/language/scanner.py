"""The fast path of the parser: whole statements as lark tokens.

lark's LALR parser costs a few microseconds per token in pure Python; at
the ~150 tokens per kilobyte of a dense spec that caps parsing near 1 MB/s
before any other work. So the normal path lexes at the *statement* level:
one regular expression (C speed) matches a whole attribute (``key value,
value``) or block header (``key name "label" {``), and lark's LALR parser
assembles those statement tokens into the block structure (grammar
``statements.lark``). The values inside a statement are then split out by
a second expression that uses the token definitions of ``grammar.lark``.

Both paths accept exactly the same language: every token pattern below is
the one in ``grammar.lark`` (a test compares them), each token is matched
as an atomic group so the regex engine cannot re-split a token the way a
lexer never would, and a test checks that both paths build identical
syntax trees. Whenever the fast path meets anything it does not match, the
caller falls back to the full token grammar, which produces the precise
"expected ..." diagnostic, so the fast path never decides an error.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ..diagnostics.span import Span
from .syntax_nodes import Attribute, Block, Value, decode_string, literal

# The token definitions of grammar.lark (a test keeps them identical).
TOKENS = {
    "STRING": r'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""|"[^"\\\n]*(?:\\.[^"\\\n]*)*"',
    "RANGE": r"-?\d+(?:\.\d+)?\.\.-?\d+(?:\.\d+)?",
    "MONEY": r"-?\d+(?:\.\d+)?[ \t]*[A-Z]{3}(?![\w])",
    "PERCENT": r"-?\d+(?:\.\d+)?%",
    "DURATION": r"\d+(?:\.\d+)?(?:ms|min|mo|s|h|d|w|y)(?![\w])",
    "NUMBER": r"-?\d+(?:\.\d+)?",
    "IDENT": r"[^\W\d]\w*",
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
_REFISH = rf"{_DOTTED}(?:{_CHAIN_TAIL}|{_GAP}(?>{_T['COMPARE']}){_GAP}{_LIMIT})?"
_VALUE = rf"(?:{_LITERAL}|{_REFISH})"
_NAME = rf"{_DOTTED}(?:{_CHAIN_TAIL})?"

# The common shapes get their own alternatives, matched and taken apart in
# one step: `key value` alone on its line (or before the next statement) and
# `key name "label" {` on one line. The lookahead says the value is complete:
# what follows starts a new statement (a name), a comment, a `}` or the end.
_ENDS = r"(?=[ \t\f\r\n\ufeff]*(?:[^\W\d]|#|\}|\Z))"
_ONE_VALUE = rf"(?>{_T['STRING']}|{_T['RANGE']}|{_T['MONEY']}|{_T['PERCENT']}|{_T['DURATION']}|{_T['NUMBER']}|{_T['IDENT']})"
_LINE_STRING = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'

_STATEMENT = re.compile(
    # leading white space is part of each match: one Python step per statement, not two
    rf"(?:{_T['WS']})?(?:(?P<end>\Z)"
    rf"|(?P<comment>{_T['COMMENT']})"
    rf"|(?P<close>\}})"
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
    rf"|(?P<NUMBER>{_T['NUMBER']})|(?P<IDENT>{_T['IDENT']})|(?P<ARROW>->)|(?P<COMPARE>{_T['COMPARE']})"
    rf"|(?P<DOT>\.)|(?P<COMMA>,)|(?P<LBRACE>\{{)"
)


_new_span = Span._make


from lark.lexer import Lexer as _LarkLexer  # noqa: E402


class StatementLexer(_LarkLexer):
    """Hands lark the statement tokens of the text being parsed (see syntax._parse_fast)."""

    current: "Scanner | None" = None

    def __init__(self, lexer_conf):
        pass

    def lex(self, data):
        return StatementLexer.current.tokens()


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
        end_line = bisect_right(lines, end)
        return Span(self.path, line, start - lines[line - 1] + 1, end_line, end - lines[end_line - 1] + 1)


class Scanner:
    """Splits a text into statement tokens and builds their syntax nodes."""

    def __init__(self, text: str, path: str):
        self.text = text
        self.path = path
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.single_line: tuple[int, int] | None = None
        self.locate = Locator(path, self.line_starts)
        self.nodes: list = []  # statement nodes, indexed by the tokens' start_pos
        self.comments: list[tuple[int, int, str]] = []

    def position(self, offset: int) -> tuple[int, int]:
        if self.single_line is not None:
            line, line_start = self.single_line
            return line, offset - line_start + 1
        line = bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        if self.single_line is not None:
            line, line_start = self.single_line
            return _new_span((self.path, line, start - line_start + 1, line, end - line_start + 1))
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Span(self.path, line, column, end_line, end_column)

    def tokens(self):
        """Statement tokens for lark; each carries the index of its node in ``self.nodes``.

        A run of consecutive items (attributes, and blocks that hold only
        attributes: touchpoints, actions, personas, built right here) is one
        ITEMS token: the LALR parser only needs to see the nesting of the
        other blocks, and every token it sees costs a few microseconds.
        """
        from lark import Token

        text = self.text
        nodes = self.nodes
        pos, end = 0, len(text)
        match_at = _STATEMENT.match
        count = text.count
        run: list | None = None  # the items of the current ITEMS token, still growing
        pending = None  # (header index, attributes) of a block that may turn out a leaf
        line, line_start = 1, 0
        while pos < end:
            m = match_at(text, pos)
            if m is None:
                raise NoFastPath(pos)
            kind = m.lastgroup
            stop = m.end()
            begin = m.start(kind)
            if begin > pos:  # the white space before the statement
                newlines = count("\n", pos, begin)
                if newlines:
                    line += newlines
                    line_start = text.rfind("\n", pos, begin) + 1
                pos = begin
            # Most statements sit on one line: then every position inside is
            # (line, offset - line_start + 1), with no search in the line table.
            self.single_line = None if count("\n", pos, stop) else (line, line_start)
            if kind == "simple" or kind == "attr":
                attribute = self._simple_attribute(m) if kind == "simple" else self._attribute(pos, stop)
                if pending is not None:
                    pending[1].append(attribute)
                else:
                    if run is None:
                        run = []
                        nodes.append(run)
                        yield Token("ITEMS", "", start_pos=len(nodes) - 1)
                    run.append(attribute)
            elif kind == "simple_open" or kind == "open":
                if pending is not None:  # the pending block has a nested block: not a leaf
                    yield Token("OPEN", "", start_pos=pending[0])
                    run = None
                    if pending[1]:
                        run = pending[1]
                        nodes.append(run)
                        yield Token("ITEMS", "", start_pos=len(nodes) - 1)
                nodes.append(self._simple_header(m) if kind == "simple_open" else self._header(pos, stop))
                pending = (len(nodes) - 1, [])
            elif kind == "close":
                closed_at = self.position(stop)
                if pending is not None:  # a leaf: one more item of the enclosing body
                    leaf = self.block(pending[0], closed_at, pending[1])
                    pending = None
                    if run is None:
                        run = []
                        nodes.append(run)
                        yield Token("ITEMS", "", start_pos=len(nodes) - 1)
                    run.append(leaf)
                else:
                    run = None
                    nodes.append(closed_at)
                    yield Token("CLOSE", "}", start_pos=len(nodes) - 1)
            elif kind == "comment":
                self.comments.append((line, pos - line_start + 1, m.group(kind).rstrip()))
            elif kind == "end":
                break
            if self.single_line is None:
                line += count("\n", pos, stop)
                line_start = text.rfind("\n", pos, stop) + 1
            pos = stop
        if pending is not None:  # never closed: let the parser see it and fail
            yield Token("OPEN", "", start_pos=pending[0])

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

    def _simple_attribute(self, m) -> Attribute:
        key_start, key_end = m.span("sk")
        values_start, values_end = m.span("sv")
        raw = m.group("sv")
        if "," not in raw:
            values = [self._one_value(raw, values_start, values_end)]
        else:  # `key value, value`: each value is one token, so a scan splits them
            values = [self._one_value(v.group(), v.start(), v.end())
                      for v in _ONE.finditer(self.text, values_start, values_end)]
        return Attribute(m.group("sk"), None, values, None, (self.locate, key_start, key_end))


    def _one_value(self, text: str, start: int, end: int) -> Value:
        first = text[0]
        if first == '"':
            return Value("string", text, decode_string(text), None, (self.locate, start, end))
        if first.isdigit() or first == "-":
            piece = _PIECE.match(text)
            return self._literal((piece.lastgroup, text, start, end))
        return Value("ref", text, (text,), None, (self.locate, start, end))

    def _simple_header(self, m) -> tuple:
        key_start, key_end = m.span("sok")
        key_span = self.span(key_start, key_end)
        name = label = None
        if m.start("son") >= 0:
            name_start, name_end = m.span("son")
            text = m.group("son")
            name = Value("ref", text, (text,), None, (self.locate, name_start, name_end))
        if m.start("sol") >= 0:
            label_start, label_end = m.span("sol")
            label = (m.group("sol"), self.span(label_start, label_end))
        brace_line, brace_end_column = self.position(m.end())
        return (m.group("sok"), key_span, name, label, brace_line, brace_end_column)

    def _header(self, start: int, end: int) -> tuple:
        pieces = self._pieces(start, end)
        parts, i = self._dotted(pieces, 0)
        key_span = self.span(pieces[0][2], pieces[i - 1][3])
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

    def block(self, open_index: int, closed_at: tuple[int, int], body: list) -> Block:
        # positions were taken when lexed: the parser reduces a token later
        key, key_span, name, label, brace_line, brace_end_column = self.nodes[open_index]
        end_line, end_column = closed_at
        depth = 1 + max((s.depth for s in body), default=0)
        label_text = label_span = label_raw = None
        if label is not None:
            label_raw, label_span = label
            label_text = decode_string(label_raw)
        span = Span(self.path, key_span.line, key_span.column, end_line, end_column)
        return Block(key, key_span, name, label_text, label_span, body, span, brace_line, depth,
                     brace_end_column, label_raw)
