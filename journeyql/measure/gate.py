"""The regression gate of ``journeyql analyze --fail-on regression``: measured results as diagnostics.

Two findings, both errors, so CI fails on them the way it fails on a broken spec:

- ``kpi-missed`` (JQL401): a KPI target of a plan is missed in the current results, which for a plan
  with waves are its latest wave's (a target without data is not a miss: there is nothing to judge);
- ``significant-drop`` (JQL402): a touchpoint or step scores lower than in the previous wave, and
  the change is ``declined`` by the wave test (Welch's t, Holm-corrected; small samples are never
  significant, see :mod:`journeyql.measure.trends`).

Each finding points at the spec: the KPI's line, or the touchpoint's or step's definition, with the
wave as related information, so a GitHub annotation or a SARIF result lands where the owner looks.
"""

from __future__ import annotations

from ..diagnostics import KPI_MISSED, SIGNIFICANT_DROP, Diagnostic

#: The levels whose significant drops fail the gate (a journey's drop shows in its touchpoints').
DROP_LEVELS = ("touchpoints", "steps")
_WORD = {"touchpoints": "touchpoint", "steps": "step"}


def _number(value: float) -> str:
    return f"{value:+.2f}"


def regressions(workspace, results) -> list[Diagnostic]:
    """Every KPI missed now and every significant drop since the previous wave, in a stable order."""
    found: list[Diagnostic] = []
    latest = {w.measurement: w for w in getattr(results, "waves", ()) if w.latest}
    by_plan: dict[str, list] = {}
    for kpi in results.kpis:
        by_plan.setdefault(kpi.measurement, []).append(kpi)
    for measurement in workspace.measurements:
        # evaluate_kpis keeps the plan's order, so the n-th result is the n-th `kpi` line
        for written, measured in zip(measurement.kpis, by_plan.get(measurement.id, ())):
            if measured.status != "missed":
                continue
            unit = "%" if measured.unit == "percent" else ""
            where = measured.subject.split(".", 1)[-1] + "." if written.subject else ""  # as written in the plan
            target = f"{where}{measured.metric} {measured.op} {measured.target:g}{unit}"
            wave = latest.get(measurement.id)
            when = f" in wave `{wave.wave}`" if wave is not None else ""
            related = ((f"the wave `{wave.wave}`", _wave_span(measurement, wave.wave)),) if wave is not None else ()
            measured_text = f"measured {measured.value:.2f}{unit}"
            if measured.since == "previous":
                target = f"{where}{measured.metric} no worse than previous"
                low, high = measured.ci if measured.ci else (measured.change, measured.change)
                measured_text = (f"{_number(measured.change)} since wave `{measured.compared_with}` (95% CI "
                                 f"{_number(low)} to {_number(high)}, Holm p = {measured.p_adjusted:.2g})")
            found.append(Diagnostic.of(
                KPI_MISSED, f"KPI `{target}` of `{measurement.id}` is missed{when}: {measured_text}", written.span,
                "improve it, or change the target if it was wrong", related=related))
    for change in getattr(results, "changes", ()):
        if change.since != "previous" or change.level not in DROP_LEVELS or change.status != "declined" \
                or change.metric != "valence":
            continue
        subject = workspace.get(change.subject)
        measurement = workspace.get(change.measurement)
        if subject is None or measurement is None:
            continue
        low, high = change.ci if change.ci else (change.change, change.change)
        found.append(Diagnostic.of(
            SIGNIFICANT_DROP, f"{_WORD[change.level]} `{change.subject}` dropped {_number(change.change)} "
            f"(95% CI {_number(low)} to {_number(high)}, Holm p = {change.p_adjusted:.2g}, "
            f"n {change.n_before} -> {change.n_after}) from wave `{change.before_wave}` to `{change.after_wave}`",
            subject.span, "see `analyze`'s `changes` for every touchpoint; find what changed here since the "
            "previous wave", related=((f"the wave `{change.after_wave}`", _wave_span(measurement, change.after_wave)),)))
    return sorted(found, key=lambda d: d.sort_key)


def _wave_span(measurement, wave_id: str):
    return next((w.span for w in measurement.waves if w.id == wave_id), measurement.span)
