"""Suggestions: improvements the spec and the data point at, that nobody declared yet.

Sources, each named in the plan so a reader knows why it is there:

- ``moment_negative`` / ``moment_critical``: a negative or critical moment of truth (touchpoint or step);
- ``fail_point``: a fail point of the service blueprint;
- ``wait``: a wait point longer than the ``wait_threshold`` option;
- ``no_owner``: a touchpoint without an owner (customer experience that is everyone's is no one's);
- ``gap``: the largest gaps where the measured emotion is below the expected one beyond its 95%
  interval (needs results);
- ``driver``: the strongest drivers of NPS (needs results);
- ``benchmark``: in a journey several organisations share, a step where this organisation scores below
  the rest of the sector and another scores above it, both differences statistically supported
  (Welch vs the rest, Holm-corrected: ``results.benchmarks``): "B scores +1.2 at this step: learn from B".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from journeyql.language.model import Journey, Step, Workspace

from .priority import impact_from_driver, impact_from_gap

#: How many of the largest gaps and strongest drivers per journey become suggestions.
TOP = 3


@dataclass(frozen=True)
class Suggestion:
    source: str
    journey: str
    subject: str                     #: the touchpoint or step key it is about
    touchpoints: tuple[str, ...]
    owner: str | None
    detail: object | None = None     #: the spec's MomentOfTruth, FailPoint or WaitPoint
    index: int = 1                   #: the n-th suggestion of this source on this subject
    figures: dict = field(default_factory=dict)
    impact: float | None = None      #: computed from the data (gaps, drivers)

    @property
    def id(self) -> str:
        return f"suggest-{self.source}-{self.subject}-{self.index}"


def _step_owner(step: Step) -> str | None:
    """The owner of a step's touchpoints, when they share exactly one."""
    owners = {tp.owner for tp in step.touchpoints}
    return owners.pop() if len(owners) == 1 else None


def suggestions(workspace: Workspace, results, wait_seconds: float) -> list[Suggestion]:
    found: list[Suggestion] = []
    for journey in sorted(workspace.journeys, key=lambda j: j.id):
        found.extend(_from_spec(journey, wait_seconds))
        if results is not None:
            found.extend(_from_gaps(workspace, journey, results))
            found.extend(_from_drivers(workspace, journey, results))
            found.extend(_from_benchmark(workspace, journey, results))
    return found


def _from_benchmark(workspace: Workspace, journey: Journey, results):
    """Learn from the organisation that does it better, where the data supports both differences."""
    found = getattr(results, "benchmarks", {}).get(journey.id)
    if found is None or not journey.shared:
        return
    staff = {s.id: s.organisation for s in workspace.stakeholders}
    for row in found.steps:
        leaders = sorted((s for s in row.organisations if s.verdict == "higher"), key=lambda s: (-s.mean, s.organisation))
        if not leaders:
            continue
        leader = leaders[0]
        for number, score in enumerate(row.organisations, 1):
            if score.verdict != "lower":
                continue
            own = journey.for_organisation(score.organisation, staff)
            step = next((s for s in own.steps if s.key == row.subject), None)
            if step is None:
                continue
            leader_org = workspace.get(leader.organisation)
            yield Suggestion("benchmark", journey.id, row.subject, tuple(sorted(tp.key for tp in step.touchpoints)),
                             _step_owner(step), index=number,
                             figures={"organisation": score.organisation, "learn_from": leader.organisation,
                                      "learn_from_label": getattr(leader_org, "label", leader.organisation),
                                      "difference": round(leader.mean - score.mean, 2),
                                      "measured": _round(score.mean), "leader_measured": _round(leader.mean),
                                      "p_adjusted": round(score.p_adjusted, 4), "n": score.n},
                             impact=impact_from_gap(score.mean - leader.mean, journey.scale.low, journey.scale.high))


def _from_spec(journey: Journey, wait_seconds: float):
    for step in journey.steps:
        step_tps = tuple(sorted(tp.key for tp in step.touchpoints))
        if step.moment is not None and step.moment.polarity != "positive":
            yield Suggestion(f"moment_{step.moment.polarity}", journey.id, step.key, step_tps, _step_owner(step),
                             step.moment)
        for tp in step.touchpoints:
            if tp.moment is not None and tp.moment.polarity != "positive":
                yield Suggestion(f"moment_{tp.moment.polarity}", journey.id, tp.key, (tp.key,), tp.owner, tp.moment)
            if tp.owner is None:
                yield Suggestion("no_owner", journey.id, tp.key, (tp.key,), None)
        for index, fail in enumerate(step.fail_points, 1):
            if fail.touchpoint:
                owner = next((tp.owner for tp in step.touchpoints if tp.key == fail.touchpoint), None)
                yield Suggestion("fail_point", journey.id, step.key, (fail.touchpoint,), owner, fail, index)
            else:
                yield Suggestion("fail_point", journey.id, step.key, step_tps, _step_owner(step), fail, index)
        for index, wait in enumerate(step.wait_points, 1):
            if wait.duration.seconds > wait_seconds:
                yield Suggestion("wait", journey.id, step.key, step_tps, _step_owner(step), wait, index,
                                 {"duration": wait.duration.text})


def _from_gaps(workspace: Workspace, journey: Journey, results):
    """Touchpoints (or steps without measured touchpoints) felt worse than the organisation expected."""
    candidates = []
    for step in journey.steps:
        measured_tps = []
        for tp in step.touchpoints:
            metrics = results.touchpoint(tp.key)
            if metrics is not None and metrics.gap is not None:
                measured_tps.append(tp)
                if _below_expectation(metrics):
                    candidates.append((metrics.gap, tp.key, (tp.key,), tp.owner, metrics))
        metrics = results.step(step.key)
        if not measured_tps and metrics is not None and metrics.gap is not None and _below_expectation(metrics):
            candidates.append((metrics.gap, step.key, tuple(sorted(tp.key for tp in step.touchpoints)),
                               _step_owner(step), metrics))
    for gap, subject, tps, owner, metrics in sorted(candidates, key=lambda c: (c[0], c[1]))[:TOP]:
        yield Suggestion("gap", journey.id, subject, tps, owner,
                         figures={"gap": round(gap, 2), "measured": _round(metrics.valence_mean),
                                  "expected": _round(metrics.expected), "n": metrics.n},
                         impact=impact_from_gap(gap, journey.scale.low, journey.scale.high))


def _below_expectation(metrics) -> bool:
    """Measured below the expected emotion, and not by chance: the expected score lies above the 95%
    interval of the measured mean (without an interval, any shortfall counts)."""
    if metrics.gap is None or metrics.gap >= 0:
        return False
    if metrics.valence_ci is not None and metrics.expected is not None:
        return metrics.valence_ci[1] < metrics.expected
    return True


def _from_drivers(workspace: Workspace, journey: Journey, results):
    known = {tp.key for tp in journey.touchpoints}  # results of an older spec may name touchpoints since removed
    drivers = sorted((d for d in results.drivers if d.journey == journey.id and d.weight > 0 and d.touchpoint in known),
                     key=lambda d: (-d.weight, d.touchpoint))
    if not drivers:
        return
    strongest = drivers[0].weight
    for driver in drivers[:TOP]:
        tp = workspace.get(driver.touchpoint)
        owner = getattr(tp, "owner", None)
        yield Suggestion("driver", journey.id, driver.touchpoint, (driver.touchpoint,), owner,
                         figures={"weight": round(driver.weight, 3)},
                         impact=impact_from_driver(driver.weight, strongest))


def _round(value):
    return round(value, 2) if value is not None else None
