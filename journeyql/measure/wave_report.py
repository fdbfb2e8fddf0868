"""The waves in the reports: per-wave metrics and KPI status, changes and trends (``analyze``'s keys
``waves``, ``changes`` and ``trends``; empty lists for a workspace without waves)."""

from __future__ import annotations

from .results import Results

_LEVELS = ("touchpoints", "steps", "stages", "journeys")


def waves_json(results: Results) -> dict:
    """JSON data of the waves, sorted and rounded like the rest of the report."""
    from .report import _kpi_json, _metrics_json, _round

    waves = []
    for wave in getattr(results, "waves", ()):
        entry = {"measurement": wave.measurement, "wave": wave.wave, "label": wave.label, "period": wave.period,
                 "baseline": wave.baseline, "latest": wave.latest}
        for level in _LEVELS:
            entry[level] = {key: _metrics_json(m) for key, m in sorted(getattr(wave.results, level).items())
                            if m.n > 0}
        entry["kpis"] = [_kpi_json(k) for k in wave.kpis]
        waves.append(entry)
    changes = [{"measurement": c.measurement, "level": c.level, "subject": c.subject, "metric": c.metric,
                "since": c.since, "before_wave": c.before_wave, "after_wave": c.after_wave,
                "before": _round(c.before), "after": _round(c.after), "n_before": c.n_before,
                "n_after": c.n_after, "change": _round(c.change), "ci": _round(list(c.ci)) if c.ci else None,
                "p": _round(c.p), "p_adjusted": _round(c.p_adjusted), "status": c.status}
               for c in getattr(results, "changes", ())]
    trends = [{"measurement": t.measurement, "level": t.level, "subject": t.subject, "metric": t.metric,
               "waves": list(t.waves), "values": _round(list(t.values)), "slope": _round(t.slope)}
              for t in getattr(results, "trends", ())]
    return {"waves": waves, "changes": changes, "trends": trends}


_WORDS = {
    "en": {"waves": "Waves", "subject": "Touchpoint", "change": "Change since the previous wave",
           "ci": "95% interval", "verdict": "Verdict", "improved": "▲ improved", "declined": "▼ declined",
           "no_significant_change": "= no significant change", "not_enough_data": "? not enough data",
           "nps": "NPS of the journey: {before} in {previous}, {after} in {latest}; change {change} {ci}: {verdict} "
                  "(normal approximation of the NPS difference)",
           "kpis": "KPI targets per wave", "met": "met", "missed": "missed", "no_data": "no data",
           "note": "Changes: Welch's t on respondents' mean valence, Holm-corrected across the touchpoints; "
                   "fewer than {n} respondents in a wave is not enough data."},
    "nl": {"waves": "Metingen", "subject": "Contactmoment", "change": "Verandering sinds de vorige meting",
           "ci": "95%-interval", "verdict": "Oordeel", "improved": "▲ verbeterd", "declined": "▼ verslechterd",
           "no_significant_change": "= geen significante verandering", "not_enough_data": "? te weinig data",
           "nps": "NPS van de reis: {before} in {previous}, {after} in {latest}; verandering {change} {ci}: {verdict} "
                  "(normale benadering van het NPS-verschil)",
           "kpis": "KPI-doelen per meting", "met": "gehaald", "missed": "niet gehaald", "no_data": "geen data",
           "note": "Veranderingen: Welch-t op de gemiddelde valentie per respondent, Holm-gecorrigeerd over de "
                   "contactmomenten; minder dan {n} respondenten in een meting is te weinig data."},
}


def wave_sections(results: Results, workspace, journey, fmt, label, locale: str | None, section) -> list:
    """The Markdown/HTML report's sections on a journey's waves (none when it has fewer than two)."""
    words = _WORDS.get((locale or "en").split("-")[0].split("_")[0].lower(), _WORDS["en"])
    plan = next((m for m in workspace.measurements if m.journey == journey.id and m.waves
                 and any(w.measurement == m.id for w in results.waves)), None)
    if plan is None:
        return []
    waves = [w for w in results.waves if w.measurement == plan.id]
    if len(waves) < 2:
        return []
    names = {w.id: (w.text("label", locale) or w.id) for w in plan.waves}
    latest = waves[-1].wave
    changes = {c.subject: c for c in results.changes  # valence's; the journey's NPS change has a line of its own
               if c.measurement == plan.id and c.since == "previous" and c.after_wave == latest
               and c.metric == "valence"}
    rows = []
    for level, key in [("journeys", journey.id)] + [("touchpoints", tp.key) for tp in journey.touchpoints]:
        values = []
        for wave in waves:
            metrics = getattr(wave.results, level).get(key)
            shown = metrics is not None and metrics.valence_mean is not None and metrics.n >= results.show_n
            values.append(fmt.number(metrics.valence_mean, 2, sign=True) if shown else "–")
        if all(v == "–" for v in values):
            continue
        change = changes.get(key)
        ci = change.ci if change is not None else None
        rows.append([label(key), *values,
                     fmt.number(change.change, 2, sign=True) if change is not None else "–",
                     f"[{fmt.number(ci[0], 2)}{fmt.sep}{fmt.number(ci[1], 2)}]" if ci else "–",
                     words[change.status] if change is not None else "–"])
    lines = [words["note"].format(n=results.report_n)]
    nps = next((c for c in results.changes if c.measurement == plan.id and c.since == "previous"
                and c.after_wave == latest and c.metric == "nps" and c.before is not None and c.after is not None),
               None)
    if nps is not None:
        lines.append(words["nps"].format(
            before=fmt.number(nps.before, 0, sign=True), after=fmt.number(nps.after, 0, sign=True),
            previous=names.get(nps.before_wave, nps.before_wave), latest=names.get(latest, latest),
            change=fmt.number(nps.change, 0, sign=True),
            ci=f"[{fmt.number(nps.ci[0], 0, sign=True)}{fmt.sep}{fmt.number(nps.ci[1], 0, sign=True)}]" if nps.ci else "",
            verdict=words[nps.status]))
    out = [section(3, words["waves"], header=[words["subject"], *(names.get(w.wave, w.wave) for w in waves),
                                              words["change"], words["ci"], words["verdict"]], rows=rows,
                   lines=lines)]
    kpi_rows = []
    for index, kpi in enumerate(plan.kpis):
        cells = []
        for wave in waves:
            found = wave.kpis[index] if index < len(wave.kpis) else None
            if found is not None and found.since == "previous":  # judged on the change since the previous wave
                cells.append(f"{fmt.number(found.change, 2, sign=True)} ({words[found.status]})"
                             if found.status in ("met", "missed") else words["no_data"])
            elif found is None or found.value is None:
                cells.append(words["no_data"])
            else:
                unit = "%" if found.unit == "percent" else ""
                cells.append(f"{fmt.number(found.value, 2)}{unit} ({words[found.status]})")
        unit = "%" if kpi.unit == "percent" else ""
        target = f"{kpi.metric} no worse than previous" if kpi.since == "previous" else f"{kpi.metric} {kpi.op} {kpi.value:g}{unit}"
        kpi_rows.append([f"{label(kpi.subject or journey.id)}: {target}", *cells])
    if kpi_rows:
        out.append(section(3, words["kpis"], header=["KPI", *(names.get(w.wave, w.wave) for w in waves)],
                           rows=kpi_rows))
    return out
