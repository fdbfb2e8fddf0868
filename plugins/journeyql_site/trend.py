"""The trend section of a journey page: the journey's waves, as charts and as a table of their numbers.

The charts come from the `emotion-curve` renderer (``emotion-curve/trends/<journey>.svg``, the small
multiples, and ``emotion-curve/waves/<journey>.svg``, the latest wave against the previous); the table
gives the same numbers in text: each touchpoint's mean valence per wave, its change since the previous
wave with the 95% interval, and the wave test's verdict; then every KPI's status per wave.
"""

from __future__ import annotations

from . import measures

STATUS_SYMBOL = {"improved": "\u25b2", "declined": "\u25bc", "no_significant_change": "=", "not_enough_data": "?"}


def journey_waves(workspace, journey, results) -> list:
    """The waves of the first plan with waves that measures ``journey``, in time order."""
    for measurement in workspace.measurements:
        if measurement.journey == journey.id and measurement.waves and results is not None:
            found = [w for w in getattr(results, "waves", ()) if w.measurement == measurement.id]
            if found:
                return found
    return []


def trend_section(site, journey) -> dict | None:
    """The section's data for ``site`` (a SiteLocale), or None when the journey has fewer than two waves."""
    waves = journey_waves(site.ws, journey, site.results)
    if len(waves) < 2:
        return None
    locale = site.locale
    measurement = site.ws.get(waves[0].measurement)
    declared = {w.id: w for w in measurement.waves}
    names = [site.label(declared[w.wave]) if w.wave in declared else w.wave for w in waves]
    latest = waves[-1].wave
    changes = {c.subject: c for c in site.results.changes  # valence's (the journey's NPS change is one more)
               if c.measurement == measurement.id and c.since == "previous" and c.after_wave == latest
               and getattr(c, "metric", "valence") == "valence"}
    rows = []
    for level, key, item in [("journeys", journey.id, journey)] + [("touchpoints", tp.key, tp)
                                                                  for tp in journey.touchpoints]:
        values = []
        for wave in waves:
            metrics = getattr(wave.results, level).get(key)
            shown = metrics is not None and metrics.valence_mean is not None and metrics.n >= site.results.show_n
            values.append(measures.signed(metrics.valence_mean, 2, locale) if shown else "")
        if not any(values):
            continue
        change = changes.get(key)
        status = change.status if change is not None else None
        rows.append({
            "label": site.label(item), "total": level == "journeys", "cells": values,
            "change": measures.signed(change.change, 2, locale) if change is not None and change.change is not None
            else "",
            "ci": measures.interval(change.ci, 2, locale) if change is not None else "",
            "status": f"{STATUS_SYMBOL[status]} {site.t['wave_' + status]}" if status else "",
            "status_class": status or ""})
    kpis = []
    for index, kpi in enumerate(measurement.kpis):
        cells = []
        for wave in waves:
            found = wave.kpis[index] if index < len(wave.kpis) else None
            if found is None or found.status == "no_data":
                cells.append(site.t["kpi_unknown"])
            elif found.since == "previous":  # judged on the change since the previous wave
                cells.append(f"{measures.signed(found.change, 2, locale)} "
                             f"({site.t['kpi_met'] if found.status == 'met' else site.t['kpi_missed']})")
            else:
                unit = "%" if found.unit == "percent" else ""
                cells.append(f"{measures.number(found.value, 2, locale)}{unit} "
                             f"({site.t['kpi_met'] if found.status == 'met' else site.t['kpi_missed']})")
        subject = site.label(site.ws.get(kpi.subject)) if kpi.subject else site.label(journey)
        kpis.append({"label": f"{subject}: {site.names.kpi(kpi)}", "cells": cells})  # in words, as on the dashboard
    return {"waves": names, "rows": rows, "kpis": kpis, "previous": names[-2], "latest": names[-1]}
