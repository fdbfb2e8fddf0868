"""The `touchpoint-matrix` renderer: per journey, stages x channels with the touchpoints and their owners.

A journey several organisations share gets one more matrix per organisation
(``<journey>--<organisation>``): its view, with its own channels, labels and owners.

Then ownership coverage: how many touchpoints each owner answers for, and which
touchpoints nobody owns ("everyone's, and therefore no one's"). Written as a
self-contained HTML page and as Markdown, from the templates
``maps/touchpoint-matrix.html.j2`` and ``maps/touchpoint-matrix.md.j2`` (a workspace
can override them). The HTML template autoescapes; Markdown text goes through ``md()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import journeyql

from .texts import label, ref_label
from .words import words_for

_MARKDOWN_SPECIAL = "\\`*_[]<>#|"


def md(text) -> str:
    """One line of spec text, safe in Markdown (also inside a table cell)."""
    if text is None:
        return ""
    out = str(text).replace("&", "&amp;")
    for ch in _MARKDOWN_SPECIAL:
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


@dataclass
class Entry:
    """A touchpoint as the matrix lists it."""

    key: str
    label: str
    owner: str | None
    moment: str | None = None


@dataclass
class Owner:
    key: str
    label: str
    touchpoints: list[Entry] = field(default_factory=list)


def render(workspace, context) -> None:
    from .graphs import locale_variants

    languages = [(locale, suffix, words_for(locale)) for locale, suffix in locale_variants(context)]
    # a journey's matrix is made from it, the channels and the owners: per journey, in every language
    for journey in context.each_journey(workspace.journeys):
        # a shared journey: also each organisation's matrix, with its channels, labels and owners
        drawn = [(journey.id, journey, None)] + [(f"{journey.id}--{view.organisation}", view.journey, view.organisation)
                                                 for view in journeyql.organisation_views(workspace, journey)]
        for stem, shown, organisation in drawn:
            for locale, suffix, words in languages:
                matrix = journey_matrix(workspace, shown, locale)
                title = label(journey, locale)
                if organisation is not None:
                    title += f": {ref_label(workspace, organisation, locale)}"
                variables = dict(matrix, words=words, locale=locale, journey_label=title, md=md)
                context.write_text(f"touchpoint-matrix/{stem}{suffix}.html",
                                   context.render_template("maps/touchpoint-matrix.html.j2", **variables))
                context.write_text(f"touchpoint-matrix/{stem}{suffix}.md",
                                   _tidy(context.render_template("maps/touchpoint-matrix.md.j2", **variables)))


def journey_matrix(workspace, journey, locale) -> dict:
    """The matrix of one journey: ``channels``, ``rows`` (stage label, one list of entries per channel),
    ``owners`` (with their touchpoints) and ``unowned`` touchpoints."""
    used = []
    for touchpoint in journey.touchpoints:
        if touchpoint.channel not in used:
            used.append(touchpoint.channel)
    order = {c.id: i for i, c in enumerate(workspace.channels)}
    channels = sorted(used, key=lambda c: (order.get(c, len(order)), c))
    channel_labels = []
    for key in channels:
        found = workspace.get(key)
        third_party = getattr(found, "ownership", "own") == "third_party"
        channel_labels.append({"key": key, "label": ref_label(workspace, key, locale), "third_party": third_party})

    rows = []
    owners: dict[str, Owner] = {}
    unowned: list[Entry] = []
    for stage in journey.stages:
        cells: list[list[Entry]] = [[] for _ in channels]
        for step in stage.steps:
            for touchpoint in step.touchpoints:
                entry = Entry(touchpoint.key, label(touchpoint, locale),
                              ref_label(workspace, touchpoint.owner, locale),
                              touchpoint.moment.polarity if touchpoint.moment else None)
                cells[channels.index(touchpoint.channel)].append(entry)
                if touchpoint.owner:
                    owners.setdefault(touchpoint.owner, Owner(touchpoint.owner, entry.owner)).touchpoints.append(entry)
                else:
                    unowned.append(entry)
        rows.append({"label": label(stage, locale), "cells": cells})
    stakeholder_order = {s.id: i for i, s in enumerate(workspace.stakeholders)}
    ordered = sorted(owners.values(), key=lambda o: (stakeholder_order.get(o.key, len(stakeholder_order)), o.key))
    return {"channels": channel_labels, "rows": rows, "owners": ordered, "unowned": unowned,
            "touchpoint_count": len(journey.touchpoints)}


def _tidy(text: str) -> str:
    """At most one blank line in a row, and a single final newline."""
    out: list[str] = []
    for line in (line.rstrip() for line in text.splitlines()):
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"
