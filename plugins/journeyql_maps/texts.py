"""Spec texts in the map's locale, and the labels of what a key refers to."""

from __future__ import annotations


def translated(item, field: str, locale: str | None):
    """``item``'s ``field`` in ``locale``, falling back to the default text (for labelled and unlabelled
    objects; a repeated text item by item, a moment of truth or the wait points by their texts)."""
    from journeyql.language.model import text_in

    return text_in(item, field, locale)


def label(item, locale: str | None) -> str:
    return translated(item, "label", locale) or getattr(item, "id", "")


def ref_label(workspace, key: str | None, locale: str | None) -> str | None:
    """The label of what ``key`` names, or the key itself when it names nothing known."""
    if not key:
        return None
    found = workspace.get(key)
    return label(found, locale) if found is not None else key
