"""The rules that keep a journey shared by several organisations consistent (a benchmark).

Registered like every core rule (``rules.rule``); ``rules`` imports this module so ``core_rules()``
lists them. See docs/language.md, "Benchmarks".
"""

from __future__ import annotations

from .. import diagnostics as d
from ..diagnostics import Diagnostic, did_you_mean
from ..language.shapes import Journey, Organisation, Stakeholder, Step, Touchpoint, Workspace  # either class set
from ..language.organisation_views import uses
from .rules import rule


def _sharing(ws: Workspace, journey: Journey) -> tuple[str, ...]:
    """The journey's organisations that exist: a misspelt one is "not defined" already, and judging the
    journey's touchpoints for it too would bury that one mistake under follow-on findings."""
    return tuple(o for o in journey.organisation_ids if isinstance(ws.get(o), Organisation))


def _organisation_of(ws: Workspace, stakeholder: str | None) -> str | None:
    party = ws.get(stakeholder) if stakeholder else None
    return party.organisation if isinstance(party, Stakeholder) else None


@rule(d.ORGANISATION_WITHOUT_OWNER)
def every_organisation_owns_its_touchpoints(ws: Workspace):
    for journey in ws.journeys:
        if not journey.organisations:
            continue
        for organisation in _sharing(ws, journey):
            for step in journey.steps:
                if not uses(journey, organisation, step.key):
                    continue
                for tp in step.touchpoints:
                    if not uses(journey, organisation, tp.key):
                        continue
                    view = tp.view(organisation)
                    owner = view.owner if view is not None and view.owner else tp.owner
                    where = view if view is not None else tp
                    if owner is None:
                        yield Diagnostic.of(
                            d.ORGANISATION_WITHOUT_OWNER,
                            f"touchpoint `{tp.id}` has no owner at organisation `{organisation}`", where.span,
                            f"add `for {organisation} {{ owner ... }}` with one of its internal stakeholders")
                        continue
                    belongs = _organisation_of(ws, owner)
                    if belongs is not None and belongs != organisation:
                        yield Diagnostic.of(
                            d.ORGANISATION_WITHOUT_OWNER,
                            f"touchpoint `{tp.id}` is owned at organisation `{organisation}` by `{owner}`, "
                            f"a stakeholder of `{belongs}`", where.span,
                            f"add `for {organisation} {{ owner ... }}` with one of `{organisation}`'s stakeholders")


@rule(d.ORGANISATION_NOT_IN_JOURNEY)
def views_name_the_journeys_organisations(ws: Workspace):
    known = {o.id for o in ws.organisations}
    for journey in ws.journeys:
        sharing = journey.organisation_ids  # all written, known or not: a misspelt one is reported once
        for step in journey.steps:
            views = [*step.organisations, *(v for tp in step.touchpoints for v in tp.organisations)]
            for view in views:
                if view.organisation in sharing or view.organisation not in known:
                    continue  # an unknown name is already "not defined"
                hint = did_you_mean(view.organisation, sharing) or (
                    f"add it: `organisations {', '.join((*sharing, view.organisation))}`")
                yield Diagnostic.of(d.ORGANISATION_NOT_IN_JOURNEY,
                                    f"`for {view.organisation}`: organisation `{view.organisation}` does not share "
                                    f"journey `{journey.id}`", view.span, hint)


@rule(d.IMPROVEMENT_CROSSES_ORGANISATIONS)
def improvements_stay_in_their_organisation(ws: Workspace):
    for improvement in ws.improvements:
        owner_of = _organisation_of(ws, improvement.owner)
        if owner_of is None:
            continue
        for key in improvement.changes:
            found = ws.get(key)
            if not isinstance(found, (Touchpoint, Step)):
                continue
            journey = ws.journey_of(key)
            sharing = _sharing(ws, journey) if isinstance(journey, Journey) else ()
            if not sharing:
                continue
            what = "touchpoint" if isinstance(found, Touchpoint) else "step"
            if owner_of not in sharing:
                yield Diagnostic.of(
                    d.IMPROVEMENT_CROSSES_ORGANISATIONS,
                    f"improvement `{improvement.id}` is owned by `{improvement.owner}` of `{owner_of}` but changes "
                    f"{what} `{key}` of {', '.join(f'`{o}`' for o in sharing)}",
                    improvement.span, "an owner of the organisation whose touchpoint it is delivers the improvement")
            elif not uses(journey, owner_of, key):
                yield Diagnostic.of(
                    d.IMPROVEMENT_CROSSES_ORGANISATIONS,
                    f"improvement `{improvement.id}` of `{owner_of}` changes {what} `{key}`, which `{owner_of}`'s "
                    "customers do not meet (its view skips it)", improvement.span,
                    "change a touchpoint this organisation has")
