"""Spec text -> highlighting tokens: the one lexer behind the Pygments lexer and the language server's
semantic tokens, so a docs site and an editor colour a spec alike.

It never fails and never parses: every character lands in exactly one token, broken text included
(an editor colours half-typed specs). Only a character no JourneyQL token starts with is ``error``.
"""

from __future__ import annotations

import re
from typing import Iterator, NamedTuple

from .scanner import TOKENS

#: the token classes, in the order of the language server's semantic token legend
CLASSES = ("keyword", "name", "string", "number", "comment", "operator", "punctuation", "space", "error")

_UNTERMINATED = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*'  # a text still being typed: coloured to the end of its line
_LEXER = re.compile("|".join([
    rf"(?P<comment>{TOKENS['COMMENT']})",
    rf"(?P<string>{TOKENS['STRING']}|{_UNTERMINATED})",
    rf"(?P<number>{TOKENS['RANGE']}|{TOKENS['MONEY']}|{TOKENS['PERCENT']}|{TOKENS['DURATION']}|{TOKENS['NUMBER']})",
    rf"(?P<operator>->|{TOKENS['COMPARE']})",
    r"(?P<punctuation>[{}.,])",
    rf"(?P<name>{TOKENS['IDENT']})",
    r"(?P<space>\s+)",
    r"(?P<error>.)",
]), re.S)


_VIEW = re.compile(rf"for[ \t]+({TOKENS['IDENT']})(?=[ \t]+[^\W\d])")


class Token(NamedTuple):
    start: int  #: offset in the text
    kind: str  #: one of CLASSES
    text: str


def tokens(text: str) -> Iterator[Token]:
    """Every token of ``text``; the first word of a statement (and its ``.locale`` part) is a keyword."""
    statement_start = True  # at the start of the text, after a newline, `{` or `}`
    in_key = False
    view_at = -1  # where `for organisation x`'s kind word starts (grammar.lark's VIEW): a keyword too
    for match in _LEXER.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind == "name" and match.start() == view_at:
            kind = "keyword"
        elif kind == "name" and (statement_start or in_key):
            if value == "for":
                view = _VIEW.match(text, match.start())
                if view is not None:
                    view_at = view.end() - len(view.group(1))
            kind, in_key, statement_start = "keyword", True, False
        elif kind == "punctuation" and value == "." and in_key:
            pass  # label.nl: the locale belongs to the keyword
        elif kind == "space" or kind == "comment":
            in_key = False
            statement_start = statement_start or "\n" in value
        else:
            in_key = False
            statement_start = value in ("{", "}")
        yield Token(match.start(), kind, value)
