"""The `teasers` renderer: simulation material that lets employees feel what customers feel.

Step 2 of the method ("experience it yourself"). For every teaser in the spec it
makes the material of its kind (a printable letter or e-mail, a clickable web
page or form, a phone scenario with the real waiting times, a role-play script,
a day in the life, a production brief), proposes teasers for the worst moments
no teaser covers yet, and writes a workshop kit per journey. Output, per locale:

    teasers/index.<locale>.html
    teasers/<journey>/index.<locale>.html
    teasers/<journey>/<teaser>.<locale>.html             (and proposed-<step>.<locale>.html)
    teasers/<journey>/day-in-the-life-<persona>.<locale>.html
    teasers/<journey>/workshop-kit.<locale>.html

A journey several organisations share gets all of it per organisation instead, from that organisation's
view, in ``teasers/<journey>--<organisation>/`` (see :mod:`.organisations`).

Written as a third-party plugin would be; the templates (``teasers/*.html.j2``
in ``journeyql_templates``) can be overridden from a workspace's ``templates/teasers/``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pydantic import BaseModel, ConfigDict, Field

import journeyql

# the material's modules are imported by the functions that make it: a `check` that only loads the
# plugin to ask for its hooks does not pay for them

#: The template that makes each kind of teaser.
TEMPLATES = {"letter": "teasers/letter.html.j2", "email": "teasers/email.html.j2", "web_page": "teasers/web.html.j2",
             "form": "teasers/web.html.j2", "phone": "teasers/phone.html.j2", "roleplay": "teasers/roleplay.html.j2",
             "day_in_life": "teasers/day_in_life.html.j2", "video": "teasers/brief.html.j2",
             "other": "teasers/brief.html.j2"}


class TeasersOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    # the locale becomes part of file names and the pages' lang attribute: a language tag, nothing else
    locale: str | None = Field(default=None, pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$",
                               description="Make the material in this locale only, e.g. `nl` (default: every "
                                           "locale of the workspace).")
    propose: bool = Field(default=True, description="Propose teasers for the worst moments no teaser covers yet.")
    max_proposals: int = Field(default=3, ge=0, le=50, description="At most this many proposals per journey.")


def render(workspace, context) -> None:
    from .voice import Voice
    from .words import WORDS, words_for

    options = context.options
    locales = (options.locale,) if options.locale else tuple(dict.fromkeys(context.locales or (context.locale,)))
    per_journey = []
    for journey in workspace.journeys:
        if journey.shared:  # one set of material per organisation, from its view (organisations.py)
            per_journey += [_material_of(workspace, journey, context, organisation)
                            for organisation in journey.organisations]
        else:
            per_journey.append(_material_of(workspace, journey, context, None))
    words_of: dict = {}
    for locale in locales:
        words = words_for(locale)
        if words is None:
            context.warn(f"teasers: no words for locale {locale!r} (there are {', '.join(sorted(WORDS))}); "
                         "the material's own words are in English, spec texts in that locale where translated")
            words = WORDS["en"]
        words_of[locale] = words
    voices: dict = {}

    def voice_for(locale: str, material: Material) -> Voice:
        # a voice speaks with measured results: an organisation's material with its own respondents'
        key = (locale, material.folder if material.organisation else None)
        if key not in voices:
            voices[key] = Voice(workspace, locale, words_of[locale], material.results)
        return voices[key]

    # a journey's folder depends on that journey and on what lies outside the journeys (teasers, personas,
    # channels, improvements, results): a build after a change in one journey makes only its folders again
    for material in context.each_journey(per_journey, journey=lambda m: m.journey.id):
        for locale in locales:
            _render_journey(context, voice_for(locale, material), material, locales)
    for locale in locales:
        rows = [_row(voice_for(locale, material), material) for material in per_journey]
        page = context.render_template("teasers/index.html.j2", t=words_of[locale],
                                       locale=Voice(workspace, locale, words_of[locale]).lang,
                                       others=_others(locales, locale, "index"), journeys=rows)
        context.write_text(f"teasers/index.{locale}.html", _tidy(page))


def _row(voice: Voice, material: "Material") -> dict:
    """A journey's (or an organisation's view's) line in the index of all journeys, written every run."""
    title = voice.label(material.journey) + (f" ({voice.ref(material.organisation)})" if material.organisation else "")
    return {"id": material.journey.id, "label": title, "href": f"{material.folder}/index.{voice.locale}.html",
            "declared": sum(1 for plan in material.plans if not plan.proposed),
            "proposals": sum(1 for plan in material.plans if plan.proposed)}


@dataclass(frozen=True)
class Material:
    """What is made for one journey, or for one organisation's view of a shared journey."""

    journey: object                #: the journey, or the organisation's view of it
    plans: list
    folder: str                    #: ``<journey>``, or ``<journey>--<organisation>``
    organisation: str | None       #: whose material this is, for a shared journey
    results: object                #: the measured results it speaks with (that organisation's)


def _material_of(workspace, journey, context, organisation: str | None) -> Material:
    from .organisations import OrganisationResults, teaser_organisations, view
    from .proposals import propose
    from .scope import declared_plans

    options = context.options
    results = context.results
    folder = journey.id
    seen = journey
    plans = declared_plans(workspace, journey)
    if organisation is not None:
        seen = view(workspace, journey, organisation)
        results = OrganisationResults(context.results, organisation) if context.results else None
        folder = f"{journey.id}--{organisation}"
        # its own teasers, each about its own version of what it imitates; nothing of what it skips
        plans = [p for p in declared_plans(workspace, seen)
                 if organisation in teaser_organisations(workspace, journey, p.teaser) and p.steps]
    if options.propose:
        covered = {s.key for p in plans if p.teaser is not None and p.teaser.imitates for s in p.steps}
        plans += propose(workspace, seen, covered, results, options.max_proposals)
    if organisation is not None:
        plans = [replace(p, organisation=organisation) for p in plans]
    return Material(seen, plans, folder, organisation, results)


def _others(locales, locale: str, stem: str) -> list[dict]:
    return [{"locale": other, "href": f"{stem}.{other}.html"} for other in locales if other != locale]


def _render_journey(context, voice: Voice, material: Material, locales) -> None:
    from .imitations import letter_data, material_text, phone_script, roleplay_scenes, web_data
    from .material import choose_persona, page_data
    from .workshop import workshop_data

    t, locale = voice.t, voice.locale
    journey, plans, organisation = material.journey, material.plans, material.organisation
    folder = f"teasers/{material.folder}"
    # an organisation's material of a shared journey says whose it is wherever the journey is named
    title = voice.label(journey) + (f" ({voice.ref(organisation)})" if organisation else "")
    common = {"t": t, "locale": voice.lang, "back": f"index.{locale}.html", "sentence": sentence}
    entries, labels, files, phone_seconds = [], {}, {}, {}
    for plan in plans:
        persona, why = choose_persona(voice, plan)
        data = page_data(voice, plan, persona, why)
        extra = {}
        if plan.kind in ("letter", "email"):
            extra["letter"] = letter_data(voice, data)
        elif plan.kind in ("web_page", "form"):
            extra["web"] = web_data(voice, data)
        elif plan.kind == "phone":
            extra["phone"] = phone_script(voice, data)
            phone_seconds[plan.id] = extra["phone"]["seconds"]
        elif plan.kind == "roleplay":
            extra["scenes"] = roleplay_scenes(voice, data)
        if plan.kind in ("roleplay", "day_in_life", "video", "other"):
            extra["material"] = material_text(data)
        page = context.render_template(TEMPLATES[plan.kind], **common, **data, **extra,
                                       others=_others(locales, locale, plan.file_stem))
        files[plan.id] = f"{plan.file_stem}.{locale}.html"
        labels[plan.id] = data["teaser"]["label"]
        context.write_text(f"{folder}/{files[plan.id]}", _tidy(page))
        entries.append({**data["teaser"], "file": files[plan.id]})
    days = []
    personas = [p for p in (voice.workspace.get(k) for k in journey.personas) if p is not None]
    for persona in personas:
        stem = f"day-in-the-life-{persona.id}"
        data = _day_in_life(voice, journey, persona)
        page = context.render_template(TEMPLATES["day_in_life"], **common, **data,
                                       others=_others(locales, locale, stem))
        context.write_text(f"{folder}/{stem}.{locale}.html", _tidy(page))
        days.append({"label": data["teaser"]["label"], "file": f"{stem}.{locale}.html"})
    kit = workshop_data(voice, journey, plans, labels, files, phone_seconds, organisation)
    page = context.render_template("teasers/workshop.html.j2", **common, **kit,
                                   journey={"id": journey.id, "label": title},
                                   others=_others(locales, locale, "workshop-kit"))
    context.write_text(f"{folder}/workshop-kit.{locale}.html", _tidy(page))
    page = context.render_template(
        "teasers/journey.html.j2", **{**common, "back": f"../index.{locale}.html"},
        journey={"id": journey.id, "label": title, "goal": voice.text(journey, "goal")},
        declared=[e for e in entries if not e["proposed"]], proposals=[e for e in entries if e["proposed"]],
        days=days, workshop=f"workshop-kit.{locale}.html", others=_others(locales, locale, "index"))
    context.write_text(f"{folder}/index.{locale}.html", _tidy(page))


def _day_in_life(voice: Voice, journey, persona) -> dict:
    """A day in the life of one persona: the whole journey, every step in scope."""
    from .material import page_data
    from .scope import Plan

    plan = Plan(f"day-in-the-life-{persona.id}", "day_in_life", journey, journey.steps, journey.touchpoints)
    data = page_data(voice, plan, persona, None)
    data["teaser"] = {"id": plan.id, "label": voice.t["day_in_life_of"].format(persona=voice.label(persona)),
                      "kind": "day_in_life", "kind_label": voice.t["kind_day_in_life"], "pain": None,
                      "description": None, "notes": [], "proposed": False, "reasons": [], "audience": [],
                      "scope": [voice.label(journey)]}
    return data


def sentence(text) -> str:
    """Spec text as a sentence in a narrative: a full stop added unless it already ends like one."""
    text = " ".join(str(text or "").split())
    return text if not text or text[-1] in ".!?…:;)\"'”’" else text + "."


def _tidy(text: str) -> str:
    """No trailing spaces, at most one blank line in a row, one final newline: stable diffs."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.rstrip()
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
        name="teasers",
        description="Simulation teasers for employees: letters, clickable pages, phone scenarios, role-plays, "
                    "a day in the life and a workshop kit, with proposals for the worst moments.",
        render=render,
        outputs=["teasers/index.<locale>.html", "teasers/<journey>/index.<locale>.html",
                 "teasers/<journey>/<teaser>.<locale>.html", "teasers/<journey>/workshop-kit.<locale>.html",
                 "teasers/<journey>/day-in-the-life-<persona>.<locale>.html",
                 # a journey several organisations share: the same, per organisation
                 "teasers/<journey>--<organisation>/index.<locale>.html",
                 "teasers/<journey>--<organisation>/<teaser>.<locale>.html"],
        options=TeasersOptions,
        formats=["html"],
    )
