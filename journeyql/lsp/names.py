"""Every definition and reference of a workspace, with where it is written.

Built from the symbols and references the binder and resolver of ``check`` found
(``analyse(..., keep_names=True)``), so go to definition, find references, rename and hover
follow exactly the name resolution ``check`` applies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..diagnostics.span import Span
from ..language.scanner import TOKENS

#: what a hover says about a definition besides its label (the attributes that identify it)
DETAILS = {"touchpoint": ("channel", "owner"), "stakeholder": ("kind", "organisation"),
           "channel": ("kind", "ownership", "operator"), "journey": ("organisation", "goal"),
           "measurement": ("journey",), "emotion": ("valence",), "persona": ("segment",),
           "improvement": ("horizon", "status", "owner"), "initiative": ("owner", "status")}
LOCAL_KINDS = ("stage", "step", "touchpoint")
NAME = re.compile(TOKENS["IDENT"])


def _text(value) -> str | None:
    if value is None or isinstance(value, (str, int, float)):
        return None if value is None else str(value)
    return getattr(value, "text", None)


@dataclass(frozen=True)
class Definition:
    kind: str
    id: str
    journey: str | None
    span: Span  #: the name where it is defined
    label: str | None
    details: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> str:
        return self.id if self.journey is None else f"{self.journey}.{self.id}"


@dataclass(frozen=True)
class Reference:
    key: str | None  #: what it resolved to (None when it does not resolve)
    parts: tuple[str, ...]
    span: Span


def _contains(span: Span, line: int, column: int) -> bool:
    after_start = (line, column) >= (span.line, span.column)
    before_end = (line, column) <= (span.end_line, span.end_column)
    return after_start and before_end


class NameIndex:
    def __init__(self, symbols=(), refs=()):
        self.definitions: dict[str, Definition] = {}
        self.references: list[Reference] = []
        self._files: dict[str, list] = {}
        for symbol in symbols:
            data = symbol.data
            details = tuple((field, _text(data.get(field))) for field in DETAILS.get(symbol.kind, ())
                            if _text(data.get(field)) is not None)
            definition = Definition(symbol.kind, symbol.id, symbol.journey, symbol.span, data.get("label"), details)
            self.definitions.setdefault(definition.key, definition)  # a duplicate is an error; the first counts
            self._files.setdefault(definition.span.path, []).append(definition)
        for ref in refs:
            reference = Reference(ref.resolved, tuple(ref.parts), ref.span)
            self.references.append(reference)
            self._files.setdefault(reference.span.path, []).append(reference)

    def at(self, path: str, line: int, column: int):
        """The definition or reference written at this place of the file, or None."""
        hits = [item for item in self._files.get(path, ()) if _contains(item.span, line, column)]
        return min(hits, key=lambda item: (item.span.end_line - item.span.line, item.span.end_column
                                           - item.span.column)) if hits else None

    def target(self, item) -> Definition | None:
        if isinstance(item, Definition):
            return item
        return self.definitions.get(item.key) if item is not None and item.key else None

    def references_to(self, key: str) -> list[Reference]:
        return [r for r in self.references if r.key == key]

    def of_kind(self, kinds) -> list[Definition]:
        return [d for d in self.definitions.values() if d.kind in kinds]


class RenameError(ValueError):
    """A rename that would break the workspace: the message says why."""


def rename_edits(index: NameIndex, definition: Definition, new: str) -> dict[str, list[tuple[Span, str]]]:
    """Per file, the (span, text) replacements that rename ``definition`` to ``new`` everywhere."""
    if not NAME.fullmatch(new):
        raise RenameError(f"`{new}` is not a valid name: a name starts with a letter or `_`, "
                          "then letters, digits or `_`")
    clash_key = new if definition.journey is None else f"{definition.journey}.{new}"
    if new != definition.id and clash_key in index.definitions:
        other = index.definitions[clash_key]
        raise RenameError(f"`{new}` is already defined, as a {other.kind} at {other.span}")
    edits: dict[str, list[tuple[Span, str]]] = {}

    def add(span: Span, text: str) -> None:
        edits.setdefault(span.path, []).append((span, text))

    add(definition.span, new)
    for ref in index.references_to(definition.key):
        if len(ref.parts) == 1:
            add(ref.span, new)
        else:  # journey.local: only the local part changes
            last = ref.parts[-1]
            add(Span(ref.span.path, ref.span.end_line, ref.span.end_column - len(last), ref.span.end_line,
                     ref.span.end_column), new)
    if definition.kind == "journey":  # `journey.local` elsewhere names the journey in its first part
        prefix = definition.key + "."
        for ref in index.references:
            if ref.key and ref.key.startswith(prefix) and len(ref.parts) > 1 and ref.parts[0] == definition.id:
                first = ref.parts[0]
                add(Span(ref.span.path, ref.span.line, ref.span.column, ref.span.line, ref.span.column + len(first)),
                    new)
    return edits
