"""Survey items: what is asked, how its answer is named, and how a name maps back.

Every answer in the canonical response format has an ``item``:

==========================  ==========================================================
``valence``                 how the customer felt, on the instrument's (or journey's) scale
``emotion.<name>``          an emotion of the set was felt; the value is its intensity (1..5)
``intent.<name>``           a behaviour intention (call_again, complain, ...): 1 yes, 0 no
``ces``                     customer effort score, 1..7
``csat``                    customer satisfaction, 1..5
``nps``                     likelihood to recommend, 0..10
``cause``                   the cause of the feeling, in the customer's words
``question.<id>``           the answer to a free question of the measurement plan
==========================  ==========================================================

A survey question is named after its journey-level or touchpoint-level item
so that every answer maps back to its touchpoint and instrument without a
lookup table: ``t-<touchpoint>-<item>`` for an item asked after a touchpoint
(``t-eindnota-valence``, ``t-eindnota-emotion-irritation``), ``j-<item>`` for
one asked at the end of the journey (``j-nps``). An identifier in a spec can
never contain ``-``, so the name splits unambiguously; the form is a valid
SurveyJS question name and a valid XLSForm/XML name.

A *group* question asks several named items at once and is named after the
kind alone: ``t-eindnota-emotion`` (which emotions, and how strongly),
``t-eindnota-intent``. Its answer is either a mapping ``{name: value}`` (a
SurveyJS matrix: ``{"irritation": 4}`` -> ``emotion.irritation`` = 4) or a
list of names, or one text of space-separated names (a select_multiple:
each named item = 1). A question for one named item (``t-eindnota-emotion-irritation``)
gives that item's value directly and takes precedence over its group.
"""

from __future__ import annotations

from typing import NamedTuple

#: Items with no name part, and the ones that carry a name after a dot.
SIMPLE_ITEMS = ("valence", "ces", "csat", "nps", "cause")
NAMED_ITEMS = ("emotion", "intent", "question")


class ItemRef(NamedTuple):
    touchpoint: str | None  #: the touchpoint's local id in its journey, None for journey-level items
    item: str               #: the canonical item, e.g. ``emotion.irritation``


def is_group(item: str) -> bool:
    """Whether ``item`` names a group question (``emotion``, ``intent``, ``question``)."""
    return item in NAMED_ITEMS


def is_item(item: str) -> bool:
    """Whether ``item`` is a well-formed canonical item name (groups are not items)."""
    if item in SIMPLE_ITEMS:
        return True
    kind, dot, name = item.partition(".")
    return bool(dot) and kind in NAMED_ITEMS and bool(name) and "." not in name and "-" not in name


def question_name(touchpoint: str | None, item: str) -> str:
    """The survey question name of ``item`` (or group) asked after ``touchpoint`` (or at the journey's end)."""
    if not (is_item(item) or is_group(item)):
        raise ValueError(f"not a survey item: {item!r}")
    if touchpoint is not None and (not touchpoint or "-" in touchpoint or "." in touchpoint):
        raise ValueError(f"not a touchpoint id: {touchpoint!r}")
    tail = item.replace(".", "-")
    return f"t-{touchpoint}-{tail}" if touchpoint is not None else f"j-{tail}"


def parse_question_name(name: str) -> ItemRef | None:
    """The (touchpoint, item or group) a question name stands for; None when it is not one of ours."""
    if "." in name:
        return None
    parts = name.split("-")
    if parts[0] == "t" and len(parts) >= 3:
        touchpoint, rest = parts[1], parts[2:]
    elif parts[0] == "j" and len(parts) >= 2:
        touchpoint, rest = None, parts[1:]
    else:
        return None
    item = ".".join(rest)
    if not (is_item(item) or is_group(item)) or (touchpoint is not None and not touchpoint):
        return None
    return ItemRef(touchpoint, item)
