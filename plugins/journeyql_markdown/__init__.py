"""The `markdown` renderer: a readable summary per journey, for pull-request comments and wikis.

Written as a third-party plugin would be. Its templates (``markdown/journey.md.j2``
and ``markdown/index.md.j2``) ship in ``journeyql_templates`` and can be
overridden by files of the same name in a workspace's ``templates/`` folder.
Spec text is user input: ``md()`` escapes what Markdown or HTML would interpret
(``<script>`` stays text, a pipe cannot break a table).
"""

from __future__ import annotations


from pydantic import BaseModel, ConfigDict, Field

import journeyql

_SPECIAL = "\\`*_[]<>#|"


#: The words of the page itself, per locale (spec text comes from the spec and its translations).
WORDS = {
    "en": {"organisation": "Organisation", "goal": "Goal", "personas": "Personas", "scale": "Emotion scale",
           "volume": "Customers per year", "persona": "Persona", "need": "Need", "expects": "Expects",
           "moment": "Moment of truth", "wait": "Wait", "fail": "Fail point", "touchpoint": "Touchpoint",
           "channel": "Channel", "owner": "Owner", "no_owner": "no owner", "emotion": "Emotion",
           "expected": "Expected", "target": "Target", "skips": "skips this step", "not_stated": "not stated",
           "all_customers": "all customers", "positive": "positive moment of truth",
           "negative": "negative moment of truth", "critical": "critical moment of truth",
           "journeys": "Customer journeys", "journey": "Journey", "steps": "Steps", "moments": "Moments of truth"},
    "nl": {"organisation": "Organisatie", "goal": "Doel", "personas": "Persona's", "scale": "Emotieschaal",
           "volume": "Klanten per jaar", "persona": "Persona", "need": "Behoefte", "expects": "Verwacht",
           "moment": "Moment van de waarheid", "wait": "Wachten", "fail": "Faalpunt", "touchpoint": "Contactmoment",
           "channel": "Kanaal", "owner": "Eigenaar", "no_owner": "geen eigenaar", "emotion": "Emotie",
           "expected": "Verwacht", "target": "Doel", "skips": "slaat deze stap over", "not_stated": "niet opgegeven",
           "all_customers": "alle klanten", "positive": "positief moment van de waarheid",
           "negative": "negatief moment van de waarheid", "critical": "kritiek moment van de waarheid",
           "journeys": "Klantreizen", "journey": "Klantreis", "steps": "Stappen", "moments": "Momenten van de waarheid"},
}


class MarkdownOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # built when first used: faster start-up
    locale: str | None = Field(default=None, description="Locale of the texts (default: the workspace's).")


def md(text) -> str:
    """One line of spec text, safe in Markdown (also inside a table cell)."""
    if text is None:
        return ""
    out = str(text).replace("&", "&amp;")
    for ch in _SPECIAL:
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


def render(workspace, context) -> None:
    locale = context.options.locale or context.locale

    def label(item) -> str:
        return item.text("label", locale) or item.id

    def text(item, field: str):
        return item.text(field, locale)

    def ref_label(key) -> str:
        found = workspace.get(key) if key else None
        return label(found) if found is not None else str(key)

    words = WORDS.get((locale or "en").split("-")[0].lower(), WORDS["en"])

    def emotion(value) -> str:
        if value is None:
            return words["not_stated"]
        names = ", ".join(md(n) for n in value.emotions)
        score = "0" if value.score == 0 else f"{value.score:+g}"
        return score + (f" ({names})" if names else "")

    def personas_of(journey):
        return [workspace.get(p) for p in journey.personas if workspace.get(p) is not None]

    # a journey's page is made from it and what lies outside the journeys: per journey
    for journey in context.each_journey(workspace.journeys):
        personas = personas_of(journey)
        organisation = workspace.get(journey.organisation) if journey.organisation else None
        page = context.render_template(
            "markdown/journey.md.j2", journey=journey, personas=personas, organisation=organisation,
            scale=f"{journey.scale.low:g}..{journey.scale.high:g}", md=md, label=label, text=text,
            ref_label=ref_label, emotion=emotion, t=words,
            persona_names="; ".join(label(p) for p in personas) or words["all_customers"])
        context.write_text(f"markdown/{journey.id}.md", _tidy(page))
    rows = []  # the index lists every journey: written every time
    for journey in workspace.journeys:
        personas = personas_of(journey)
        organisation = workspace.get(journey.organisation) if journey.organisation else None
        moments = sum(1 for s in journey.steps if s.moment) + sum(1 for t in journey.touchpoints if t.moment)
        rows.append({"label": label(journey), "file": f"{journey.id}.md",
                     "organisation": label(organisation) if organisation else "",
                     "personas": "; ".join(label(p) for p in personas), "steps": len(journey.steps),
                     "moments": moments})
    index = context.render_template("markdown/index.md.j2", rows=rows, md=md, t=words)
    context.write_text("markdown/index.md", _tidy(index))


def _tidy(text: str) -> str:
    """At most one blank line in a row, and a single final newline."""
    lines = [line.rstrip() for line in text.splitlines()]
    out = []
    for line in lines:
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"


@journeyql.hookimpl
def register_template_dirs(register):
    import journeyql_templates

    register(journeyql_templates.DIRECTORY)


@journeyql.hookimpl
def register_renderers(register):
    register(
        name="markdown",
        description="A readable summary per journey (personas, stages, touchpoints, owners, emotions) in Markdown.",
        render=render,
        outputs=["markdown/<journey>.md", "markdown/index.md"],
        options=MarkdownOptions,
        formats=["md"],
    )
