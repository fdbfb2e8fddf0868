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
        if getattr(kpi, "since", None) == "previous":  # judged against the previous wave: see against_previous
            out.append(KpiResult(measurement.id, subject, kpi.metric, kpi.op, kpi.value, kpi.unit, value,
                                 "no_data", since="previous"))
            continue
        status = "no_data" if value is None else "met" if _OPS[kpi.op](value, kpi.value) else "missed"
        out.append(KpiResult(measurement.id, subject, kpi.metric, kpi.op, kpi.value, kpi.unit, value, status))
    return out


def _level(workspace, subject: str, journey: str) -> str | None:
    from ..language.model import Step, Touchpoint

    if subject == journey:
        return "journeys"
    found = workspace.get(subject)
    return "touchpoints" if isinstance(found, Touchpoint) else "steps" if isinstance(found, Step) else None


def against_previous(workspace, waves: tuple, changes: tuple, current: tuple[KpiResult, ...]):
    """Each wave's ``no worse than previous`` KPIs judged by the wave changes; the current KPIs with them.

    The KPI is met when the change since the previous wave is not ``declined`` (Welch's t on respondents'
    means, Holm-corrected with the other subjects of its level: the very test of ``changes``), missed when
    it is, and ``no_data`` when the change is ``not_enough_data`` or the wave is the plan's first (there is
    no previous wave to be worse than). Returns (waves, current KPI results).
    """
    from dataclasses import replace

    found = {(c.measurement, c.level, c.subject, c.after_wave): c for c in changes
             if c.since == "previous" and c.metric == "valence"}
    judged_waves = []
    previous: dict[str, str] = {}
    for wave in waves:
        measurement = workspace.get(wave.measurement)
        before = previous.get(wave.measurement)
        previous[wave.measurement] = wave.wave
        mine = wave.kpis
        if measurement is None or not any(k.since == "previous" for k in mine):
            judged_waves.append(wave)
            continue
        judged = []
        for result in mine:
            if result.since != "previous":
                judged.append(result)
                continue
            level = _level(workspace, result.subject, measurement.journey)
            change = found.get((wave.measurement, level, result.subject, wave.wave)) if before else None
            if change is None:
                judged.append(replace(result, status="no_data", compared_with=before))
                continue
            status = {"declined": "missed", "improved": "met", "no_significant_change": "met"}.get(change.status,
                                                                                                "no_data")
            judged.append(replace(result, status=status, compared_with=before, change=change.change, ci=change.ci,
                                  p_adjusted=change.p_adjusted))
        others = tuple(k for k in wave.results.kpis if k.measurement != wave.measurement)
        judged_waves.append(replace(wave, results=replace(wave.results, kpis=others + tuple(judged))))
    latest = {w.measurement: list(w.kpis) for w in judged_waves if w.latest}
    updated = []
    position: dict[str, int] = {}
    for result in current:  # the current results are the latest wave's: the n-th KPI of a plan is its n-th
        index = position.get(result.measurement, 0)
        position[result.measurement] = index + 1
        own = latest.get(result.measurement)
        if result.since == "previous" and own is not None and index < len(own):
            result = own[index]
        updated.append(result)
    return tuple(judged_waves), tuple(updated)
