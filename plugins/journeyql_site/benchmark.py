"""The benchmark page of a journey several organisations share, and its chart.

One page per shared journey (``journeys/<journey>.html``): the emotion curves of all organisations on
one chart with the sector band, a step-by-step table with the best and the worst organisation per step
(and which differences the analysis supports), and a link to each organisation's own page
(``journeys/<journey>--<organisation>.html``, made by ``SiteLocale.journey``).

The chart is inline SVG drawn here, so the page stays self-contained. It is readable without colour:
every organisation has its own dash pattern and marker shape, its name is written at the end of its
line, and the sector band is a grey area behind them all.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from . import links, measures

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 760, 300, 48, 120, 16, 56
#: per organisation, in the journey's order: (dash pattern, marker); the shapes tell them apart in print
STYLES = (("", "circle"), ("8 4", "square"), ("2 3", "triangle"), ("10 3 2 3", "diamond"), ("4 4", "cross"))


def organisation_path(prefix: str, journey_id: str, organisation: str) -> str:
    return f"{prefix}journeys/{journey_id}--{organisation}.html"


def _marker(shape: str, x: float, y: float) -> str:
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" />'
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" />'
    if shape == "triangle":
        return f'<path d="M{x:.1f} {y - 5:.1f} L{x + 5:.1f} {y + 4:.1f} L{x - 5:.1f} {y + 4:.1f} Z" />'
    if shape == "diamond":
        return f'<path d="M{x:.1f} {y - 5:.1f} L{x + 5:.1f} {y:.1f} L{x:.1f} {y + 5:.1f} L{x - 5:.1f} {y:.1f} Z" />'
    return f'<path d="M{x - 4:.1f} {y - 4:.1f} L{x + 4:.1f} {y + 4:.1f} M{x - 4:.1f} {y + 4:.1f} L{x + 4:.1f} {y - 4:.1f}" />'


def _wrap(text: str, width: int, lines: int = 2) -> list[str]:
    """``text`` in at most ``lines`` lines of ``width`` characters, the last shortened with an ellipsis."""
    out: list[str] = [""]
    for word in text.split():
        if len(out[-1]) + len(word) + (1 if out[-1] else 0) <= width:
            out[-1] = f"{out[-1]} {word}".strip()
        else:
            out.append(word)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1] + "…"
    return [line if len(line) <= width else line[: width - 1] + "…" for line in out]


def chart(site, journey, found, title: str) -> Markup:
    """The organisations' curves over the steps, the sector band behind them (inline SVG)."""
    steps = list(journey.steps)
    low, high = float(journey.scale.low), float(journey.scale.high)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    x = lambda i: LEFT + (inner_w * (i + 0.5) / max(1, len(steps)))  # noqa: E731
    y = lambda v: TOP + inner_h * (high - v) / (high - low if high != low else 1)  # noqa: E731
    rows = {row.subject: row for row in found.steps}
    show_n = site.results.show_n
    parts = [f'<svg class="benchmark-chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="bm-title"><title id="bm-title">{escape(title)}</title>']
    for tick in range(int(low), int(high) + 1):
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{LEFT + inner_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" />'
                     f'<text class="tick" x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:+d}</text>'
                     if tick else
                     f'<line class="axis" x1="{LEFT}" x2="{LEFT + inner_w}" y1="{y(0):.1f}" y2="{y(0):.1f}" />'
                     f'<text class="tick" x="{LEFT - 6}" y="{y(0) + 4:.1f}" text-anchor="end">0</text>')
    # the sector band: the 95% interval of the sector mean, one trapezoid strip over the measured steps
    band = [(i, rows[s.key].ci) for i, s in enumerate(steps)
            if s.key in rows and rows[s.key].ci and rows[s.key].n >= show_n]
    if len(band) > 1:
        upper = " ".join(f"{x(i):.1f},{y(ci[1]):.1f}" for i, ci in band)
        lower = " ".join(f"{x(i):.1f},{y(ci[0]):.1f}" for i, ci in reversed(band))
        parts.append(f'<polygon class="sector-band" points="{upper} {lower}"><title>{escape(site.t["sector_band"])}'
                     f'</title></polygon>')
    for number, organisation in enumerate(found.organisations):
        dash, shape = STYLES[number % len(STYLES)]
        points = [(i, rows[s.key].score(organisation)) for i, s in enumerate(steps) if s.key in rows]
        points = [(i, s) for i, s in points if s is not None and s.mean is not None and s.n >= show_n]
        if not points:
            continue
        name = escape(site.ref(organisation))
        line = " ".join(f"{x(i):.1f},{y(s.mean):.1f}" for i, s in points)
        parts.append(f'<g class="organisation org-{number % len(STYLES)}"><title>{name}</title>'
                     f'<polyline points="{line}" fill="none"' + (f' stroke-dasharray="{dash}"' if dash else "") + " />")
        for i, s in points:
            parts.append(_marker(shape, x(i), y(s.mean)))
        last_i, last = points[-1]
        parts.append(f'<text class="label" x="{x(last_i) + 10:.1f}" y="{y(last.mean) + 4:.1f}">{name}</text></g>')
    width = max(6, int(inner_w / max(1, len(steps)) / 6.8))  # characters that fit under one step
    for i, step in enumerate(steps):
        lines = _wrap(site.label(step), width)
        spans = "".join(f'<tspan x="{x(i):.1f}" dy="{0 if n == 0 else 14}">{escape(line)}</tspan>'
                        for n, line in enumerate(lines))
        parts.append(f'<text class="step" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">{spans}'
                     f'<title>{escape(site.label(step))}</title></text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def page_variables(site, journey, page: str) -> dict:
    """What the benchmark template shows: the chart, the table per step, the organisations' pages."""
    found = site.results.benchmarks.get(journey.id) if site.results is not None else None
    to = lambda target: links.href(page, target)  # noqa: E731
    organisations = [{"label": site.ref(o), "href": to(organisation_path(site.prefix, journey.id, o)),
                      "style": f"org-{n % len(STYLES)}", "shape": STYLES[n % len(STYLES)][1]}
                     for n, o in enumerate(journey.organisations)]
    rows = _rows(site, journey, found.steps) if found is not None else []
    touchpoint_rows = _rows(site, journey, found.touchpoints) if found is not None else []
    title = f"{site.t['curve_alt']} {site.label(journey)}: {', '.join(site.ref(o) for o in journey.organisations)}"
    return {"organisations": organisations, "rows": rows, "touchpoint_rows": touchpoint_rows,
            "sector": found.sector if found else None,
            "chart": chart(site, journey, found, title) if found is not None and rows else None,
            "method": site.t["benchmark_method"].format(report_n=site.results.report_n) if found else "",
            "journey": {"label": site.label(journey), "goal": journey.text("goal", site.locale) or ""}}


def _rows(site, journey, found_rows) -> list[dict]:
    """One table row per step or touchpoint: each organisation's figure and verdict, the sector, best and worst."""
    rows = []
    if found_rows:
        show_n = site.results.show_n
        for row in found_rows:
            step = site.ws.get(row.subject)
            best, worst = row.best_and_worst(site.results.report_n)
            cells = []
            for o in journey.organisations:
                score = row.score(o)
                shown = score is not None and score.mean is not None and score.n >= show_n
                cells.append({
                    "value": (f"{measures.signed(score.mean, 1, site.locale)} "
                              f"{measures.interval(score.ci, 1, site.locale)} (n={score.n}"
                              f"{' ' + measures.SMALL if score.sample == 'small' else ''})") if shown else "–",
                    "verdict": site.t[f"verdict_{score.verdict}"] if score is not None else "",
                    "supported": score is not None and score.supported})
            rows.append({
                "label": site.label(step), "cells": cells,
                "sector": (f"{measures.signed(row.mean, 1, site.locale)} {measures.interval(row.ci, 1, site.locale)}"
                           f" (n={row.n})") if row.mean is not None and row.n >= show_n else "–",
                "best": site.ref(best) if best is not None else "",
                "worst": site.ref(worst) if worst is not None else ""})
    return rows
