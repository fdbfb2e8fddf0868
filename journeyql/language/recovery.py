"""After a syntax error: where the mistake really is, and the text with it blanked out so the parse goes on.

The grammar ignores line breaks, so a mistake inside one line often surfaces lines later: in
``horizon quick win`` the parser reads ``horizon quick`` and then takes ``win`` as the keyword
of a new statement, which fails only at the next line's value or at the ``}``. People write one
statement per line, so the lines before an error are checked for a statement that does not fit
its line (a keyword with no value, two values with no comma between them, a number run into a
word), and the error is reported there.

To report every syntax error of a file at once, the statement of an error is blanked out (its
characters become spaces, its braces stay, so the block structure and every position stay as
they were) and the text is parsed again, up to :data:`MAX_SYNTAX_ERRORS` times.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ..diagnostics import SYNTAX_ERROR, Diagnostic
from ..diagnostics.span import Span
from .highlight import tokens

#: Syntax errors reported per file; past that the file is broken throughout, and a list of
#: follow-on guesses helps nobody.
MAX_SYNTAX_ERRORS = 20

_VALUES = ("string", "number", "name")
_CONTINUES = {",", "->", ".", ">=", "<=", "==", "!=", ">", "<", "="}
DURATION_UNITS = "ms, s, min, h, d, w, mo, y"


class Lines:
    """The significant tokens of a text, by the line they start on."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.by_line: dict[int, list] = {}
        self.order: list = []
        for token in tokens(text):
            if token.kind in ("space", "comment"):
                continue
            line = bisect_right(self.starts, token.start)
            self.by_line.setdefault(line, []).append(token)
            self.order.append((line, token))

    def span(self, token, end_token=None) -> Span:
        end_token = end_token or token
        line, column = self.position(token.start)
        end_line, end_column = self.position(end_token.start + len(end_token.text))
        return Span("", line, column, end_line, end_column)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def neighbours(self, line: int) -> tuple:
        """The last significant token before ``line`` and the first after it."""
        before = after = None
        for number, token in self.order:
            if number < line:
                before = token
            elif number > line:
                after = token
                break
        return before, after


def _attr_of(key: str):
    from .schema import all_specs

    return next((spec.attrs[key] for spec in all_specs() if key in spec.attrs), None)


def misfit_line(text: str, path: str, first_line: int, last_line: int) -> tuple[Diagnostic, int] | None:
    """The first line in ``first_line..last_line`` whose statement does not fit it, with its diagnostic."""
    lines = Lines(text)
    for number in range(first_line, last_line + 1):
        found = _misfit(lines, number)
        if found is not None:
            message, hint, span = found
            return Diagnostic.of(SYNTAX_ERROR, message, span._replace(path=path), hint=hint), number
    return None


def _misfit(lines: Lines, number: int):
    row = lines.by_line.get(number)
    if not row:
        return None
    for token in row:  # a text left open: the grammar says so (JQL002), and the rest is inside it
        if token.kind == "string" and (len(token.text) < 2 or not token.text.endswith('"')
                                       or lines.text.startswith('"""', token.start) != token.text.startswith('"""')):
            return None
    for first, second in zip(row, row[1:]):  # `3weken`: never a token, wherever it stands
        if first.kind == "number" and second.kind == "name" and first.start + len(first.text) == second.start:
            key = next((t.text for t in reversed(row[:row.index(first)]) if t.kind == "keyword"), None)
            return _run_into_word(lines, key, first, second)
    if any(t.text in ("{", "}") for t in row):
        return None  # block headers and one-line blocks are the grammar's to judge
    before, after = lines.neighbours(number)
    if after is not None and after.text == "{":
        return None  # a block header with its `{` on the next line
    if len(row) >= 3 and row[0].text == "for" and all(t.kind in ("name", "keyword") for t in row[1:3]):
        # `for organisation x` starts a view (grammar.lark's VIEW), never an attribute
        header = " ".join(t.text for t in row[:3])
        return (f"`{header}` starts a view but has no `{{`",
                f"write `{header} {{ ... }}`", lines.span(row[0], row[2]))
    starts_statement = row[0].kind in ("name", "keyword") and (before is None or before.text not in _CONTINUES)
    i = 0
    key = None
    if starts_statement:
        key = row[0].text
        i = 1
        while i + 1 < len(row) and row[i].text == "." and row[i + 1].kind in ("name", "keyword"):
            key += "." + row[i + 1].text
            i += 2
        if i == len(row) and (after is None or after.text == "}" or after.kind in ("name", "keyword")):
            attr = _attr_of(key)
            what = f" ({attr.doc.rstrip('.')[0].lower()}{attr.doc.rstrip('.')[1:]})" if attr and attr.doc else ""
            return (f"`{key}` has no value", f"write its value after it on the same line{what}",
                    lines.span(row[0], row[i - 1]))
    values = row[i:]
    for j in range(len(values) - 1):
        first, second = values[j], values[j + 1]
        if first.kind not in _VALUES and first.kind != "keyword" or second.kind not in _VALUES:
            continue
        if first.kind == "name" and second.kind == "name" and key:
            run = [first, second]
            while j + len(run) < len(values) and values[j + len(run)].kind == "name":
                run.append(values[j + len(run)])
            attr = _attr_of(key)
            joined = "_".join(t.text for t in run)
            if attr is not None and joined in attr.choices:
                spaced = " ".join(t.text for t in run)
                return (f"`{spaced}` is not one of the choices of `{key}`", f"did you mean `{joined}`?",
                        lines.span(run[0], run[-1]))
        return (f"a `,` is missing between `{_short(first.text)}` and `{_short(second.text)}`",
                f"separate several values with a comma: `{_short(first.text)}, {_short(second.text)}`",
                lines.span(second))
    return None


def _run_into_word(lines: Lines, key: str | None, first, second):
    word = first.text + second.text
    attr = _attr_of(key) if key else None
    if attr is None or attr.kind in ("wait", "duration"):
        return (f"`{word}` is not a duration",
                f"write a number and one of the units {DURATION_UNITS}, as in `3w` or `20min`",
                lines.span(first, second))
    return f"`{word}` is not a value: a number cannot run into a word", None, lines.span(first, second)


def _short(text: str) -> str:
    return text if len(text) <= 30 else text[:27] + "..."


def blank(text: str, start_line: int, end_line: int | None = None) -> str:
    """``text`` with the statements on these lines blanked out: braces and line breaks stay.

    An opening brace that stays gets the placeholder keyword ``_`` before it, so the block it opens
    still parses (``_ {``) and the blocks around it keep their shape.
    """
    lines = text.split("\n")
    end_line = end_line or start_line
    for number in range(start_line, end_line + 1):
        if number > len(lines):
            break
        line = lines[number - 1]
        kept = {t.start: t.text for t in tokens(line) if t.text in ("{", "}")}
        out = [kept.get(i, " " if ch != "\r" else ch) for i, ch in enumerate(line)]
        first_open = next((i for i in sorted(kept) if kept[i] == "{"), None)
        if first_open is not None and first_open >= 2:
            out[first_open - 2] = "_"
        lines[number - 1] = "".join(out)
    return "\n".join(lines)


def blank_at(text: str, offset: int, length: int) -> str:
    """``text`` with these characters blanked (a stray `}`)."""
    return text[:offset] + " " * length + text[offset + length:]


CURRENCY_SIGNS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY"}


def currency_hint(text: str, offset: int) -> str | None:
    """`€22` -> write `22 EUR`."""
    m = re.compile(r"([€$£¥])[ \t]*(\d+(?:[.,]\d+)?)").match(text, offset)
    if m is None:
        return "write the amount, then its currency code, as in `22 EUR`"
    return f"write the amount, then its currency code: `{m.group(2).replace(',', '.')} {CURRENCY_SIGNS[m.group(1)]}`"
