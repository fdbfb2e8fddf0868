"""KPI targets and the re-measurement plan that shows whether an improvement worked.

Each KPI names the survey questions that measure it (``journeyql.measure.items.question_name``),
whether a measurement plan already samples them, the baseline when there are
results, and when to measure again: some months after the improvement is live
(by horizon), then every year, because yesterday's improvement is tomorrow's expectation.
"""

from __future__ import annotations

from dataclasses import dataclass

from journeyql.measure.items import question_name
from journeyql.language.model import Journey, Stage, Step, Touchpoint, Workspace

#: Months after going live before re-measuring, per horizon (bigger changes need longer to land).
MONTHS_AFTER = {"quick_win": 3, "mid_term": 6, "long_term": 12}
#: Then measure again every this many months.
REPEAT_MONTHS = 12

#: The survey item a KPI metric is computed from.
METRIC_ITEM = {"valence": "valence", "valence_mean": "valence", "negative_share": "valence",
               "emotion_score": "emotion", "nps": "nps", "ces": "ces", "ces_mean": "ces", "csat": "csat",
               "n": "valence", "response_rate": "valence"}


@dataclass(frozen=True)
class KpiTarget:
    subject: str | None
    metric: str
    op: str
    value: float
    unit: str
    origin: str                      #: declared | suggested
    questions: tuple[str, ...]
    sampled: bool
    baseline: float | None


def kpi_targets(workspace: Workspace, declared, touchpoints, journeys, results) -> tuple[KpiTarget, ...]:
    if declared:
        return tuple(_target(workspace, k.subject, k.metric, k.op, k.value, k.unit, "declared", journeys, results)
                     for k in declared)
    found = []
    for key in touchpoints[:3]:
        journey = workspace.journey_of(key)
        step = next((s for s in journey.steps if any(tp.key == key for tp in s.touchpoints)), None)
        # the declared target emotion, else the scale's midpoint: "no longer negative"
        value = step.target.score if step is not None and step.target is not None else \
            (journey.scale.low + journey.scale.high) / 2
        found.append(_target(workspace, key, "valence", ">=", value, "number", "suggested", journeys, results))
    return tuple(found)


def _target(workspace, subject, metric, op, value, unit, origin, journeys, results) -> KpiTarget:
    item = METRIC_ITEM.get(metric, "valence")
    subject_item = workspace.get(subject) if subject else None
    if isinstance(subject_item, Touchpoint):
        tps = (subject_item,)
    elif isinstance(subject_item, Step):
        tps = subject_item.touchpoints
    elif isinstance(subject_item, Stage):
        tps = tuple(tp for s in subject_item.steps for tp in s.touchpoints)
    else:
        tps = ()
    if tps:
        questions = tuple(question_name(tp.id, item) for tp in tps)
        journey_ids = {j.id for j in (workspace.journey_of(tp.key) for tp in tps) if j}
        sampled_keys = {k for m in workspace.measurements if m.journey in journey_ids for s in m.samples for k in s.after}
        sampled = all(tp.key in sampled_keys for tp in tps)
    else:
        questions = (question_name(None, item),)
        journey_ids = {subject_item.id} if isinstance(subject_item, Journey) else set(journeys)
        sampled = any(s.end for m in workspace.measurements if m.journey in journey_ids for s in m.samples)
    return KpiTarget(subject, metric, op, value, unit, origin, questions, sampled,
                     _baseline(results, subject_item, metric, journeys))


def _baseline(results, subject, metric, journeys) -> float | None:
    if results is None:
        return None
    if isinstance(subject, Touchpoint):
        metrics = results.touchpoint(subject.key)
    elif isinstance(subject, Step):
        metrics = results.step(subject.key)
    elif isinstance(subject, Stage):
        metrics = results.stages.get(subject.key)
    elif isinstance(subject, Journey):
        metrics = results.journey(subject.id)
    else:
        metrics = results.journey(journeys[0]) if len(journeys) == 1 else None
    if metrics is None:
        return None
    value = {"valence": metrics.valence_mean, "valence_mean": metrics.valence_mean,
             "negative_share": None if metrics.negative_share is None else metrics.negative_share * 100,
             "nps": metrics.nps, "ces": metrics.ces_mean, "ces_mean": metrics.ces_mean,
             "csat": None if metrics.csat is None else metrics.csat * 100, "n": metrics.n}.get(metric)
    return round(value, 2) if value is not None else None
