"""A file's outline (journeys > stages > steps > touchpoints, and every other named block) and its folds."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..diagnostics.span import Span
from ..language.highlight import tokens
from ..language.syntax import Block, parse_syntax


@dataclass
class Entry:
    name: str
    keyword: str
    label: str | None
    span: Span  #: the whole block
    name_span: Span
    children: list["Entry"] = field(default_factory=list)


def outline(text: str, path: str) -> list[Entry]:
    """The named blocks of a file, nested as written; with syntax errors, those of the statements that still read."""
    syntax = parse_syntax(text, path)
    return _entries(syntax.statements if syntax.ok else syntax.recovered)


def _entries(statements) -> list[Entry]:
    found = []
    for statement in statements:
        if not isinstance(statement, Block):
            continue
        children = _entries(statement.body)
        if statement.name is None:
            found += children  # an unnamed block (frontstage, ...) adds its named children
            continue
        found.append(Entry(statement.name.text, statement.key, statement.label, statement.span,
                           statement.name.span, children))
    return found


def folds(text: str) -> list[tuple[int, int, str]]:
    """(first line, last line, kind) of each block, text over several lines and run of comment lines; 0-based."""
    found = []
    opened: list[int] = []
    line = 0
    comment_run: list[int] = []
    for token in tokens(text):
        if token.kind == "punctuation" and token.text == "{":
            opened.append(line)
        elif token.kind == "punctuation" and token.text == "}" and opened:
            start = opened.pop()
            if line - 1 > start:
                found.append((start, line - 1, "region"))
        elif token.kind == "string" and "\n" in token.text:
            found.append((line, line + token.text.count("\n"), "region"))
        elif token.kind == "comment":
            if comment_run and comment_run[-1] == line - 1:
                comment_run.append(line)
            else:
                if len(comment_run) > 1:
                    found.append((comment_run[0], comment_run[-1], "comment"))
                comment_run = [line]
        line += token.text.count("\n")
    if len(comment_run) > 1:
        found.append((comment_run[0], comment_run[-1], "comment"))
    return sorted(found)
