"""What the measured results say against the spec: the moments found in the data, and the KPI targets met or missed.

Both read a ``Results`` (or its dict form) and the model only; ``analysis.compute`` calls them once
the metrics are assembled, and the wave analysis calls them per wave.
"""

from __future__ import annotations

import math

from .results import SHOW_N, KpiResult, Moment, Results
from .statistics import welch_p

#: Two-sided level of the test that a fall between two steps is real (Welch's t-test).
DROP_ALPHA = 0.05


# --- moments of truth found in the data -----------------------------------------------------------

def find_moments(journey, results: dict | Results, show_n: int = SHOW_N) -> list[Moment]:
    """The lowest step, the largest drop between consecutive measured steps, the peak and the end.

    Only steps with at least ``show_n`` valence answers take part, in the journey's order. A drop
    counts only when Welch's t-test says the two steps' means differ (two-sided, p < DROP_ALPHA). The
    peak is the most intense step (furthest from the scale's midpoint, positive or negative): with
    the end, it is what customers remember (the peak-end rule).
    """
    steps = results["steps"] if isinstance(results, dict) else results.steps
    kept = [(step.key, steps[step.key]) for step in journey.steps
            if step.key in steps and steps[step.key].valence_mean is not None
            and steps[step.key].valence_n >= max(1, show_n)]
    measured = [(key, m.valence_mean) for key, m in kept]
    if not measured:
        return []
    found = []
    lowest = min(measured, key=lambda kv: kv[1])  # min/max keep the first of equals: deterministic
    found.append(Moment(journey.id, lowest[0], "lowest", lowest[1]))
    drops = [(b.valence_mean - a.valence_mean, ka, kb) for (ka, a), (kb, b) in zip(kept, kept[1:])
             if welch_p(a.valence_n, a.valence_mean, a.valence_sd, b.valence_n, b.valence_mean, b.valence_sd)
             < DROP_ALPHA]
    if drops:
        drop, before, after = min(drops, key=lambda d: d[0])
        if drop < 0:
            found.append(Moment(journey.id, after, "largest_drop", drop, note=before))
    midpoint = (journey.scale.low + journey.scale.high) / 2
    peak = max(measured, key=lambda kv: abs(kv[1] - midpoint))
    found.append(Moment(journey.id, peak[0], "peak", peak[1],
                        note="positive" if peak[1] > midpoint else "negative" if peak[1] < midpoint else "neutral"))
    end = measured[-1]
    found.append(Moment(journey.id, end[0], "end", end[1]))
    return found


# --- KPI targets ------------------------------------------------------------------------------------

#: KPI metric -> (Metrics field, is a share 0..1 that a percent target compares with x100)
KPI_FIELDS = {"valence": ("valence_mean", False), "valence_mean": ("valence_mean", False),
              "negative_share": ("negative_share", True), "nps": ("nps", False), "ces": ("ces_mean", False),
              "ces_mean": ("ces_mean", False), "csat": ("csat", True), "n": ("n", False)}
_OPS = {">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
        "<": lambda a, b: a < b, "==": lambda a, b: math.isclose(a, b, abs_tol=1e-9)}


def evaluate_kpis(measurement, workspace, results: dict | Results) -> list[KpiResult]:
    """Each KPI target of a measurement plan, met or missed (``no_data`` when the metric has no answers).

    ``response_rate`` and ``emotion_score`` need data the answers alone do not hold (the number
    invited; a valence per emotion), so they are reported as ``no_data``.
    """
    get = (lambda level: results[level]) if isinstance(results, dict) else (lambda level: getattr(results, level))
    out = []
    for kpi in measurement.kpis:
        subject = kpi.subject or measurement.journey
        metrics = None
        for level in ("touchpoints", "steps", "stages", "journeys"):
            if subject in get(level):
                metrics = get(level)[subject]
                break
        value = None
        if metrics is not None and kpi.metric in KPI_FIELDS:
            name, share = KPI_FIELDS[kpi.metric]
            value = getattr(metrics, name)
            if name == "n" and value == 0:
                value = None
            elif value is not None and share and kpi.unit == "percent":
                value = 100.0 * value
        status = "no_data" if value is None else "met" if _OPS[kpi.op](value, kpi.value) else "missed"
        out.append(KpiResult(measurement.id, subject, kpi.metric, kpi.op, kpi.value, kpi.unit, value, status))
    return out
