"""The `mermaid` renderer: a Mermaid `journey` diagram per journey, per persona and per organisation.

Written as a third-party plugin would be: it uses only ``journeyql.hookimpl``,
the model it is handed and the render context.

Files: ``mermaid/<journey>.mmd`` (all the journey's personas as actors, the
journey's own scores), ``mermaid/<journey>--<persona>.mmd`` (one persona: its own
scores where a ``for persona`` view gives them, and without the steps it skips),
``mermaid/<journey>--<organisation>.mmd`` (a journey several organisations share: one
organisation's view, ``journeyql.organisation_views``), and ``journeys.md`` embedding every diagram in a ```mermaid fence, so the maps
render in GitHub pull requests and wikis.

Scores: Mermaid's journey scale is 1..5. A score s on the journey's scale
low..high becomes ``1 + 4 * (s - low) / (high - low)``, rounded half up, so -3..3
maps -3->1, -2->2 (1.67), -1->2 (2.33), 0->3, 1->4 (3.67), 2->4 (4.33), 3->5. A step
without the chosen score is drawn at 3 and its task says "(no score)".

Escaping: Mermaid's journey grammar ends a title at `#`, `;` or a line break,
a section name and a task name at `#`, `:`, `;` or a line break, and splits
actors at commas; Mermaid drops a line holding `%%` (a comment) or starting
with `%`. Those characters are replaced by look-alikes that Mermaid treats as
plain text, line breaks by spaces, so any label survives and still reads the
same: `:` becomes the ratio sign `∶` (U+2236) and `,` in actor names the low
quotation mark `‚` (U+201A), both in DejaVu and every common font, so they never
show as a missing-glyph box; `#`, `;` and `%`, rare in labels, become fullwidth
`＃ ； ％`. Mermaid's lexer is case-insensitive and reads a line starting with
`journey`, `title `, `section `, `accTitle:` or `accDescr:` as that statement, so
a task named "Title search" (a real mortgage step) would become the diagram's
title: such a name gets an invisible zero-width non-joiner (U+200C) after its
first letter. Checked against Mermaid's own parser in tests/test_renderers.py.
"""

from __future__ import annotations

import math
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

import journeyql

_TITLE = {"#": "＃", ";": "；", "%": "％", "\n": " ", "\r": " ", "\t": " "}
_NAME = {**_TITLE, ":": "\u2236"}
_ACTOR = {**_NAME, ",": "\u201a"}
#: how Mermaid's journey lexer (case-insensitive) recognises a statement at the start of a line
_KEYWORD = re.compile(r"(journey\b|title\s|section\s|acc(title|descr)\s*[:{])", re.I)


def task_name(text: str) -> str:
    """A task name Mermaid cannot mistake for a statement."""
    name = clean(text, _NAME)
    if _KEYWORD.match(name):
        name = name[0] + "\u200c" + name[1:]
    return name


class MermaidOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # built when first used: faster start-up
    score: Literal["expected", "target"] = Field(
        default="expected", description="Which emotion to plot: expected (the inside-out view) or target.")
    locale: str | None = Field(default=None, description="Locale of the labels (default: the workspace's).")
    personas: bool = Field(default=True, description="Also draw one diagram per persona.")


#: The diagram's own words, per locale (spec text comes from the spec and its translations).
WORDS = {
    "en": {"customer": "Customer", "no_score": "no score", "title": "Customer journeys",
           "intro": "Emotional journey per journey and persona ({score} emotion, on Mermaid's 1..5 scale).",
           "expected": "expected", "target": "target"},
    "nl": {"customer": "Klant", "no_score": "geen score", "title": "Klantreizen",
           "intro": "Emotionele klantreis per klantreis en persona ({score} emotie, op Mermaids schaal 1..5).",
           "expected": "verwachte", "target": "beoogde"},
}


def words(locale: str | None) -> dict[str, str]:
    return WORDS.get((locale or "en").replace("_", "-").split("-")[0].lower(), WORDS["en"])


def clean(text: str, table: dict[str, str]) -> str:
    out = "".join(table.get(ch, ch) for ch in text or "")
    out = " ".join(out.split())
    return out or "(untitled)"


def to_mermaid_score(score: float, low: float, high: float) -> int:
    if high == low:
        return 3
    value = 1 + 4 * (score - low) / (high - low)
    return max(1, min(5, math.floor(value + 0.5)))


def _label(item, locale: str | None) -> str:
    return item.text("label", locale) or item.id


def diagram(workspace, journey, persona=None, *, score: str = "expected", locale: str | None = None,
            organisation: str | None = None) -> str:
    """The Mermaid ``journey`` of ``journey`` (of one ``persona``; ``organisation``: whose view it is)."""
    persona_ids = [persona] if persona else list(journey.personas)
    actors = []
    for pid in persona_ids:
        found = workspace.get(pid)
        actors.append(clean(_label(found, locale) if found is not None else pid, _ACTOR))
    actor_text = ", ".join(actors) if actors else words(locale)["customer"]
    title = _label(journey, locale)
    for named in (persona, organisation):
        if named:
            found = workspace.get(named)
            title = f"{title} ({_label(found, locale) if found is not None else named})"
    lines = ["journey", f"  title {clean(title, _TITLE)}"]
    low, high = journey.scale.low, journey.scale.high
    for stage in journey.stages:
        tasks = []
        for step in stage.steps:
            emotion = getattr(step, score)
            if persona:
                view = next((v for v in step.personas if v.persona == persona), None)
                if view is not None and view.skips:
                    continue
                if view is not None and getattr(view, score) is not None:
                    emotion = getattr(view, score)
            name = task_name(_label(step, locale))
            if emotion is None:
                tasks.append(f"    {name} ({clean(words(locale)['no_score'], _NAME)}): 3: {actor_text}")
            else:
                tasks.append(f"    {name}: {to_mermaid_score(emotion.score, low, high)}: {actor_text}")
        if tasks:
            lines.append(f"  section {clean(_label(stage, locale), _NAME)}")
            lines.extend(tasks)
    return "\n".join(lines) + "\n"


def locale_variants(context) -> list[tuple[str, str]]:
    """(locale, file suffix) of each language drawn: the ``locale`` option's alone, else the workspace's
    (``verhuizen.mmd``) and every further one (``verhuizen.en.mmd``), as the maps name theirs."""
    if context.options.locale:
        return [(context.options.locale, "")]
    return [(context.locale, "")] + [(locale, f".{locale}") for locale in dict.fromkeys(context.locales or ())
                                     if locale != context.locale]


def render(workspace, context) -> None:
    for locale, suffix in locale_variants(context):
        _render_locale(workspace, context, locale, suffix)


def _render_locale(workspace, context, locale: str, suffix: str) -> None:
    options = context.options
    said = words(locale)
    sections = []
    for journey in workspace.journeys:
        if not journey.steps:
            continue
        text = diagram(workspace, journey, score=options.score, locale=locale)
        context.write_text(f"mermaid/{journey.id}{suffix}.mmd", text)
        sections.append((_label(journey, locale), None, text))
        # a shared journey: each organisation's view, with its own emotions and without what it skips
        for view in journeyql.organisation_views(workspace, journey):
            text = diagram(workspace, view.journey, score=options.score, locale=locale, organisation=view.organisation)
            context.write_text(f"mermaid/{journey.id}--{view.organisation}{suffix}.mmd", text)
            found = workspace.get(view.organisation)
            sections.append((_label(journey, locale), _label(found, locale) if found else view.organisation, text))
        if options.personas:
            for pid in journey.personas:
                text = diagram(workspace, journey, pid, score=options.score, locale=locale)
                context.write_text(f"mermaid/{journey.id}--{pid}{suffix}.mmd", text)
                persona = workspace.get(pid)
                sections.append((_label(journey, locale), _label(persona, locale) if persona else pid, text))
    page = [f"# {said['title']}", "", said["intro"].format(score=said[options.score]), ""]
    for title, whose, text in sections:
        heading = f"{title}: {whose}" if whose else title
        page += [f"## {_markdown_text(heading)}", "", "```mermaid", text.rstrip("\n"), "```", ""]
    context.write_text(f"journeys{suffix}.md", "\n".join(page))


def _markdown_text(text: str) -> str:
    """Spec text in a Markdown heading: no HTML, no emphasis or link syntax, one line."""
    out = " ".join(str(text).split())
    for ch in "\\`*_[]<>#|":
        out = out.replace(ch, "\\" + ch)
    return out.replace("&", "&amp;")


@journeyql.hookimpl
def register_renderers(register):
    register(
        name="mermaid",
        description="Mermaid journey diagrams per journey, persona and organisation, and a Markdown page embedding them.",
        render=render,
        outputs=["mermaid/<journey>.mmd", "mermaid/<journey>--<persona>.mmd",
                 "mermaid/<journey>--<organisation>.mmd", "journeys.md",
                 "mermaid/<journey>.<locale>.mmd, journeys.<locale>.md (each further locale)"],
        options=MermaidOptions,
        formats=["mmd", "md"],
    )
