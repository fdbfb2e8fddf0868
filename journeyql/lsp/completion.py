"""What may be written at the cursor: keywords from the schema, names of the right kind, choices, emotions."""

from __future__ import annotations

from dataclasses import dataclass

from ..language.model import FlowKind
from ..language.reference import describe_value
from ..language.schema import EMOTION_SETS, METRICS, TOP_LEVEL, VIEW_KINDS
from .cursor import Cursor
from .names import LOCAL_KINDS, NameIndex

POLARITIES = ("positive", "negative", "critical")


@dataclass(frozen=True)
class Item:
    label: str
    kind: str  #: keyword, attribute, name, value, emotion
    detail: str = ""
    documentation: str = ""


def complete(cursor: Cursor, index: NameIndex) -> list[Item]:
    items = _complete(cursor, index)
    return [item for item in items if item.label.startswith(cursor.prefix)]


def _complete(cursor: Cursor, index: NameIndex) -> list[Item]:
    spec = cursor.spec
    if cursor.blocks and spec is None:
        return []  # inside a block the schema does not know: nothing sure to offer
    if not cursor.words:
        if spec is None:
            return [Item(key, "keyword", "block", child.doc) for key, (_, child) in TOP_LEVEL.items()]
        items = [Item(key, "attribute", describe_value(attr), attr.doc) for key, attr in spec.attrs.items()]
        items += [Item(key, "keyword", "block", child.doc) for key, (_, child) in spec.blocks.items()]
        return items
    keyword = cursor.words[0]
    values = [w for w in cursor.words[1:] if w != ","]
    if spec is not None and keyword in spec.blocks and keyword not in spec.attrs:
        child = spec.blocks[keyword][1]
        if child.name.startswith("ref:") and not values:  # `for sanne { ... }`, or `for organisation x`
            kinds = tuple(child.name[4:].split("|"))
            words = [Item(kind, "keyword", "view kind", f"`{keyword} {kind} x {{ ... }}`: x names {_a(kind)}")
                     for kind in kinds if kind in VIEW_KINDS] if keyword == "for" else []
            return words + _names(index, kinds, cursor)
        if child.name.startswith("ref:") and len(values) == 1 and keyword == "for" and values[0] in VIEW_KINDS:
            kinds = tuple(child.name[4:].split("|"))
            return _names(index, (values[0],), cursor) if values[0] in kinds else []
        return []
    attr = spec.attrs.get(keyword) if spec is not None else None
    if attr is None:
        return []
    if attr.kind in ("ref", "refs"):
        if attr.kind == "ref" and values:
            return []
        found = _names(index, attr.targets, cursor)
        if attr.field == "owner":  # an owner is an internal stakeholder (JQL309)
            internal = {d.key for d in index.of_kind(("stakeholder",)) if dict(d.details).get("kind") == "internal"}
            found = [item for item in found if item.label in internal]
        return found
    if attr.kind == "samples":
        journey = next((b.attributes.get("journey") for b in reversed(cursor.blocks) if b.keyword == "measurement"),
                       None)
        touchpoints = [Item(d.id, "name", "touchpoint", d.label or "") for d in index.of_kind(("touchpoint",))
                       if journey is None or d.journey == journey]
        return touchpoints + [Item("end", "value", "at the end of the journey")]
    if attr.kind == "choice" and not values:
        return [Item(choice, "value", keyword) for choice in attr.choices]
    if attr.kind == "moment" and not values:
        return [Item(p, "value", "moment of truth") for p in POLARITIES]
    if attr.kind == "flows":
        return [Item(kind, "value", "flow") for kind in FlowKind.__args__]
    if attr.kind == "bool" and not values:
        return [Item("yes", "value"), Item("no", "value")]
    if attr.kind == "kpi" and not values:
        return [Item(metric, "value", "metric") for metric in METRICS]
    if attr.kind == "emotion" and values:  # after the score: emotion names
        declared = [Item(d.id, "emotion", "emotion of the model", d.label or "") for d in index.of_kind(("emotion",))]
        standard = [Item(name, "emotion", f"{set_name} emotion") for set_name, names in EMOTION_SETS.items()
                    for name in names]
        return declared + standard
    return []


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _names(index: NameIndex, kinds, cursor: Cursor) -> list[Item]:
    items = []
    for definition in index.of_kind(kinds):
        local = definition.kind in LOCAL_KINDS
        # a stage, step or touchpoint of the journey being written is named bare, others as journey.name
        label = definition.id if not local or definition.journey == cursor.journey else definition.key
        items.append(Item(label, "name", definition.kind, definition.label or ""))
    return sorted(items, key=lambda item: item.label)
