"""Source positions: every object of the model remembers where it was written."""

from __future__ import annotations

from typing import NamedTuple


class Span(NamedTuple):
    """A region of a spec file; lines and columns are 1-based, ends inclusive of the last character's next column."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def to(self, other: "Span") -> "Span":
        """The span from the start of this one to the end of ``other``."""
        return Span(self.path, self.line, self.column, other.end_line, other.end_column)


def span_of_token(path: str, token) -> Span:
    return Span(path, token.line, token.column, token.end_line, token.end_column)


NOWHERE = Span("<unknown>", 1, 1, 1, 1)
