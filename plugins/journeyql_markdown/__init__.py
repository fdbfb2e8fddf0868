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


def locale_variants(context) -> list[tuple[str, str]]:
    """(locale, file suffix) of each language the summaries are written in: the ``locale`` option's
    alone, else the workspace's (``verhuizen.md``) and every further one (``verhuizen.en.md``), as the
    maps and the curves name theirs."""
    if context.options.locale:
        return [(context.options.locale, "")]
    return [(context.locale, "")] + [(locale, f".{locale}") for locale in dict.fromkeys(context.locales or ())
                                     if locale != context.locale]


def render(workspace, context) -> None:
    languages = [_Summary(workspace, context, locale, suffix) for locale, suffix in locale_variants(context)]
    # a journey's pages are made from it and what lies outside the journeys: per journey, in every language
    for journey in context.each_journey(workspace.journeys):
        for language in languages:
            language.journey(journey)
            # a shared journey: each organisation's own summary, its view (labels, channels, owners, emotions)
            for view in journeyql.organisation_views(workspace, journey):
                language.journey(view.journey, f"{journey.id}--{view.organisation}")
    for language in languages:  # the index lists every journey: written every time
        language.index()


class _Summary:
    """The summaries in one language."""

    def __init__(self, workspace, context, locale: str, suffix: str):
        from journeyql.host.names import Names

        self.ws, self.context, self.locale, self.suffix = workspace, context, locale, suffix
        self.names = Names(workspace, locale)
        self.words = WORDS.get((locale or "en").split("-")[0].lower(), WORDS["en"])

    def label(self, item) -> str:
        return item.text("label", self.locale) or item.id

    def text(self, item, field: str):
        from journeyql.language.model import text_in

        return text_in(item, field, self.locale)

    def ref_label(self, key) -> str:
        found = self.ws.get(key) if key else None
        return self.label(found) if found is not None else str(key)

    def emotion(self, value) -> str:
        if value is None:
            return self.words["not_stated"]
        named = md(self.names.emotions(value.emotions))
        score = "0" if value.score == 0 else f"{value.score:+g}"
        return score + (f" ({named})" if named else "")

    def number(self, value) -> str:
        from journeyql.host.numbers import decimal

        return decimal(value, self.locale, 0, group=True)

    def personas_of(self, journey):
        return [self.ws.get(p) for p in journey.personas if self.ws.get(p) is not None]

    def journey(self, journey, stem: str | None = None) -> None:
        personas = self.personas_of(journey)
        organisation = self.ws.get(journey.organisation) if journey.organisation else None
        page = self.context.render_template(
            "markdown/journey.md.j2", journey=journey, personas=personas, organisation=organisation,
            scale=f"{journey.scale.low:g}..{journey.scale.high:g}", md=md, label=self.label, text=self.text,
            ref_label=self.ref_label, emotion=self.emotion, t=self.words, duration=self.names.duration,
            number=self.number, persona_names="; ".join(self.label(p) for p in personas) or self.words["all_customers"])
        self.context.write_text(f"markdown/{stem or journey.id}{self.suffix}.md", _tidy(page))

    def index(self) -> None:
        rows = []
        for journey in self.ws.journeys:
            personas = self.personas_of(journey)
            organisation = self.ws.get(journey.organisation) if journey.organisation else None
            moments = sum(1 for s in journey.steps if s.moment) + sum(1 for t in journey.touchpoints if t.moment)
            rows.append({"label": self.label(journey), "file": f"{journey.id}{self.suffix}.md",
                         "organisation": self.label(organisation) if organisation else
                         ", ".join(self.ref_label(o) for o in journey.organisations),
                         "personas": "; ".join(self.label(p) for p in personas), "steps": len(journey.steps),
                         "moments": moments})
            for view in journeyql.organisation_views(self.ws, journey):  # each organisation's own summary
                own = view.journey
                moments = sum(1 for s in own.steps if s.moment) + sum(1 for t in own.touchpoints if t.moment)
                rows.append({"label": self.label(journey), "file": f"{journey.id}--{view.organisation}{self.suffix}.md",
                             "organisation": self.ref_label(view.organisation),
                             "personas": "; ".join(self.label(p) for p in personas), "steps": len(own.steps),
                             "moments": moments})
        index = self.context.render_template("markdown/index.md.j2", rows=rows, md=md, t=self.words)
        self.context.write_text(f"markdown/index{self.suffix}.md", _tidy(index))


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
        outputs=["markdown/<journey>.md", "markdown/<journey>--<organisation>.md", "markdown/index.md",
                 "markdown/<journey>.<locale>.md", "markdown/index.<locale>.md (each further locale)"],
        options=MarkdownOptions,
        formats=["md"],
    )
