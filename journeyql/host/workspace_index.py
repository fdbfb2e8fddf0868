"""The top-level ``index.html`` when ``journeyql build`` renders several workspaces at once.

Each workspace gets its own folder in the output directory (``site/<workspace>/``),
with its roadmap site's ``index.html`` when the ``site`` renderer ran. This page
links them, so the output directory opens at its root like a single site. It is
made by the core, not by a plugin: it exists whichever renderers are installed.
Self-contained (inline CSS, no script, no external request); every text escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

from .numbers import decimal


INDEX = "index.html"

_WORDS = {
    "en": {"title": "Customer experience roadmaps", "workspace": "Workspace", "journeys": "Journeys",
           "personas": "Personas", "open": "open", "files": "Files", "failed": "failed renderers",
           "none": "no site: open its files", "steps": "steps", "moments": "moments of truth",
           "respondents": "respondents", "mean": "mean emotion", "nps": "NPS", "kpis": "KPIs met",
           "curve": "Emotional curve", "expected": "expected", "measured": "measured", "not_measured": "not measured"},
    "nl": {"title": "Klantbelevingsroadmaps", "workspace": "Werkruimte", "journeys": "Klantreizen",
           "personas": "Persona's", "open": "openen", "files": "Bestanden", "failed": "mislukte renderers",
           "none": "geen site: open de bestanden", "steps": "stappen", "moments": "momenten van de waarheid",
           "respondents": "respondenten", "mean": "gemiddelde emotie", "nps": "NPS", "kpis": "KPI's gehaald",
           "curve": "Emotiecurve", "expected": "verwacht", "measured": "gemeten", "not_measured": "niet gemeten"},
}

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:60rem;
padding:0 1rem;color:#1b1b1b;line-height:1.5}
h1{font-size:1.6rem;border-bottom:3px solid #2a6f97;padding-bottom:.3rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid #ccc}
th{background:#eef4f8}a{color:#1d5a7a}.failed{color:#a4161a}
.workspace{border:1px solid #ccc;border-radius:6px;padding:.5rem 1rem;margin:1rem 0;break-inside:avoid}
.workspace h2{font-size:1.25rem;margin:.3rem 0}.journeys{list-style:none;padding:0;margin:0}
.journeys li{display:flex;gap:1rem;align-items:center;padding:.4rem 0;border-top:1px solid #eee;flex-wrap:wrap}
.journeys svg{flex:none}.journeys li>div{flex:1 1 20rem}.journeys h3{font-size:1.05rem;margin:0}
.figures{margin:.2rem 0 0;color:#333}.figures span{white-space:nowrap}.muted{color:#595959}
@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}}
"""


@dataclass(frozen=True)
class WorkspaceEntry:
    folder: str           #: the workspace's folder inside the output directory
    title: str            #: its name (journeyql.toml [workspace] name, else the folder)
    journeys: int
    personas: int
    files: int            #: files its renderers wrote
    failed: tuple[str, ...] = ()
    #: per journey its headline figures and curve (:func:`journey_summaries`), as the build recorded them
    details: tuple = ()


def journey_summaries(workspace, results) -> list[dict]:
    """Per journey what the index of workspaces shows: its size, its curve (expected and measured per
    step) and its headline figures. Plain data, kept in the manifest so an up-to-date build shows it too;
    figures from fewer respondents than ``show_n`` are left out, as everywhere (docs/analysis.md)."""
    def shown(metrics):
        return metrics is not None and metrics.sample != "too_small"

    summaries = []
    for journey in getattr(workspace, "journeys", ()) or ():
        steps = [step for stage in journey.stages for step in stage.steps]
        moments = sum(1 for s in steps if s.moment) + sum(1 for s in steps for t in s.touchpoints if t.moment)
        measured = []
        for step in steps:
            metrics = results.step(step.key) if results is not None else None
            measured.append(round(metrics.valence_mean, 3) if shown(metrics) and metrics.valence_mean is not None
                            else None)
        overall = results.journey(journey.id) if results is not None else None
        plans = {m.id for m in workspace.measurements if m.journey == journey.id}
        kpis = [k for k in (results.kpis if results is not None else ()) if k.measurement in plans]
        summaries.append({
            "id": journey.id, "label": journey.label or journey.id, "steps": len(steps), "moments": moments,
            "low": float(journey.scale.low), "high": float(journey.scale.high),
            "expected": [s.expected.score if s.expected is not None else None for s in steps],
            "measured": measured if any(v is not None for v in measured) else [],
            "n": overall.n if overall is not None else 0,
            "valence": round(overall.valence_mean, 3) if shown(overall) and overall.valence_mean is not None
            else None,
            "nps": round(overall.nps, 1) if shown(overall) and overall.nps is not None else None,
            "kpis_met": sum(1 for k in kpis if k.status == "met"),
            "kpis_known": sum(1 for k in kpis if k.status in ("met", "missed"))})
    return summaries


def sparkline(summary: dict, words: dict, width: int = 240, height: int = 56) -> str:
    """A small inline SVG of a journey's curve: expected (dashed) and measured (solid), zero line."""
    low, high = summary["low"], summary["high"]
    high = high if high != low else low + 1
    count = max(1, len(summary["expected"]))
    step = (width - 12) / max(1, count - 1) if count > 1 else 0

    def point(index: int, value: float) -> str:
        y = 4 + (high - min(max(value, low), high)) / (high - low) * (height - 8)
        return f"{6 + step * index:.1f},{y:.1f}"

    def lines(values, colour: str, dash: str) -> str:
        runs, run = [], []
        for index, value in enumerate(values):
            if value is None:
                runs, run = runs + ([run] if run else []), []
            else:
                run.append(point(index, value))
        runs += [run] if run else []
        return "".join(f'<polyline points="{" ".join(r)}" fill="none" stroke="{colour}" stroke-width="2"'
                       f'{dash}/>' if len(r) > 1 else
                       f'<circle cx="{r[0].split(",")[0]}" cy="{r[0].split(",")[1]}" r="2.5" fill="{colour}"/>'
                       for r in runs)

    zero = ""
    if low < 0 < high:
        y = 4 + high / (high - low) * (height - 8)
        zero = f'<line x1="0" y1="{y:.1f}" x2="{width}" y2="{y:.1f}" stroke="#999" stroke-width="1"/>'
    label = (f"{words['curve']} {summary['label']}: {words['expected']} (- -)"
             + (f", {words['measured']} (\u2014)" if summary["measured"] else f", {words['not_measured']}"))
    return (f'<svg width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label, quote=True)}">'
            f'<rect width="{width}" height="{height}" fill="#f7f9fb"/>{zero}'
            + lines(summary["expected"], "#1f5fa8", ' stroke-dasharray="5 3"')
            + lines(summary["measured"], "#b3261e", "") + "</svg>")


def _figures(summary: dict, words: dict, locale: str) -> str:
    parts = [f"{summary['steps']} {words['steps']}", f"{summary['moments']} {words['moments']}"]
    if summary.get("n"):
        parts.append(f"{words['respondents']}: {summary['n']}")
    if summary.get("valence") is not None:
        parts.append(f"{words['mean']} {decimal(summary['valence'], locale, 1, sign=True)}")
    if summary.get("nps") is not None:
        parts.append(f"{words['nps']} {decimal(summary['nps'], locale, 0, sign=True)}")
    if summary.get("kpis_known"):
        parts.append(f"{words['kpis']}: {summary['kpis_met']}/{summary['kpis_known']}")
    return " \u00b7 ".join(f"<span>{escape(p)}</span>" for p in parts)


def workspace_index(entries: list[WorkspaceEntry], out_root: Path, locale: str = "en") -> str:
    """The HTML of the index page (deterministic: entries sorted by folder)."""
    words = _WORDS.get(locale.split("-")[0].lower(), _WORDS["en"])
    cards = []
    for entry in sorted(entries, key=lambda e: e.folder):
        folder = escape(entry.folder, quote=True)
        if (out_root / entry.folder / INDEX).is_file():
            link = f'<a href="{folder}/{INDEX}">{escape(entry.title)}</a>'
        else:
            link = f'{escape(entry.title)} (<a href="{folder}/manifest.json">{words["none"]}</a>)'
        failed = (f' <span class="failed">{words["failed"]}: {escape(", ".join(entry.failed))}</span>'
                  if entry.failed else "")
        journeys = []
        for summary in entry.details:
            page = f"journeys/{summary['id']}.html"
            name = escape(summary["label"])
            if (out_root / entry.folder / page).is_file():
                name = f'<a href="{folder}/{escape(page, quote=True)}">{name}</a>'
            journeys.append(f"<li>{sparkline(summary, words)}<div><h3>{name}</h3>"
                            f'<p class="figures">{_figures(summary, words, locale)}</p></div></li>')
        listing = f'<ul class="journeys">{"".join(journeys)}</ul>' if journeys else (
            f'<p class="muted">{entry.journeys} {words["journeys"].lower()}</p>')
        cards.append(f'<section class="workspace"><h2>{link}{failed}</h2>\n{listing}\n'
                     f'<p class="muted">{entry.personas} {words["personas"].lower()} \u00b7 {entry.files} '
                     f'{words["files"].lower()}</p></section>')
    lang = escape(locale, quote=True)
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{words['title']}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
            f"<h1>{words['title']}</h1>\n" + "\n".join(cards) + "\n</main>\n</body>\n</html>\n")


#: The name the top-level index is listed under in the output root's manifest.json.
INDEX_RENDERER = "workspace-index"


def write_workspace_index(entries: list[WorkspaceEntry], out_root: Path, locale: str = "en") -> Path:
    """Write ``index.html`` at the root of the output directory (atomically), listed with its hash in that
    directory's ``manifest.json`` like every other output."""
    from .output import OutputSink

    sink = OutputSink(out_root)
    sink.begin(INDEX_RENDERER)
    sink.write(INDEX, workspace_index(entries, out_root, locale).encode("utf-8"))
    sink.commit()
    sink.write_manifest()
    return out_root / INDEX
