"""Reports of measured results: JSON data, a Markdown summary and a self-contained HTML page.

All three are views of the same :class:`~journeyql.measure.results.Results`. They are
deterministic: keys sorted, floats rounded to 4 decimals, subjects in the
spec's order in the human reports. Spec text is user input: the Markdown
escapes what Markdown or HTML would interpret, the HTML escapes everything.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

from ..host.names import no_worse_than_previous
from ..host.numbers import decimal, list_separator
from .results import Metrics, Results

#: Decimals kept in the JSON output: enough for any metric, few enough to be stable across platforms.
DECIMALS = 4

#: The words of the reports, per locale (spec text comes from the spec and its translations).
WORDS = {
    "en": {"title": "Measured results", "journey": "Journey", "step": "Step", "touchpoint": "Touchpoint",
           "respondents": "Respondents", "valence": "Valence (95% CI)", "expected": "Expected", "gap": "Gap",
           "negative": "Negative", "nps": "NPS (95% CI)", "ces": "CES", "csat": "CSAT", "emotions": "Emotions named",
           "steps": "Steps", "touchpoints": "Touchpoints", "moments": "Moments of truth in the data",
           "drivers": "Key drivers of NPS", "weight": "Share of explained variance", "correlation": "Correlation",
           "kpis": "KPI targets", "metric": "Metric", "target": "Target", "measured": "Measured", "status": "Status",
           "met": "met", "missed": "missed", "no_data": "no data", "personas": "Personas", "persona": "Persona",
           "benchmark": "Benchmark", "organisation": "Organisation", "sector": "Sector", "sectors": "Sectors",
           "lowest": "Lowest point", "largest_drop": "Largest drop", "peak": "Peak", "end": "End",
           "after": "after", "comparisons": "Differences with non-overlapping 95% intervals",
           "none": "No differences beyond the margins of error.", "no_answers": "No answers yet.",
           "subject": "Subject", "summary": "Summary",
           "small": "† fewer than {report} respondents: read with care; ‡ fewer than {show}: not shown.",
           "score": "score {value}/100", "score_note": "Where journeys on different scales are pooled, the valence is a "
           "score from 0 to 100: an answer x on its journey's scale low..high counts as (x - low) / (high - low) × 100.",
           "metrics": {"valence": "mean valence", "valence_mean": "mean valence", "negative_share": "share negative",
                       "nps": "NPS", "ces": "CES", "ces_mean": "CES", "csat": "CSAT", "n": "respondents",
                       "response_rate": "response rate", "emotion_score": "emotion score"},
           "drivers_note": "Shapley decomposition of R² of NPS (0-10) "
           "on the touchpoint valences; a missing rating counts as the touchpoint's mean.",
           "drivers_fit": "R² = {r2}, n = {n}: the touchpoints together explain {share} of the NPS variance.",
           "drivers_weak": "The model explains too little of the NPS to rank drivers (R² {r2} below {min}): "
           "the shares are not shown.",
           "drivers_zero": "Left out, same valence from every respondent: {touchpoints}."},
    "nl": {"title": "Meetresultaten", "journey": "Klantreis", "step": "Stap", "touchpoint": "Contactmoment",
           "respondents": "Respondenten", "valence": "Valentie (95%-BI)", "expected": "Verwacht", "gap": "Verschil",
           "negative": "Negatief", "nps": "NPS (95%-BI)", "ces": "CES", "csat": "CSAT", "emotions": "Genoemde emoties",
           "steps": "Stappen", "touchpoints": "Contactmomenten", "moments": "Momenten van de waarheid in de data",
           "drivers": "Belangrijkste drijfveren van de NPS", "weight": "Aandeel verklaarde variantie",
           "correlation": "Correlatie", "kpis": "KPI-doelen", "metric": "Maat", "target": "Doel",
           "measured": "Gemeten", "status": "Status", "met": "gehaald", "missed": "niet gehaald",
           "no_data": "geen data", "personas": "Persona's", "persona": "Persona", "benchmark": "Benchmark",
           "organisation": "Organisatie", "sector": "Sector", "sectors": "Sectoren", "lowest": "Laagste punt",
           "largest_drop": "Grootste daling", "peak": "Piek", "end": "Einde", "after": "na",
           "comparisons": "Verschillen met niet-overlappende 95%-intervallen",
           "none": "Geen verschillen buiten de foutmarges.", "no_answers": "Nog geen antwoorden.",
           "subject": "Onderwerp", "summary": "Samenvatting",
           "small": "† minder dan {report} respondenten: met voorzichtigheid lezen; ‡ minder dan {show}: niet getoond.",
           "score": "score {value}/100", "score_note": "Waar klantreizen met verschillende schalen samen worden "
           "genomen, is de valentie een score van 0 tot 100: een antwoord x op de schaal low..high van zijn "
           "klantreis telt als (x - low) / (high - low) × 100.",
           "metrics": {"valence": "gemiddelde valentie", "valence_mean": "gemiddelde valentie",
                       "negative_share": "aandeel negatief", "nps": "NPS", "ces": "CES", "ces_mean": "CES",
                       "csat": "CSAT", "n": "respondenten", "response_rate": "respons",
                       "emotion_score": "emotiescore"},
           "drivers_note": "Shapley-decompositie van de R² van "
           "de NPS (0-10) op de valentie per contactmoment; een ontbrekend oordeel telt als het gemiddelde.",
           "drivers_fit": "R² = {r2}, n = {n}: de contactmomenten samen verklaren {share} van de variantie van de NPS.",
           "drivers_weak": "Het model verklaart te weinig van de NPS om drijfveren te rangschikken (R² {r2} onder "
           "{min}): de aandelen worden niet getoond.",
           "drivers_zero": "Weggelaten, dezelfde valentie van elke respondent: {touchpoints}."},
}


# --- JSON -----------------------------------------------------------------------------------------

def _round(value):
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        value = round(value, DECIMALS)
        return 0.0 if value == 0 else value  # no -0.0: the same result prints the same
    if isinstance(value, (list, tuple)):
        return [_round(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _round(value[k]) for k in sorted(value)}
    return value


def _metrics_json(metrics: Metrics) -> dict:
    return _round(metrics.to_json())


def _overlap(a, b) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _comparisons(group: dict[str, Metrics]) -> list[dict]:
    """Pairs whose 95% intervals do not overlap: a difference beyond the margins of error (conservative)."""
    out = []
    keys = sorted(k for k, m in group.items() if m.n > 0)
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            for metric, interval in (("valence_mean", "valence_ci"), ("nps", "nps_ci")):
                ma, mb = group[a], group[b]
                ia, ib = getattr(ma, interval), getattr(mb, interval)
                if ia is None or ib is None or _overlap(ia, ib):
                    continue
                higher, lower = (a, b) if getattr(ma, metric) > getattr(mb, metric) else (b, a)
                out.append({"metric": metric, "higher": higher, "lower": lower,
                            "difference": _round(abs(getattr(ma, metric) - getattr(mb, metric)))})
    return out


def _kpi_json(kpi) -> dict:
    """A KPI result; ``no worse than previous`` adds ``since``, ``compared_with``, ``change``, ``ci``, ``p_adjusted``."""
    out = {"subject": kpi.subject, "metric": kpi.metric, "op": kpi.op, "target": _round(float(kpi.target)),
           "unit": kpi.unit, "value": _round(kpi.value), "status": kpi.status}
    if kpi.since is not None:
        out.update({"since": kpi.since, "compared_with": kpi.compared_with, "change": _round(kpi.change),
                    "ci": _round(list(kpi.ci)) if kpi.ci else None, "p_adjusted": _round(kpi.p_adjusted)})
    return out


def _benchmark(results: Results, workspace) -> dict:
    fields = ("n", "valence_mean", "valence_ci", "valence_n", "nps", "nps_ci", "nps_n", "negative_share")
    sector = {o.id: o.sector for o in workspace.organisations}
    organisations = {key: {"sector": sector.get(key), **{f: _round(getattr(m, f)) for f in fields}}
                     for key, m in sorted(results.organisations.items())}
    sectors = {key: {f: _round(getattr(m, f)) for f in fields} for key, m in sorted(results.sectors.items())}
    from .benchmark import to_json as journey_benchmark

    return {"organisations": organisations, "sectors": sectors,
            "comparisons": {"organisations": _comparisons(results.organisations),
                            "sectors": _comparisons(results.sectors)},
            # the journeys several organisations share, step by step (measure/benchmark.py)
            "journeys": {key: journey_benchmark(found, _round, results.report_n) for key, found in sorted(results.benchmarks.items())}}


def to_json(results: Results, workspace) -> dict:
    """The results as JSON data: one section per level, keyed by spec identifier, sorted and rounded."""
    data: dict = {}
    for level in ("touchpoints", "steps", "stages", "journeys", "personas", "organisations", "sectors"):
        data[level] = {key: _metrics_json(m) for key, m in sorted(getattr(results, level).items())}
    persona_steps: dict[str, dict] = {}
    for (persona, step), m in sorted(results.persona_steps.items()):
        persona_steps.setdefault(persona, {})[step] = _metrics_json(m)
    data["persona_steps"] = persona_steps
    moments: dict[str, list] = {}
    for moment in results.moments:
        moments.setdefault(moment.journey, []).append(
            {"kind": moment.kind, "subject": moment.subject, "value": _round(moment.value), "note": moment.note})
    data["moments"] = {k: moments[k] for k in sorted(moments)}
    drivers: dict[str, dict] = {}
    models = results.driver_models
    for driver in results.drivers:
        model = models.get(driver.journey)
        drivers.setdefault(driver.journey, {})[driver.touchpoint] = {
            "weight": _round(driver.weight), "correlation": _round(driver.correlation),
            "r2": _round(model.r2) if model else None, "n": model.n if model else None}
    data["drivers"] = {j: {t: drivers[j][t] for t in sorted(drivers[j])} for j in sorted(drivers)}
    data["driver_models"] = {j: {"n": m.n, "r2": _round(m.r2), "min_r2": _round(m.min_r2), "rankable": m.rankable,
                                 "zero_variance": list(m.zero_variance)} for j, m in sorted(models.items())}
    kpis: dict[str, list] = {}
    for kpi in results.kpis:
        kpis.setdefault(kpi.measurement, []).append(_kpi_json(kpi))
    data["kpis"] = {k: kpis[k] for k in sorted(kpis)}
    data["benchmark"] = _benchmark(results, workspace)
    data["sources"] = sorted(results.sources)
    data["disagreements"] = dict(sorted(results.disagreements.items()))
    from .wave_report import waves_json

    data.update(waves_json(results))  # waves, changes, trends: added keys, the ones above never change
    return {k: data[k] for k in sorted(data)}


# --- the human reports: one model, two syntaxes -----------------------------------------------------

@dataclass
class _Section:
    level: int
    title: str
    lines: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


class _Format:
    """Numbers in the reader's locale (journeyql.host.numbers, the formatter of every output)."""

    def __init__(self, locale: str):
        self.locale = locale
        self.sep = list_separator(locale)

    def number(self, value, digits: int = 2, sign: bool = False) -> str:
        if value is None:
            return "–"
        return decimal(value, self.locale, digits, sign=sign)  # never "-0.00"

    def plain(self, value) -> str:
        """A number as short as it can be: 25, 3.5, 0.25."""
        text = self.number(value, 2)
        if "." in text.replace(",", "."):
            text = text.rstrip("0").rstrip(".,")
        return text

    def share(self, value) -> str:
        return "–" if value is None else f"{self.number(100 * value, 0)}%"

    def interval(self, value, interval, digits: int = 2, sign: bool = False) -> str:
        text = self.number(value, digits, sign)
        if value is not None and interval is not None:
            text += f" [{self.number(interval[0], digits, sign)}{self.sep}{self.number(interval[1], digits, sign)}]"
        return text


def _label(workspace, key, locale) -> str:
    found = workspace.get(key) if key else None
    text = found.text("label", locale) if found is not None and hasattr(found, "text") else None
    return text or str(key)


def _sections(results: Results, workspace, locale: str | None) -> tuple[str, list[_Section]]:
    language = (locale or workspace.locale or "en").split("-")[0].lower()
    words = WORDS.get(language, WORDS["en"])
    fmt = _Format(language)

    def label(key):
        return _label(workspace, key, locale or workspace.locale)

    hidden = Metrics()
    marked = set()

    def shown(m):
        """The metrics to print: none of a sample too small to show anything."""
        return hidden if m.sample == "too_small" else m

    def count(m):
        mark = {"too_small": " ‡", "small": " †"}.get(m.sample, "")
        if mark:
            marked.add(m.sample)
        return f"{m.n}{mark}"

    pooled_scores = []

    def valence(m):
        """The raw mean on one scale; the 0-100 score where the answers come from journeys on different scales."""
        m = shown(m)
        if not m.mixed_scales:
            return fmt.interval(m.valence_mean, m.valence_ci)
        pooled_scores.append(m)
        text = words["score"].format(value=fmt.number(m.valence_score, 0))
        ci = m.valence_score_ci
        return text + (f" [{fmt.number(ci[0], 0)}{fmt.sep}{fmt.number(ci[1], 0)}]" if ci else "")

    def nps(m):
        m = shown(m)
        return fmt.interval(m.nps, m.nps_ci, 0, sign=True) + (f" (n={m.nps_n})" if m.nps is not None else "")

    sections: list[_Section] = []
    for journey in workspace.journeys:
        jm = results.journeys.get(journey.id) or Metrics()
        sections.append(_Section(2, f"{words['journey']}: {label(journey.id)}"))
        if jm.n == 0:
            sections[-1].lines.append(words["no_answers"])
            continue
        sections[-1].header = [words["respondents"], words["valence"], words["negative"], words["nps"],
                               words["ces"], words["csat"]]
        js = shown(jm)
        sections[-1].rows = [[count(jm), fmt.interval(js.valence_mean, js.valence_ci), fmt.share(js.negative_share),
                              nps(jm), fmt.number(js.ces_mean), fmt.share(js.csat)]]
        steps = _Section(3, words["steps"], header=[words["step"], words["respondents"], words["valence"],
                                                     words["expected"], words["gap"], words["negative"], words["nps"]])
        for step in journey.steps:
            m = results.steps.get(step.key) or Metrics()
            v = shown(m)
            steps.rows.append([label(step.key), count(m), fmt.interval(v.valence_mean, v.valence_ci),
                               fmt.number(m.expected, 0, sign=True) if m.expected is not None else "–",
                               fmt.number(v.gap, 2, sign=True), fmt.share(v.negative_share), nps(m)])
        sections.append(steps)
        touchpoints = _Section(3, words["touchpoints"], header=[
            words["touchpoint"], words["step"], words["respondents"], words["valence"], words["negative"],
            words["ces"], words["emotions"]])
        for step in journey.steps:
            for touchpoint in step.touchpoints:
                m = results.touchpoints.get(touchpoint.key) or Metrics()
                v = shown(m)
                top = sorted(v.emotions.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
                touchpoints.rows.append([label(touchpoint.key), label(step.key), count(m),
                                         fmt.interval(v.valence_mean, v.valence_ci), fmt.share(v.negative_share),
                                         fmt.number(v.ces_mean), ", ".join(f"{e} {fmt.share(s)}" for e, s in top)])
        sections.append(touchpoints)
        moments = [m for m in results.moments if m.journey == journey.id]
        if moments:
            section = _Section(3, words["moments"])
            for moment in moments:
                value = fmt.number(moment.value, 2, sign=True)
                line = f"{words.get(moment.kind, moment.kind)}: {label(moment.subject)} ({value})"
                if moment.kind == "largest_drop" and moment.note:
                    line += f", {words['after']} {label(moment.note)}"
                section.lines.append(line)
            sections.append(section)
        drivers = [d for d in results.drivers if d.journey == journey.id]
        model = results.driver_models.get(journey.id)
        if drivers or (model is not None and model.zero_variance):
            lines = [words["drivers_note"]]
            if model is not None and model.r2 is not None:
                lines.append(words["drivers_fit"].format(r2=fmt.number(model.r2), n=model.n,
                                                         share=fmt.share(model.r2)))
                if not model.rankable:
                    lines.append(words["drivers_weak"].format(r2=fmt.number(model.r2),
                                                              min=fmt.number(model.min_r2)))
            if model is not None and model.zero_variance:
                lines.append(words["drivers_zero"].format(
                    touchpoints=", ".join(label(t) for t in model.zero_variance)))
            rankable = model is not None and model.rankable
            sections.append(_Section(3, words["drivers"], lines=lines,
                                     header=[words["touchpoint"], words["weight"], words["correlation"]] if drivers
                                     else [],
                                     rows=[[label(d.touchpoint), fmt.share(d.weight) if rankable else "–",
                                            fmt.number(d.correlation)] for d in drivers]))
        kpis = [k for m in workspace.measurements if m.journey == journey.id
                for k in results.kpis if k.measurement == m.id]
        if kpis:
            sections.append(_Section(3, words["kpis"], header=[
                words["subject"], words["metric"], words["target"], words["measured"], words["status"]], rows=[
                [label(k.subject), words["metrics"].get(k.metric, k.metric),
                 f"{k.op} {fmt.plain(k.target)}{'%' if k.unit == 'percent' else ''}",
                 fmt.number(k.value, 2) + ("%" if k.unit == "percent" and k.value is not None else ""),
                 words[k.status]] if k.since is None else
                [label(k.subject), words["metrics"].get(k.metric, k.metric), no_worse_than_previous(language),
                 fmt.number(k.change, 2, sign=True), words[k.status]] for k in kpis]))
        from .benchmark_report import benchmark_sections
        from .wave_report import wave_sections

        sections.extend(benchmark_sections(results, journey, fmt, label, locale or workspace.locale, _Section))
        sections.extend(wave_sections(results, workspace, journey, fmt, label, locale, _Section))
    personas = [p for p in workspace.personas if (results.personas.get(p.id) or Metrics()).n > 0]
    if personas:
        sections.append(_Section(2, words["personas"], header=[
            words["persona"], words["respondents"], words["valence"], words["negative"], words["nps"]], rows=[
            [label(p.id), count(m), valence(m),
             fmt.share(shown(m).negative_share), nps(m)]
            for p in personas for m in (results.personas[p.id],)]))
    measured = [o for o in workspace.organisations if (results.organisations.get(o.id) or Metrics()).n > 0]
    if measured:
        bench = _Section(2, words["benchmark"], header=[
            words["organisation"], words["sector"], words["respondents"], words["valence"], words["nps"]])
        for o in measured:
            m = results.organisations[o.id]
            bench.rows.append([label(o.id), o.sector or "–", count(m), valence(m), nps(m)])
        for sector, m in sorted(results.sectors.items()):
            if m.n > 0:
                bench.rows.append([f"{words['sector']}: {sector}", sector, count(m), valence(m), nps(m)])
        sections.append(bench)
        differences = _comparisons(results.organisations) + _comparisons(results.sectors)
        lines = [f"{label(d['higher']) if workspace.get(d['higher']) else d['higher']} > "
                 f"{label(d['lower']) if workspace.get(d['lower']) else d['lower']}: "
                 f"{'NPS' if d['metric'] == 'nps' else words['valence'].split(' (')[0]} "
                 f"+{fmt.number(d['difference'], 2)}" for d in differences]
        sections.append(_Section(3, words["comparisons"], lines=lines or [words["none"]]))
    legend = [words["small"].format(report=results.report_n, show=results.show_n)] if marked else []
    if pooled_scores:  # the mapping, only when a pooled score is shown
        legend.append(words["score_note"])
    if legend:  # the legend of the small-sample markers and the score, only when one is used
        sections.append(_Section(3, words["summary"], lines=legend))
    return words["title"], sections


_MD_SPECIAL = "\\`*_[]<>#|"


def md(text) -> str:
    """One line of text, safe in Markdown (also inside a table cell)."""
    out = str(text).replace("&", "&amp;")
    for ch in _MD_SPECIAL:
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


def to_markdown(results: Results, workspace, locale: str | None = None) -> str:
    """A Markdown summary of the measured results, in ``locale`` (default: the workspace's)."""
    title, sections = _sections(results, workspace, locale)
    out = [f"# {md(title)}", ""]
    for section in sections:
        out += ["#" * section.level + " " + md(section.title), ""]
        for line in section.lines:
            out += [f"- {md(line)}" if len(section.lines) > 1 else md(line)]
        if section.lines:
            out.append("")
        if section.header:
            out.append("| " + " | ".join(md(h) for h in section.header) + " |")
            out.append("|" + "|".join("---" for _ in section.header) + "|")
            for row in section.rows:
                out.append("| " + " | ".join(md(c) for c in row) + " |")
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


_CSS = ("body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;"
        "margin:.5rem 0 1.5rem}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}"
        "th{background:#f3f3f3}td.num{text-align:right}")


def to_html(results: Results, workspace, locale: str | None = None) -> str:
    """A self-contained HTML page (no scripts, no external files) of the measured results."""
    language = (locale or workspace.locale or "en").split("-")[0].lower()
    title, sections = _sections(results, workspace, locale)
    esc = html.escape
    out = ["<!DOCTYPE html>", f'<html lang="{esc(language)}">', "<head>", '<meta charset="utf-8">',
           f"<title>{esc(title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>", f"<h1>{esc(title)}</h1>"]
    for section in sections:
        out.append(f"<h{section.level}>{esc(section.title)}</h{section.level}>")
        if section.lines:
            if len(section.lines) > 1:
                out.append("<ul>" + "".join(f"<li>{esc(line)}</li>" for line in section.lines) + "</ul>")
            else:
                out.append(f"<p>{esc(section.lines[0])}</p>")
        if section.header:
            out.append("<table>")
            out.append("<tr>" + "".join(f"<th>{esc(h)}</th>" for h in section.header) + "</tr>")
            for row in section.rows:
                out.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>")
            out.append("</table>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
