"""The waves in the reports: per-wave metrics and KPI status, changes and trends (``analyze``'s keys
``waves``, ``changes`` and ``trends``; empty lists for a workspace without waves)."""

from __future__ import annotations

from .results import Results

_LEVELS = ("touchpoints", "steps", "stages", "journeys")


def waves_json(results: Results) -> dict:
    """JSON data of the waves, sorted and rounded like the rest of the report."""
    from .report import _metrics_json, _round

    waves = []
    for wave in getattr(results, "waves", ()):
        entry = {"measurement": wave.measurement, "wave": wave.wave, "label": wave.label, "period": wave.period,
                 "baseline": wave.baseline, "latest": wave.latest}
        for level in _LEVELS:
            entry[level] = {key: _metrics_json(m) for key, m in sorted(getattr(wave.results, level).items())
                            if m.n > 0}
        entry["kpis"] = [{"subject": k.subject, "metric": k.metric, "op": k.op, "target": _round(float(k.target)),
                          "unit": k.unit, "value": _round(k.value), "status": k.status} for k in wave.kpis]
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
