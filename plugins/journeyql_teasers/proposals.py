"""Proposing teasers for the worst moments of a journey that no declared teaser covers yet.

A step is a candidate when it feels bad (below the middle of the journey's
scale), is a negative or critical moment of truth, or has fail points. When
the journey has measured results, measured steps come first: what customers
said beats what the organisation believes (the inside-out view). Within a
tier, the worse the emotion and the more that goes wrong, the higher.
"""

from __future__ import annotations

from journeyql.language.model import Journey, Step, Touchpoint

from .feelings import feeling_at, touchpoint_measured
from .scope import Plan, Reason

#: The material that fits a channel: what the customer meets there.
KIND_FOR_CHANNEL = {"paper": "letter", "email": "email", "web": "web_page", "digital": "web_page",
                    "app": "web_page", "social": "web_page", "phone": "phone", "chat": "roleplay",
                    "in_person": "roleplay", "field": "roleplay", "other": "roleplay"}

_MOMENT_WEIGHT = {"negative": 0.5, "critical": 0.35, "positive": 0.0}


def propose(workspace, journey: Journey, covered: set[str], results, limit: int) -> list[Plan]:
    """Up to ``limit`` proposals for ``journey``, worst first; ``covered`` are step keys already in a teaser."""
    if limit <= 0:
        return []
    feelings = {step.key: feeling_at(step, results) for step in journey.steps}
    measured_journey = any(f.measured is not None for f in feelings.values())
    ranked = []
    for index, step in enumerate(journey.steps):
        if step.key in covered:
            continue
        feeling = feelings[step.key]
        score = feeling.score
        below = score is not None and journey.scale.normalise(score) < 0.5
        moments = _moments(step)
        bad_moments = [m for m in moments if m[1].polarity != "positive"]
        if not (below or bad_moments or step.fail_points):
            continue
        badness = (1 - journey.scale.normalise(score)) if score is not None else 0.5
        badness += max((_MOMENT_WEIGHT[m.polarity] for _, m in bad_moments), default=0.0)
        badness += 0.1 * min(len(step.fail_points), 3)
        tier = 1 if measured_journey and feeling.measured is None else 0
        ranked.append((tier, -round(badness, 9), index, step))
    ranked.sort(key=lambda r: r[:3])
    plans = []
    for _, _, _, step in ranked[:limit]:
        touchpoint = _worst_touchpoint(step, results)
        kind = KIND_FOR_CHANNEL.get(_channel_kind(workspace, touchpoint), "roleplay") if touchpoint else "roleplay"
        touchpoints = (touchpoint,) if touchpoint else ()
        plans.append(Plan(f"proposed-{step.key.split('.', 1)[-1]}", kind, journey, (step,), touchpoints,
                          subject=touchpoint.key if touchpoint else step.key,
                          reasons=_reasons(journey, step, feelings[step.key])))
    return plans


def _moments(step: Step):
    found = [(step, step.moment)] if step.moment else []
    return found + [(t, t.moment) for t in step.touchpoints if t.moment]


def _worst_touchpoint(step: Step, results) -> Touchpoint | None:
    """The touchpoint that hurts most: the worst measured, else a negative/critical moment, else the first."""
    if not step.touchpoints:
        return None
    measured = [(touchpoint_measured(t, results), i, t) for i, t in enumerate(step.touchpoints)]
    measured = [m for m in measured if m[0] is not None]
    if measured:
        return min(measured, key=lambda m: m[:2])[2]
    for polarity in ("negative", "critical"):
        for touchpoint in step.touchpoints:
            if touchpoint.moment and touchpoint.moment.polarity == polarity:
                return touchpoint
    failing = {f.touchpoint for f in step.fail_points if f.touchpoint}
    return next((t for t in step.touchpoints if t.key in failing), step.touchpoints[0])


def _channel_kind(workspace, touchpoint: Touchpoint) -> str:
    channel = workspace.get(touchpoint.channel)
    return getattr(channel, "kind", "other")


def _reasons(journey: Journey, step: Step, feeling) -> tuple[Reason, ...]:
    reasons = []
    if feeling.measured is not None:
        reasons.append(Reason("reason_measured", (("score", feeling.measured),)))
        if feeling.expected is not None and feeling.measured < feeling.expected.score:
            reasons.append(Reason("reason_gap", (("measured", feeling.measured),
                                                 ("expected", feeling.expected.score))))
    elif feeling.expected is not None and journey.scale.normalise(feeling.expected.score) < 0.5:
        reasons.append(Reason("reason_expected", (("score", feeling.expected.score),)))
    for owner, moment in _moments(step):
        if moment.polarity != "positive":
            reasons.append(Reason("reason_moment", (("polarity", moment.polarity), ("text", moment),
                                                    ("owner", owner))))
    for fail in step.fail_points:
        reasons.append(Reason("reason_fail", (("text", fail),)))
    return tuple(reasons)
