"""What a hover shows: a keyword's reference text, or what a name stands for and where it is defined."""

from __future__ import annotations

from ..language.reference import construct_table, describe_value
from ..language.schema import TOP_LEVEL, VIEW_KINDS
from .cursor import cursor_at
from .names import Definition, NameIndex


def describe(definition: Definition) -> str:
    """Markdown: kind, key, label, details and where it is defined."""
    lines = [f"**{definition.kind}** `{definition.key}`" + (f" \u2014 {definition.label}" if definition.label else "")]
    lines += [f"- {field}: `{value}`" for field, value in definition.details]
    lines.append(f"\ndefined at {definition.span}")
    return "\n".join(lines)


def hover_text(text: str, offset: int, word: str, index: NameIndex, path: str, line: int, column: int) -> str | None:
    """Markdown for the word at ``offset`` (``word`` starts at ``offset``), or None."""
    item = index.at(path, line, column)
    if item is not None:
        definition = index.target(item)
        if definition is not None:
            return describe(definition)
        return f"`{'.'.join(item.parts)}` is not defined in this workspace"
    cursor = cursor_at(text, offset)
    if cursor is not None and cursor.words == ["for"] and word in VIEW_KINDS:
        return (f"**for {word}**: the view's kind, spelt out: the name after it must be "
                f"{'an' if word[0] in 'aeiou' else 'a'} {word} (`for x` alone takes either)")
    if cursor is None or cursor.words:
        return None
    spec = cursor.spec
    if not cursor.blocks:
        if word in TOP_LEVEL:
            child = TOP_LEVEL[word][1]
            return f"**{word}**: {child.doc}\n\n{construct_table(child)}"
        return None
    if spec is None:
        return None
    key = word.split(".", 1)[0]
    if key in spec.attrs:
        attr = spec.attrs[key]
        return f"**{key}** (in `{spec.keyword}`): {attr.doc}\n\ntakes {describe_value(attr)}" + (
            "; required" if attr.required else "")
    if key in spec.blocks:
        child = spec.blocks[key][1]
        return f"**{key}**: {child.doc}\n\n{construct_table(child)}"
    return None
