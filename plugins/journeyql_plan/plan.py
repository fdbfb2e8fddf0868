"""The plan: declared improvements and suggestions, each scored with the one formula."""

from __future__ import annotations

from dataclasses import dataclass

from journeyql.language.model import Improvement, Workspace

from .business_case import BusinessCase, business_case
from .priority import (DEFAULTS, Factor, Reach, horizon_from_effort, impact_from_driver, impact_from_gap,
                       priority, quadrant)
from .remeasure import KpiTarget, kpi_targets
from .merge import Proposal, merge
from .scope import journeys_of, reach_of, touchpoints_of
from .suggest import Suggestion, suggestions


@dataclass(frozen=True)
class PlanItem:
    id: str
    source: str                          #: declared, or the source of the suggestion's strongest finding
    improvement: Improvement | None
    suggestion: Proposal | None
    journeys: tuple[str, ...]
    touchpoints: tuple[str, ...]
    owner: str | None
    horizon: str
    horizon_origin: str                  #: declared | derived
    status: str | None
    reach: Reach
    impact: Factor
    confidence: Factor
    effort: Factor
    priority: float
    quadrant: str
    case: BusinessCase
    kpis: tuple[KpiTarget, ...]
    initiatives: tuple[str, ...]
    covered_by: tuple[str, ...] = ()

    @property
    def suggested(self) -> bool:
        return self.improvement is None


def build_plan(workspace: Workspace, results, wait_seconds: float, suggest: bool = True) -> tuple[PlanItem, ...]:
    items = [_declared(workspace, imp, results) for imp in workspace.improvements]
    if suggest:
        active = [i for i in items if i.status != "dropped"]
        for found in merge(suggestions(workspace, results, wait_seconds)):
            covered = tuple(sorted(i.id for i in active if set(i.touchpoints) & set(found.touchpoints)))
            items.append(_suggested(workspace, found, results, covered))
    return tuple(sorted(items, key=lambda i: (-i.priority, i.id)))


def _declared(workspace: Workspace, imp: Improvement, results) -> PlanItem:
    # the steps it changes in the to-be journey (`at step`) count as what it changes
    tps = touchpoints_of(workspace, (*imp.changes, *(c.step for c in imp.step_changes)))
    journeys = journeys_of(workspace, tps)
    d_impact, d_confidence, d_effort = DEFAULTS["declared"]
    impact = Factor(imp.impact, "declared") if imp.impact is not None else \
        (_measured_impact(workspace, tps, results) or Factor(d_impact, "default"))
    confidence = Factor(imp.confidence, "declared") if imp.confidence is not None else Factor(d_confidence, "default")
    effort = Factor(imp.effort, "declared") if imp.effort is not None else Factor(d_effort, "default")
    horizon = imp.horizon or horizon_from_effort(effort.value)
    return _item(workspace, imp.id, "declared", imp, None, journeys, tps, imp.changes, imp.owner, horizon,
                 "declared" if imp.horizon else "derived", imp.status, impact, confidence, effort, imp.kpis,
                 imp.initiatives, results)


def _finding_factors(found: Suggestion) -> tuple[Factor, Factor, Factor]:
    d_impact, d_confidence, d_effort = DEFAULTS[found.source if found.source in DEFAULTS else "declared"]
    impact = Factor(found.impact, "measured") if found.impact is not None else Factor(d_impact, "default")
    return impact, Factor(d_confidence, "default"), Factor(d_effort, "default")


def _suggested(workspace: Workspace, found: Proposal, results, covered) -> PlanItem:
    """A merged suggestion: the impact of its strongest finding, the surest confidence, the largest effort."""
    factors = [_finding_factors(f) for f in found.findings]
    # max() keeps the first of equal values: the earliest finding names the row's source
    strongest = max(range(len(factors)), key=lambda i: factors[i][0].value)
    impact = factors[strongest][0]
    confidence = max((f[1] for f in factors), key=lambda f: f.value)
    effort = max((f[2] for f in factors), key=lambda f: f.value)
    return _item(workspace, found.id, found.findings[strongest].source, None, found, (found.journey,),
                 found.touchpoints, found.touchpoints, found.owner, horizon_from_effort(effort.value), "derived",
                 None, impact, confidence, effort, (), (), results, covered)


def _item(workspace, id_, source, imp, found, journeys, tps, changed, owner, horizon, horizon_origin, status,
          impact, confidence, effort, kpis, initiatives, results, covered=()) -> PlanItem:
    reach = reach_of(workspace, tps, journeys)
    return PlanItem(
        id=id_, source=source, improvement=imp, suggestion=found, journeys=journeys, touchpoints=tps, owner=owner,
        horizon=horizon, horizon_origin=horizon_origin, status=status, reach=reach, impact=impact,
        confidence=confidence, effort=effort,
        priority=priority(reach.value, impact.value, confidence.value, effort.value),
        quadrant=quadrant(impact.value, effort.value),
        case=business_case(workspace, tps, changed, results),
        kpis=kpi_targets(workspace, kpis, tps, journeys, results), initiatives=tuple(initiatives),
        covered_by=tuple(covered))


def _measured_impact(workspace: Workspace, tps, results) -> Factor | None:
    """An undeclared impact from the data: the larger of the worst gap and the strongest driver at its touchpoints."""
    if results is None or not tps:
        return None
    candidates = []
    for key in tps:
        metrics = results.touchpoint(key)
        journey = workspace.journey_of(key)
        if metrics is not None and metrics.gap is not None and metrics.gap < 0 and journey is not None:
            candidates.append(impact_from_gap(metrics.gap, journey.scale.low, journey.scale.high))
    for driver in results.drivers:
        if driver.touchpoint in tps and driver.weight > 0:
            strongest = max(d.weight for d in results.drivers if d.journey == driver.journey)
            candidates.append(impact_from_driver(driver.weight, strongest))
    return Factor(max(candidates), "measured") if candidates else None
