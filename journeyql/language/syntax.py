"""Text -> syntax tree: blocks, attributes and values, each with its span.

The syntax tree is what the formatter prints and what the binder reads; it
knows nothing of journeys or personas. A text is read by the statement
scanner (``scanner.py``: whole statements by one regular expression, nested
by a stack, no parser) whenever it can; anything else, and every syntax
error, goes to lark's LALR parser over the full token grammar
(``grammar.lark``), which builds the same nodes during the parse (no
intermediate parse tree). The fast path never imports lark.
"""

from __future__ import annotations

import threading
from pathlib import Path

from ..diagnostics import (
    NESTING_TOO_DEEP,
    SYNTAX_ERROR,
    UNCLOSED_BLOCK,
    UNTERMINATED_TEXT,
    Diagnostic,
)
from ..diagnostics.span import Span

#: No JourneyQL construct nests deeper than a handful of levels; anything far
#: beyond that is a broken or hostile file, refused before anything recurses.
MAX_DEPTH = 32


from .syntax_nodes import Attribute, Block, Comment, SyntaxFile, Value, decode_string, literal, relative_value, view_header  # noqa: F401


# --- the parser ---------------------------------------------------------------

_lock = threading.Lock()
_parser = None
_comments: list = []


def _collect_comment(token):
    _comments.append(token)
    return token


class _Builder:
    """Builds syntax nodes as LALR reductions happen (lark's inline transformer)."""

    def __init__(self):
        self.path = "<string>"

    def _span(self, first, last) -> Span:
        return Span(self.path, first.line, first.column, last.end_line, last.end_column)

    def _tok_span(self, tok) -> Span:
        return Span(self.path, tok.line, tok.column, tok.end_line, tok.end_column)

    # key and ref share a shape: dotted identifiers.
    def key(self, children):
        parts = [c for c in children if c.type == "IDENT"]
        return (".".join(parts), self._span(children[0], children[-1]))

    def ref(self, children):
        parts = tuple(str(c) for c in children if c.type == "IDENT")
        return Value("ref", ".".join(parts), parts, self._span(children[0], children[-1]))

    def chain(self, children):
        refs = [c for c in children if isinstance(c, Value)]
        text = " -> ".join(r.text for r in refs)
        return Value("chain", text, tuple(refs), refs[0].span.to(refs[-1].span))

    def comparison(self, children):
        subject, op, number = children
        limit = self._literal(number)
        return Value("comparison", f"{subject.text} {op} {limit.text}", (subject, str(op), limit),
                     subject.span.to(limit.span))

    def view_key(self, children):
        (token,) = children
        return view_header(str(token), self.path, token.line, token.column)

    def relative(self, children):
        subject, token = children
        return relative_value(subject, str(token), self._tok_span(token))

    def name(self, children):
        return children[0]

    def _literal(self, tok) -> Value:
        if isinstance(tok, Value):
            return tok
        return literal(tok.type, str(tok), self._tok_span(tok))

    def attribute(self, children):
        key, key_span = children[0]
        values = [self._literal(c) for c in children[1:] if not (getattr(c, "type", None) == "COMMA")]
        return Attribute(key, key_span, values, key_span.to(values[-1].span))

    def body(self, children):
        if not children:
            return []
        children[0].append(children[1])
        return children[0]

    def block(self, children):
        (key, key_span, *kind), name, label_tok, lbrace, body, rbrace = children
        depth = 1 + max((s.depth for s in body), default=0)
        label = decode_string(label_tok) if label_tok is not None else None
        label_span = self._tok_span(label_tok) if label_tok is not None else None
        return Block(key, key_span, name, label, label_span, body,
                     Span(self.path, key_span.line, key_span.column, rbrace.end_line, rbrace.end_column),
                     lbrace.line, depth, lbrace.end_column, str(label_tok) if label_tok is not None else None,
                     kind[0] if kind else None)

    def start(self, children):
        return children[0]


_builder = _Builder()


def _get_parser():
    global _parser
    if _parser is None:
        from lark import Lark

        grammar = (Path(__file__).with_name("grammar.lark")).read_text(encoding="utf-8")
        _parser = Lark(
            grammar,
            parser="lalr",
            lexer="contextual",
            transformer=_builder,
            lexer_callbacks={"COMMENT": _collect_comment},
            maybe_placeholders=True,
            cache=True,
        )
    return _parser


def _parse_fast(text: str, path: str):
    """Statements and comments by the fast path, or None when only the full grammar can tell."""
    from .scanner import NoFastPath, Scanner

    scanner = Scanner(text, path)
    try:
        statements = scanner.statements()
    except NoFastPath:
        return None
    comments = sorted(set(scanner.comments))
    return statements, [Comment(line, column, text) for line, column, text in comments]


def parse_syntax(text: str, path: str = "<string>") -> SyntaxFile:
    """Parse one source text; syntax problems come back as diagnostics, never as exceptions."""
    result = SyntaxFile(path=path, text=text)
    with _lock:
        fast = _parse_fast(text, path)
        if fast is not None:
            statements, result.comments = fast
        else:
            statements = _parse_full(text, path, result)
            if statements is None:
                return result
    result.statements = statements
    for statement in statements:
        if statement.depth > MAX_DEPTH:
            deep = statement
            while deep.depth > MAX_DEPTH - 0 and isinstance(deep, Block):
                inner = [s for s in deep.body if isinstance(s, Block) and s.depth == deep.depth - 1]
                if deep.depth == MAX_DEPTH + 1 or not inner:
                    break
                deep = inner[0]
            result.diagnostics.append(Diagnostic.of(
                NESTING_TOO_DEEP,
                f"blocks are nested {statement.depth} levels deep; JourneyQL never needs more than {MAX_DEPTH}",
                deep.key_span, hint="check for a missing `}` or a pasted block"))
            result.statements = []
    return result


def _parse_full(text: str, path: str, result: SyntaxFile):
    """The full token grammar: the reference, and the source of precise syntax errors."""
    from lark.exceptions import UnexpectedInput

    parser = _get_parser()
    _builder.path = path
    _comments.clear()
    try:
        statements = parser.parse(text)
    except UnexpectedInput as error:
        found, result.recovered = _every_syntax_error(error, text, path)
        result.diagnostics.extend(found)
        return None
    except RecursionError:  # pragma: no cover - LALR is iterative; kept as a last guard
        result.diagnostics.append(Diagnostic.of(NESTING_TOO_DEEP, "the spec nests too deeply to read",
                                                Span(path, 1, 1, 1, 1)))
        return None
    finally:
        comments = list(_comments)
        _comments.clear()
    result.comments = [Comment(c.line, c.column, str(c).rstrip()) for c in comments]
    return statements


def _every_syntax_error(error, text: str, path: str) -> tuple[list[Diagnostic], list]:
    """The first error and every later one: each error's statement is blanked out and the text parsed
    again (see recovery.py), so one mistake costs one report, not one edit-check cycle each. Also the
    statements of the text once it reads (blanking keeps every offset, so their spans hold in the
    original), or none when it never does."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedInput

    from .recovery import MAX_SYNTAX_ERRORS, blank, blank_at, misfit_line

    found: list[Diagnostic] = []
    recovered: list = []
    resume_line = 1  # the first line after the last blanked one
    while error is not None and len(found) < MAX_SYNTAX_ERRORS:
        line = max(1, getattr(error, "line", 1) or 1)
        if line < resume_line:
            break  # no progress: what is left is a follow-on of what was reported
        misfit = misfit_line(text, path, resume_line, line)
        if misfit is not None:
            diagnostic, bad_line = misfit
            found.append(diagnostic)
            text, resume_line = blank(text, bad_line), bad_line + 1
        else:
            diagnostic = _describe_syntax_error(error, text, path)
            found.append(diagnostic)
            if diagnostic.code != SYNTAX_ERROR.code:
                break  # an unclosed block or text: the rest of the file is inside it
            token = getattr(error, "token", None)
            if token is not None and token.type == "RBRACE" and diagnostic.hint == _ONE_TOO_MANY:
                text, resume_line = blank_at(text, token.start_pos, 1), line
            elif isinstance(error, UnexpectedCharacters) or token is not None:
                text, resume_line = blank(text, line), line + 1
            else:
                break
        _comments.clear()
        fast = _parse_fast(text, path)
        if fast is not None:
            recovered = fast[0]
            break  # the rest reads: the statement scanner says so ten times faster than the grammar
        try:
            recovered = _get_parser().parse(text)
            error = None
        except UnexpectedInput as next_error:
            error = next_error
        except RecursionError:  # pragma: no cover - see _parse_full
            error = None
    return found, recovered


# --- syntax errors in words -----------------------------------------------

_ONE_TOO_MANY = "there is one `}` too many"

TOKEN_WORDS = {
    "IDENT": "a name",
    "STRING": "a quoted text",
    "NUMBER": "a number",
    "PERCENT": "a percentage",
    "DURATION": "a duration (like 3d or 20min)",
    "MONEY": "an amount (like 4.50 EUR)",
    "RANGE": "a range (like -3..3)",
    "ARROW": "`->`",
    "COMPARE": "a comparison (>=, <=, ...)",
    "DOT": "`.`",
    "COMMA": "`,`",
    "LBRACE": "`{`",
    "RBRACE": "`}`",
    "RELATIVE": "`no worse than previous`",
    "VIEW": "a view header (like `for organisation x`)",
    "$END": "the end of the file",
}


_VALUE_TOKENS = {"STRING", "NUMBER", "PERCENT", "DURATION", "MONEY", "RANGE"}


def _words(names) -> str:
    names = set(names)
    if len(names & _VALUE_TOKENS) >= 3:
        # "expected a value" reads better than seven kinds of literal
        names = (names - _VALUE_TOKENS - {"IDENT"}) | {"a value"}
    words = sorted({TOKEN_WORDS.get(n, n) for n in names if not n.startswith("__")})
    if not words:
        return "nothing more"
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]


def _shown(token) -> str:
    if token.type == "$END":
        return "the end of the file"
    text = str(token)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{TOKEN_WORDS.get(token.type, token.type)} `{text}`" if token.type in (
        "IDENT", "NUMBER", "PERCENT", "DURATION", "MONEY", "RANGE") else (
        f"text {text}" if token.type == "STRING" else f"`{text}`")


def _unclosed_brace(text: str) -> tuple[int, int] | None:
    """Line and column of the last `{` never closed, skipping texts and comments."""
    stack: list[tuple[int, int]] = []
    line, col = 1, 1
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            j = text.find("\n", i)
            j = n if j < 0 else j
            col += j - i
            i = j
            continue
        if ch == '"':
            triple = text.startswith('"""', i)
            end_mark = '"""' if triple else '"'
            j = i + len(end_mark)
            while j < n and not text.startswith(end_mark, j):
                if text[j] == "\\":
                    j += 1
                elif text[j] == "\n" and not triple:
                    break
                j += 1
            j = min(n, j + len(end_mark))
            chunk = text[i:j]
            newlines = chunk.count("\n")
            if newlines:
                line += newlines
                col = len(chunk) - chunk.rfind("\n")
            else:
                col += len(chunk)
            i = j
            continue
        if ch == "{":
            stack.append((line, col))
        elif ch == "}" and stack:
            stack.pop()
        if ch == "\n":
            line += 1
            col = 1
        else:
            col += 1
        i += 1
    return stack[-1] if stack else None


def _describe_syntax_error(error, text: str, path: str) -> Diagnostic:
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    from .recovery import CURRENCY_SIGNS, currency_hint

    line = getattr(error, "line", 1) or 1
    column = getattr(error, "column", 1) or 1
    if line < 1:
        line, column = 1, 1
    here = Span(path, line, column, line, column + 1)

    if isinstance(error, UnexpectedCharacters):
        char = text[error.pos_in_stream] if error.pos_in_stream < len(text) else ""
        if char == '"':
            return Diagnostic.of(UNTERMINATED_TEXT, "this text is missing its closing quote", here,
                                 hint='close it with `"` on the same line, or use """...""" for text over several lines')
        if char == "\x00" or (char and not char.isprintable() and char not in "\t\r\n"):
            shown = f"U+{ord(char):04X}"
        else:
            shown = f"`{char}`"
        expected = _words(error.allowed or ())
        hint = None
        if char in "'\u2018\u2019\u201c\u201d":
            hint = 'texts are written between straight double quotes: "like this"'
        elif char == ":" or char == "=":
            hint = "write `key value` without `:` or `=`, as in `owner billing`"
        elif char == ";":
            hint = "statements need no `;`: put each attribute on its own line"
        elif char in CURRENCY_SIGNS:
            hint = currency_hint(text, error.pos_in_stream)
        return Diagnostic.of(SYNTAX_ERROR, f"unexpected character {shown}; expected {expected}", here, hint=hint)

    if isinstance(error, (UnexpectedToken, UnexpectedEOF)):
        token = getattr(error, "token", None)
        expected = set(getattr(error, "expected", ()) or ())
        if token is None or token.type == "$END":
            opened = _unclosed_brace(text)
            if opened is not None:
                where = Span(path, opened[0], opened[1], opened[0], opened[1] + 1)
                return Diagnostic.of(UNCLOSED_BLOCK, "this block is never closed", where,
                                     hint="add the missing `}`")
            end_line = text.count("\n") + 1
            end_col = len(text) - (text.rfind("\n") + 1) + 1
            return Diagnostic.of(SYNTAX_ERROR, f"the file ends too early; expected {_words(expected)}",
                                 Span(path, end_line, end_col, end_line, end_col))
        here = Span(path, token.line, token.column, token.end_line or token.line,
                    token.end_column or token.column + 1)
        hint = None
        if token.type == "RBRACE" and _unclosed_brace(text) is None:
            hint = _ONE_TOO_MANY
        elif "COMMA" in expected and token.type in ("STRING", "NUMBER", "PERCENT", "DURATION", "MONEY", "RANGE"):
            hint = "separate several values with a comma"
        elif token.type == "COMMA" and "LBRACE" in expected:
            hint = ("the word before this comma was read as the start of a new line; "
                    "if it is another value of the line before, put a comma in front of it")
        elif token.type == "RBRACE" and not expected & {"RBRACE"}:
            hint = "an attribute needs a value, as in `owner billing`"
        elif token.type == "LBRACE":
            hint = 'a block starts with its keyword, then an optional name and "label", then `{`'
        elif token.type == "STRING" and "IDENT" in expected:
            hint = "every line starts with a keyword, like `need \"...\"`"
        return Diagnostic.of(SYNTAX_ERROR, f"unexpected {_shown(token)}; expected {_words(expected)}", here,
                             hint=hint)

    return Diagnostic.of(SYNTAX_ERROR, str(error).splitlines()[0], here)  # pragma: no cover
