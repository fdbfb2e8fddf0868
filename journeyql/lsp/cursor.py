"""What surrounds a position in a spec: the enclosing blocks and the statement typed so far.

Read from the text with the highlighting lexer, not the parser: a spec being typed is broken
most of the time, and completion must still know it is inside `journey > stage > step`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..language.highlight import tokens
from ..language.schema import TOP_LEVEL, Spec


@dataclass
class Enclosing:
    keyword: str
    name: str | None
    attributes: dict[str, str] = field(default_factory=dict)  #: keyword -> first value, as written so far


@dataclass
class Cursor:
    blocks: list[Enclosing]  #: outermost first
    words: list[str]  #: the statement's complete words before the cursor
    prefix: str  #: the part of a word typed up to the cursor

    @property
    def spec(self) -> Spec | None:
        """The schema of the innermost block (None at the top level or in an unknown block)."""
        spec = None
        for block in self.blocks:
            table = TOP_LEVEL if spec is None else spec.blocks
            if block.keyword not in table:
                return None
            spec = table[block.keyword][1]
        return spec

    @property
    def journey(self) -> str | None:
        """The journey the cursor is in, if any."""
        return next((b.name for b in self.blocks[:1] if b.keyword == "journey"), None)


def cursor_at(text: str, offset: int) -> Cursor | None:
    """The cursor at ``offset``; None inside a text or a comment (nothing to complete there)."""
    blocks: list[Enclosing] = []
    statement: list[str] = []
    prefix = ""

    def end_statement() -> None:
        if blocks and len(statement) >= 2:
            blocks[-1].attributes.setdefault(statement[0], statement[1])
        statement.clear()

    for token in tokens(text):
        end = token.start + len(token.text)
        if token.start >= offset:
            break
        if end > offset or (end == offset and token.kind in ("comment", "string") and not _closed(token.text)):
            if token.kind in ("comment", "string"):
                return None
            if token.kind in ("keyword", "name"):
                prefix = token.text[: offset - token.start]
            elif token.kind == "space" and "\n" in token.text[: offset - token.start] \
                    and not (statement and statement[-1] == ","):
                end_statement()  # the cursor is on a new line: a new statement starts there
            break
        if end == offset and token.kind in ("keyword", "name"):
            prefix = token.text
            break
        if token.kind == "punctuation" and token.text == "{":
            blocks.append(Enclosing(statement[0] if statement else "", statement[1] if len(statement) > 1 else None))
            statement.clear()
        elif token.kind == "punctuation" and token.text == "}":
            end_statement()
            if blocks:
                blocks.pop()
        elif token.kind == "space" and "\n" in token.text:
            if not (statement and statement[-1] == ","):
                end_statement()
        elif token.kind in ("keyword", "name", "number", "string", "operator"):
            statement.append(token.text)
        elif token.kind == "punctuation" and token.text == ",":
            statement.append(",")
    return Cursor(blocks, [w for w in statement], prefix)


def _closed(string: str) -> bool:
    return string.startswith('"') and len(string) >= 2 and string.endswith('"') and not string.startswith('"""') \
        or string.startswith('"""') and len(string) >= 6 and string.endswith('"""')
