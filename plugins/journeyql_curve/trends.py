"""Small multiples of a journey's waves: one small chart per touchpoint (and one for the whole journey).

Every panel has the same scale (the journey's), so panels compare at a glance; a panel shows the
touchpoint's mean valence per wave with its 95% interval as a whisker, and its change since the
previous wave as a symbol and a word (▲ improved, ▼ declined, = no significant change, ? not enough
data): the judgement of the wave test (docs/analysis.md), readable without colour and in print.

The panels sit in a grid of fixed cells; every text is fitted to its cell (the full text in a
``<title>``), so nothing overlaps however long a label or however many waves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .drawing import CHAR_W, HALO, _marker, _n, esc, fit, one_line, score, wrap
from .words import words_for

PANEL_W = 230
PANEL_H = 180
COLUMNS = 4
GAP = 16
MARGIN = 24
HEADER = 58        # the chart's title and its legend line
TITLE_H = 30       # two lines of the panel's title
AXIS_W = 30        # the panel's scale labels
FOOT_H = 34        # wave labels under the panel
STATUS_H = 16      # the change line above the plot
SYMBOL = {"improved": "\u25b2", "declined": "\u25bc", "no_significant_change": "=", "not_enough_data": "?"}
COLOUR = {"improved": "#2e7d32", "declined": "#b3261e", "no_significant_change": "#444", "not_enough_data": "#666"}
LINE = "#1f3f68"


@dataclass(frozen=True)
class WavePoint:
    value: float | None
    low: float | None = None
    high: float | None = None
    n: int = 0


@dataclass
class Panel:
    title: str
    points: list = field(default_factory=list)   #: WavePoint per wave
    change: float | None = None                   #: since the previous wave
    status: str | None = None                     #: improved | declined | no_significant_change | not_enough_data


def panels_of(journey, waves, changes, *, label, show_n: int = 5) -> list[Panel]:
    """One panel for the journey, then one per touchpoint the plan asked about in any wave."""
    latest = waves[-1].wave if waves else None
    last = {c.subject: c for c in changes if c.since == "previous" and c.after_wave == latest
            and getattr(c, "metric", "valence") == "valence"}  # the journey's NPS change is one more
    out = []
    for level, key, item in [("journeys", journey.id, journey)] + [("touchpoints", tp.key, tp)
                                                                  for tp in journey.touchpoints]:
        points = []
        for wave in waves:
            metrics = getattr(wave.results, level).get(key)
            if metrics is None or metrics.valence_mean is None or metrics.n < show_n:
                points.append(WavePoint(None))
            else:
                ci = metrics.valence_ci
                points.append(WavePoint(metrics.valence_mean, ci[0] if ci else None, ci[1] if ci else None,
                                        metrics.valence_n))
        if all(p.value is None for p in points):
            continue
        change = last.get(key)
        out.append(Panel(label(item), points, change.change if change else None, change.status if change else None))
    return out


def draw_trends(journey, panels: list[Panel], wave_names: list[str], *, label, locale: str | None) -> str:
    """The small multiples as one SVG document."""
    w = words_for(locale)
    low, high = float(journey.scale.low), float(journey.scale.high)
    if high == low:
        high = low + 1
    columns = max(1, min(COLUMNS, len(panels)))
    rows = max(1, -(-len(panels) // columns))
    width = MARGIN * 2 + columns * PANEL_W + (columns - 1) * GAP
    width = max(width, 560)
    height = MARGIN + HEADER + rows * PANEL_H + (rows - 1) * GAP + MARGIN
    title = f"{w['trends']}: {one_line(label(journey))}"
    count = len(wave_names)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="trend-title trend-desc" '
        f'font-family="sans-serif" font-size="11">',
        f'<title id="trend-title">{esc(title)}</title>',
        f'<desc id="trend-desc">{esc(_description(panels, wave_names, w, locale))}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>',
        f'<text x="{MARGIN}" y="{MARGIN + 6}" font-size="16" font-weight="bold">'
        f'{esc(fit(title, width - 2 * MARGIN, 9.6))}</text>',
    ]
    legend = "   ".join(f"{SYMBOL[s]} {w[s]}" for s in SYMBOL) + f"  ({w['since_previous']})"
    out.append(f'<text class="legend" x="{MARGIN}" y="{MARGIN + 30}">{esc(fit(legend, width - 2 * MARGIN))}</text>')
    for index, panel in enumerate(panels):
        left = MARGIN + (index % columns) * (PANEL_W + GAP)
        top = MARGIN + HEADER + (index // columns) * (PANEL_H + GAP)
        out.append(_panel(panel, left, top, low, high, wave_names, count, w, locale))
    out.append('</svg>')
    return "\n".join(out) + "\n"


def _panel(panel: Panel, left: float, top: float, low: float, high: float, wave_names: list[str], count: int,
           w: dict, locale) -> str:
    plot_left = left + AXIS_W
    plot_right = left + PANEL_W - 12
    plot_top = top + TITLE_H + STATUS_H + 10
    plot_bottom = top + PANEL_H - FOOT_H

    def x_of(i: int) -> float:
        if count == 1:
            return (plot_left + plot_right) / 2
        return plot_left + 10 + (plot_right - plot_left - 20) * i / (count - 1)

    def y_of(value: float) -> float:
        value = min(max(value, low), high)
        return plot_top + (high - value) / (high - low) * (plot_bottom - plot_top)

    parts = [f'<g class="panel"><title>{esc(panel.title)}</title>',
             f'<rect x="{left}" y="{top}" width="{PANEL_W}" height="{PANEL_H}" fill="#fafbfc" stroke="#c9ced4"/>']
    for n, line in enumerate(wrap(panel.title, PANEL_W - 12, 2)):
        parts.append(f'<text x="{_n(left + 6)}" y="{_n(top + 13 + 13 * n)}" font-weight="bold">{esc(line)}</text>')
    if panel.status is not None:
        text = f"{SYMBOL[panel.status]} {w[panel.status]}"
        if panel.change is not None:
            text += f" ({score(panel.change, locale)})"
        parts.append(f'<text class="status status-{panel.status}" x="{_n(left + 6)}" y="{_n(top + TITLE_H + 12)}" '
                     f'fill="{COLOUR[panel.status]}">{esc(fit(text, PANEL_W - 12))}</text>')
    for tick in (low, (low + high) / 2, high):
        y = y_of(tick)
        style = 'stroke="#444"' if tick == 0 else 'stroke="#dde1e6" stroke-dasharray="1 3"'
        parts.append(f'<line x1="{_n(plot_left)}" y1="{_n(y)}" x2="{_n(plot_right)}" y2="{_n(y)}" {style}/>')
        parts.append(f'<text x="{_n(plot_left - 4)}" y="{_n(y + 4)}" text-anchor="end">{esc(score(tick, locale))}</text>')
    slot = (plot_right - plot_left) / max(1, count)
    for i, name in enumerate(wave_names):
        parts.append(f'<text x="{_n(x_of(i))}" y="{_n(plot_bottom + 22)}" text-anchor="middle">'
                     f'<title>{esc(name)}</title>{esc(fit(name, max(slot, 4 * CHAR_W)))}</text>')
    known = [(i, p) for i, p in enumerate(panel.points) if p.value is not None]
    for i, p in known:
        if p.low is not None and p.high is not None:
            x = x_of(i)
            parts.append(f'<line class="whisker" x1="{_n(x)}" y1="{_n(y_of(p.low))}" x2="{_n(x)}" '
                         f'y2="{_n(y_of(p.high))}" stroke="{LINE}" stroke-opacity="0.45" stroke-width="5"/>')
    if len(known) > 1:
        path = " ".join(f"{'M' if n == 0 else 'L'}{_n(x_of(i))} {_n(y_of(p.value))}" for n, (i, p) in enumerate(known))
        parts.append(f'<path d="{path}" fill="none" stroke="{LINE}" stroke-width="2"/>')
    for i, p in known:
        tip = f"{wave_names[i]}: {score(p.value, locale)}"
        if p.low is not None and p.high is not None:
            tip += f" [{score(p.low, locale)}; {score(p.high, locale)}]"
        tip += f" (n={p.n})"
        parts.append(f'<g class="point" data-wave="{i}" data-value="{p.value:.4f}"><title>{esc(tip)}</title>'
                     f'{_marker("circle", x_of(i), y_of(p.value), LINE)}</g>')
    if known:
        i, p = known[-1]
        above = y_of(p.value) - 9 if y_of(p.value) - 9 > plot_top + 8 else y_of(p.value) + 16
        anchor = "end" if count > 1 else "middle"
        parts.append(f'<text class="value" x="{_n(x_of(i) + (4 if count > 1 else 0))}" y="{_n(above)}" '
                     f'text-anchor="{anchor}" font-weight="bold" {HALO}>{esc(score(p.value, locale))}</text>')
    parts.append('</g>')
    return "".join(parts)


def _description(panels: list[Panel], wave_names: list[str], w: dict, locale) -> str:
    text = f"{w['trends']}, {len(wave_names)} {w['waves']}: {', '.join(wave_names)}."
    for panel in panels:
        values = ", ".join("–" if p.value is None else score(p.value, locale) for p in panel.points)
        text += f" {panel.title}: {values}"
        if panel.status:
            text += f" ({w[panel.status]})"
        text += "."
    return text
