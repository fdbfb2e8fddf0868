"""How a step feels: expected by the organisation (the spec) and measured from customers (the results).

The two are kept apart on purpose: the gap between them is itself a finding.
Measured valence comes from ``context.results`` (on the journey's own scale);
a step without its own measurement takes the worst of its measured touchpoints.
"""

from __future__ import annotations

from dataclasses import dataclass

from journeyql.language.model import Emotion, Step


@dataclass(frozen=True)
class Feeling:
    expected: Emotion | None
    measured: float | None = None
    measured_n: int = 0
    skips: bool = False

    @property
    def score(self) -> float | None:
        """What counts: measured reality when there is some, else the expectation."""
        if self.measured is not None:
            return self.measured
        return self.expected.score if self.expected is not None else None


def persona_view(step: Step, persona: str | None):
    return next((v for v in step.personas if persona and v.persona == persona), None)


def feeling_at(step: Step, results, persona: str | None = None) -> Feeling:
    view = persona_view(step, persona)
    expected = (view.expected if view is not None and view.expected is not None else step.expected)
    measured, n = measured_at(step, results, persona)
    return Feeling(expected, measured, n, skips=bool(view is not None and view.skips))


def measured_at(step: Step, results, persona: str | None = None) -> tuple[float | None, int]:
    if results is None:
        return None, 0
    metrics = (results.step(step.key, persona) if persona else None) or results.step(step.key)
    if metrics is not None and metrics.valence_mean is not None:
        return metrics.valence_mean, metrics.valence_n or metrics.n
    worst: tuple[float, int] | None = None
    for touchpoint in step.touchpoints:
        found = results.touchpoint(touchpoint.key)
        if found is not None and found.valence_mean is not None:
            if worst is None or found.valence_mean < worst[0]:
                worst = (found.valence_mean, found.valence_n or found.n)
    return worst if worst is not None else (None, 0)


def touchpoint_measured(touchpoint, results) -> float | None:
    if results is None:
        return None
    found = results.touchpoint(touchpoint.key)
    return found.valence_mean if found is not None else None
