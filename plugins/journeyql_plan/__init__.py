"""The `plan` renderer: a prioritised improvement plan per journey and per organisation.

Step 3 of the method (improve the experience): the improvements declared in the
spec plus suggestions from the spec and the measured data, scored with one
formula (``priority.py``), placed in the impact/effort quadrants, with the
business case from the customer experience model (``business_case.py``), what
each owner must do, and the KPI targets and re-measurement that show whether it
worked (``remeasure.py``). Written as a third-party plugin would be; docs/plan.md
documents the formula, the defaults and the outputs.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

import journeyql

#: Units of a duration, as in the language (``12min``, ``2d``, ``6w``).
_SECONDS = {"ms": 0.001, "s": 1, "min": 60, "h": 3600, "d": 86400, "w": 7 * 86400, "mo": 30 * 86400,
            "y": 365 * 86400}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h|d|w|mo|y)\s*$")


def duration_seconds(text: str) -> float:
    match = _DURATION.match(str(text))
    if not match:
        raise ValueError(f"{text!r} is not a duration; write e.g. 10min, 2h, 3d or 2w")
    return float(match.group(1)) * _SECONDS[match.group(2)]


class PlanOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    # a locale lands in file names and in <html lang>: a language tag, nothing else
    locale: str | None = Field(default=None, pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$",
                               description="Make the plan in this locale only (default: every locale of the "
                                           "workspace).")
    wait_threshold: str = Field(default="10min", description="Wait points longer than this become suggestions.")
    suggest: bool = Field(default=True, description="Add suggestions from the spec and the data.")

    @field_validator("wait_threshold")
    @classmethod
    def _is_duration(cls, value: str) -> str:
        duration_seconds(value)
        return value


def render(workspace, context) -> None:
    from .outputs import md, plan_csv, plan_json
    from .plan import build_plan
    from .view import Viewer, scope_view, unique_titles

    options = context.options
    locales = (options.locale,) if options.locale else tuple(dict.fromkeys(context.locales or (context.locale,)))
    results = context.results
    items = build_plan(workspace, results, duration_seconds(options.wait_threshold), options.suggest)

    titles: dict[str, dict[str, str]] = {}  # per locale, once for the whole plan (not once per page)

    def write_pages(name: str, heading_of, scope_items, journeys) -> None:
        for locale in locales:
            if locale not in titles:
                titles[locale] = unique_titles(Viewer(workspace, locale, results), items)
            view = scope_view(workspace, scope_items, locale, results, heading=heading_of(locale),
                              journeys=journeys, everything=items, titles=titles[locale])
            context.write_text(f"plan/{name}.{locale}.md",
                               _tidy(context.render_template("plan/plan.md.j2", v=view, md=md)))
            context.write_text(f"plan/{name}.{locale}.html", context.render_template("plan/plan.html.j2", v=view))

    def label_of(obj):
        return lambda locale: obj.text("label", locale) or obj.id

    journeys = sorted(workspace.journeys, key=lambda j: j.id)
    # the items of each journey, in plan order, found in one pass (not one pass per journey)
    positions: dict[str, list[int]] = {}
    for position, item in enumerate(items):
        for jid in dict.fromkeys(item.journeys):
            positions.setdefault(jid, []).append(position)
    scopes = {j.id: [items[p] for p in positions.get(j.id, ())] for j in journeys}
    # a journey's page whose items all concern that journey alone is made from it and what lies outside
    # the journeys (per journey); an item spanning journeys shows the others' touchpoints: written every time
    alone = [j for j in journeys if all(set(i.journeys) == {j.id} for i in scopes[j.id])]
    for journey in context.each_journey(alone):
        write_pages(journey.id, label_of(journey), scopes[journey.id], [journey])
    alone_ids = {j.id for j in alone}  # a set: `in` on the list compared whole journeys, quadratically
    for journey in journeys:
        if journey.id not in alone_ids:
            write_pages(journey.id, label_of(journey), scopes[journey.id], [journey])
    by_organisation: dict[str, list] = {}
    for journey in journeys:
        for organisation in journey.organisation_ids:  # a shared journey is in each of its organisations' plans
            by_organisation.setdefault(organisation, []).append(journey)
    unscoped = [(p, _organisation_of(workspace, i.owner)) for p, i in enumerate(items) if not i.journeys]
    for organisation in sorted(workspace.organisations, key=lambda o: o.id):
        own = by_organisation.get(organisation.id, [])
        # of a shared journey, only the items this organisation's staff own (or nobody yet): never another's
        chosen = {p for j in own for p in positions.get(j.id, ())
                  if not j.shared or _organisation_of(workspace, items[p].owner) in (organisation.id, None)}
        chosen.update(p for p, owner in unscoped if owner in (organisation.id, None))
        write_pages(organisation.id, label_of(organisation), [items[p] for p in sorted(chosen)], own)
    # bytes, not write_text: RFC 4180 wants CRLF line ends, which write_text would normalise away
    context.write_bytes("plan/plan.csv", plan_csv(workspace, items, locales[0], results).encode("utf-8"))
    context.write_text("plan/plan.json", plan_json(workspace, items, locales, results))


def _organisation_of(workspace, owner: str | None) -> str | None:
    found = workspace.get(owner) if owner else None
    return getattr(found, "organisation", None)


def _tidy(text: str) -> str:
    """At most one blank line in a row, and a single final newline."""
    out: list[str] = []
    for line in (line.rstrip() for line in text.splitlines()):
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
        name="plan",
        description="A prioritised improvement plan per journey and organisation, with business case, owners "
                    "and re-measurement (Markdown, HTML, CSV for a backlog tool, JSON).",
        render=render,
        outputs=["plan/<journey>.<locale>.md", "plan/<journey>.<locale>.html",
                 "plan/<organisation>.<locale>.md", "plan/<organisation>.<locale>.html",
                 "plan/plan.csv", "plan/plan.json"],
        options=PlanOptions,
        formats=["md", "html", "csv", "json"],
    )
