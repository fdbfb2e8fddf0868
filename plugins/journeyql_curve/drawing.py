"""Drawing a :class:`~journeyql_curve.series.Curve` as SVG text.

Written directly (no template, no script, no external font: only the generic
``sans-serif``), so the file opens anywhere, also from ``file://`` and inside
an ``<img>``. The chart must read without colour: every series has its own
dash pattern and marker shape, a legend and a direct label at its end;
moments of truth carry a symbol (+, −, !) besides their colour.

Layout, top to bottom: title, stage bands (labelled), a row of moment
markers, the plot (scale on the y-axis, a zero line), step labels (wrapped to
four lines, the full text in a ``<title>``), the legend. The columns share
``FIT_WIDTH`` (a 1280 px page less its margins), between ``MIN_COLUMN`` and
``COLUMN`` wide: a journey of up to 15 steps fits the page at full size, a longer
one is wider and the page scales it down (never below MIN_COLUMN per step, so 300
steps give a wide but still readable chart).
"""

from __future__ import annotations

import math
import re
import textwrap

from journeyql.host.numbers import decimal, list_separator

from .series import Curve
from .words import words_for

COLUMN = 120          # widest column of one step
MIN_COLUMN = 64       # narrowest: ten characters a line of a step label
FIT_WIDTH = 1200      # a 1280 px page less the site's margins
LEFT = 96             # room for the scale and its title
RIGHT = 110           # room for the direct labels of the lines
TITLE_Y = 26
BAND_TOP = 44
BAND_LABEL_H = 26
MOMENT_ROW = 24
PLOT_H = 300
LABEL_LINES = 4
LINE_H = 14
CHAR_W = 6.8          # average width of an 11px sans-serif character (DejaVu Sans, the widest common one)
BOLD_CHAR_W = 7.4     # ... of a bold one, generously (DejaVu Sans Bold is wide)
TITLE_CHAR_W = 9.6    # ... and of a bold 16px one
MIN_WIDTH = 820       # room for the title and the legend, however few the steps

#: (series, stroke colour, dash pattern, marker); the dash patterns must all differ (tested)
SERIES_STYLE = {
    "expected": ("#1f5fa8", "9 5", "square"),
    "measured": ("#b3261e", "none", "circle"),
    "target": ("#2e7d32", "2 4", "triangle"),
    "to_be": ("#6a1b9a", "12 3 2 3", "diamond"),
    "previous": ("#5b5b5b", "6 3 1 3", "diamond"),  # the wave before, on the chart of two waves
}
#: a white outline behind text drawn over lines, so it stays legible
HALO = 'stroke="#fff" stroke-width="3" paint-order="stroke"'
MOMENT_SYMBOL = {"positive": "+", "negative": "\u2212", "critical": "!"}
MOMENT_COLOUR = {"positive": "#2e7d32", "negative": "#b3261e", "critical": "#8a4b00"}

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def esc(text) -> str:
    """Spec text as XML character data or attribute value: escaped, and without characters XML forbids."""
    out = _INVALID_XML.sub("", str(text if text is not None else ""))
    return (out.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def one_line(text) -> str:
    return " ".join(str(text or "").split())


def fit(text: str, width: float, char_width: float = CHAR_W) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` pixels."""
    chars = max(3, int(width / char_width))
    return text if len(text) <= chars else text[:chars - 1].rstrip() + "\u2026"


def column_width(steps: int) -> float:
    """The width of one step's column: the chart fills FIT_WIDTH, within MIN_COLUMN..COLUMN."""
    share = (FIT_WIDTH - LEFT - RIGHT) / max(1, steps)
    return float(min(COLUMN, max(MIN_COLUMN, int(share))))


def label_size(text: str, width: float) -> float:
    """Font size (px) of a step label: 11, or smaller (down to 8) so its longest word fits the column."""
    longest = max((len(word) for word in text.split()), default=0)
    if longest * CHAR_W <= width:
        return 11.0
    # rounded down, so that wrap() finds room for the whole word at this size
    return max(8.0, math.floor(110 * width / (longest * CHAR_W)) / 10)


def wrap(text: str, width: float, lines: int = LABEL_LINES, size: float = 11.0) -> list[str]:
    """``text`` in lines of ``width`` pixels, broken between words; a word longer than a line (even
    at the smallest size) is hyphenated, with a visible "-", never cut silently. At most ``lines``
    lines, the last with an ellipsis when cut."""
    chars = max(3, int(width / (CHAR_W * size / 11)))
    words = []
    for word in text.split():
        while len(word) > chars:
            words.append(word[:chars - 1] + "-")
            word = word[chars - 1:]
        words.append(word)
    parts = textwrap.wrap(" ".join(words), chars, break_long_words=False, break_on_hyphens=False) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        last = parts[-1]
        parts[-1] = (last[:chars - 1].rstrip() if len(last) >= chars else last) + "\u2026"
    return parts


def score(value: float, locale: str | None = None) -> str:
    """+1.4, -2, 0: up to two decimals, in the locale's decimal symbol (journeyql.host.numbers)."""
    if value == 0:
        return "0"
    text = decimal(value, locale, 2, sign=True)
    return text.rstrip("0").rstrip(".,") if text[-3] in ".," else text


def _n(value: float) -> str:
    return f"{value:.1f}"


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return (f'<rect x="{_n(x - 4)}" y="{_n(y - 4)}" width="8" height="8" fill="#fff" '
                f'stroke="{colour}" stroke-width="2"/>')
    if shape == "diamond":
        return (f'<path d="M{_n(x)} {_n(y - 5.5)} L{_n(x + 5.5)} {_n(y)} L{_n(x)} {_n(y + 5.5)} L{_n(x - 5.5)} {_n(y)} Z" '
                f'fill="#fff" stroke="{colour}" stroke-width="2"/>')
    if shape == "triangle":
        return (f'<path d="M{_n(x)} {_n(y - 5.5)} L{_n(x + 5)} {_n(y + 4)} L{_n(x - 5)} {_n(y + 4)} Z" '
                f'fill="{colour}" stroke="{colour}" stroke-width="1"/>')
    if shape == "diamond":
        return (f'<path d="M{_n(x)} {_n(y - 6)} L{_n(x + 6)} {_n(y)} L{_n(x)} {_n(y + 6)} L{_n(x - 6)} {_n(y)} Z" '
                f'fill="#fff" stroke="{colour}" stroke-width="2"/>')
    return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4.5" fill="{colour}" stroke="#fff" stroke-width="1"/>'


def draw(curve: Curve, *, label, locale: str | None) -> str:
    """The SVG document of one curve; ``label(item)`` gives an item's label in ``locale``."""
    w = {**words_for(locale), **curve.names}
    if curve.to_be is not None:
        # the to-be chart: the expected line is the journey before the plan
        w = {**w, "expected": w["as_is"]}
    journey = curve.journey
    low, high = float(journey.scale.low), float(journey.scale.high)
    if high == low:
        high = low + 1  # a degenerate scale still gets a drawable axis
    count = max(1, len(curve.columns))
    column = column_width(count)
    plot_left = LEFT
    plot_right = LEFT + column * count
    width = int(max(plot_right + RIGHT, MIN_WIDTH))
    moment_top = BAND_TOP + BAND_LABEL_H
    plot_top = moment_top + MOMENT_ROW + 6
    plot_bottom = plot_top + PLOT_H
    labels_top = plot_bottom + 18
    legend_top = labels_top + LINE_H * (LABEL_LINES + 1) + 14
    height = legend_top + 64

    def x_of(index: int) -> float:
        return plot_left + column * index + column / 2

    def y_of(value: float) -> float:
        value = min(max(value, low), high)
        return plot_top + (high - value) / (high - low) * PLOT_H

    title = f"{w['title']}: {one_line(label(journey))}"
    if curve.persona is not None:
        title += f" \u2014 {w['persona']} {one_line(label(curve.persona))}"
    if curve.organisation is not None:
        title += f" \u2014 {one_line(label(curve.organisation))}"
    if curve.to_be is not None:
        title += f" \u2014 {w['after_plan']}"
    series_names = ["expected", "target"] + (["measured"] if curve.has_measured else [])
    if curve.to_be is not None:
        series_names = ["expected", "to_be", "target"]
    if curve.series is not None:  # the chart of two waves: the series it names, titled by the waves
        series_names = list(curve.series)
        title = f"{w['title']}: {one_line(label(journey))} \u2014 {w['previous']} / {w['measured']}"
    out: list[str] = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="curve-title curve-desc" '
        f'font-family="sans-serif" font-size="11">',
        f'<title id="curve-title">{esc(title)}</title>',
        f'<desc id="curve-desc">{esc(_description(curve, w, label, low, high, series_names, locale))}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>',
        f'<text x="{LEFT}" y="{TITLE_Y}" font-size="16" font-weight="bold">{esc(fit(title, width - LEFT - 20, TITLE_CHAR_W))}</text>',
    ]

    # stage bands: alternate shading so stage boundaries read without colour too (a rule between them)
    out.append('<g class="stages">')
    index = 0
    stage_runs: list[tuple[object, int, int]] = []
    for stage, _step in curve.columns:
        if stage_runs and stage_runs[-1][0] is stage:
            stage_runs[-1] = (stage, stage_runs[-1][1], index)
        else:
            stage_runs.append((stage, index, index))
        index += 1
    for number, (stage, first, last) in enumerate(stage_runs):
        x = plot_left + column * first
        band_w = column * (last - first + 1)
        fill = "#eef1f5" if number % 2 == 0 else "#f8f9fb"
        full = one_line(label(stage))
        out.append(f'<g><title>{esc(full)}</title>'
                   f'<rect x="{x}" y="{BAND_TOP}" width="{band_w}" height="{plot_bottom - BAND_TOP}" fill="{fill}"/>'
                   f'<line x1="{x}" y1="{BAND_TOP}" x2="{x}" y2="{plot_bottom}" stroke="#9aa3ad" stroke-width="1"/>'
                   f'<text x="{x + 6}" y="{BAND_TOP + 17}" font-weight="bold">{esc(fit(full, band_w - 12))}</text></g>')
    out.append(f'<line x1="{plot_right}" y1="{BAND_TOP}" x2="{plot_right}" y2="{plot_bottom}" '
               f'stroke="#9aa3ad" stroke-width="1"/>')
    out.append('</g>')

    # the scale: ticks, grid lines and a stronger zero line
    out.append('<g class="scale">')
    for tick in _ticks(low, high):
        y = y_of(tick)
        zero = tick == 0
        style = 'stroke="#444" stroke-width="1.5"' if zero else 'stroke="#d5d9de" stroke-width="1" stroke-dasharray="1 3"'
        out.append(f'<line x1="{plot_left}" y1="{_n(y)}" x2="{plot_right}" y2="{_n(y)}" {style}/>')
        out.append(f'<text x="{plot_left - 8}" y="{_n(y + 4)}" text-anchor="end">{esc(score(tick, locale))}</text>')
    axis_label = f"{w['scale']} ({score(low, locale)}..{score(high, locale)})"
    mid = (plot_top + plot_bottom) / 2
    out.append(f'<text x="22" y="{_n(mid)}" text-anchor="middle" transform="rotate(-90 22 {_n(mid)})">'
               f'{esc(axis_label)}</text>')
    out.append(f'<line x1="{plot_left}" y1="{plot_top}" x2="{plot_left}" y2="{plot_bottom}" stroke="#444"/>')
    out.append('</g>')

    # step labels, wrapped; the full label in a <title>
    out.append('<g class="steps">')
    for i, (_stage, step) in enumerate(curve.columns):
        full = one_line(label(step))
        size = label_size(full, column - 10)
        lines = wrap(full, column - 10, size=size)
        x = x_of(i)
        spans = "".join(f'<tspan x="{_n(x)}" dy="{0 if n == 0 else LINE_H}">{esc(line)}</tspan>'
                        for n, line in enumerate(lines))
        sized = "" if size == 11 else f' font-size="{size:g}"'
        out.append(f'<g><title>{esc(full)}</title><text x="{_n(x)}" y="{labels_top}" text-anchor="middle"{sized}>'
                   f'{spans}</text>')
        if curve.skipped[i]:
            out.append(f'<text x="{_n(x)}" y="{labels_top + LINE_H * LABEL_LINES}" text-anchor="middle" '
                       f'font-style="italic" fill="#555">({esc(w["skipped"])})</text>')
        elif curve.new and curve.new[i]:
            out.append(f'<text class="new-step" x="{_n(x)}" y="{labels_top + LINE_H * LABEL_LINES}" '
                       f'text-anchor="middle" font-weight="bold" fill="{SERIES_STYLE["to_be"][0]}">'
                       f'({esc(w["new"])})</text>')
        out.append('</g>')
        out.append(f'<line x1="{_n(x)}" y1="{plot_bottom}" x2="{_n(x)}" y2="{plot_bottom + 5}" stroke="#444"/>')
    out.append('</g>')

    # moments of truth: a symbol above the plot and a dotted rule through it
    if curve.moments:
        out.append('<g class="moments">')
        per_column: dict[int, int] = {}
        for moment in curve.moments:
            slot = per_column.get(moment.step_index, 0)
            per_column[moment.step_index] = slot + 1
            x = x_of(moment.step_index) + slot * 20
            y = moment_top + MOMENT_ROW / 2
            colour = MOMENT_COLOUR.get(moment.polarity, "#444")
            text = f"{w['moment']} ({w.get(moment.polarity, moment.polarity)}): {one_line(moment.where)}"
            if moment.text:
                text += f" \u2014 {one_line(moment.text)}"
            if slot == 0:
                out.append(f'<line x1="{_n(x)}" y1="{_n(y + 9)}" x2="{_n(x)}" y2="{plot_bottom}" stroke="#666" '
                           f'stroke-width="1" stroke-dasharray="1 3"/>')
            out.append(f'<g class="moment"><title>{esc(text)}</title>'
                       f'<circle cx="{_n(x)}" cy="{_n(y)}" r="8.5" fill="#fff" stroke="{colour}" stroke-width="2"/>'
                       f'<text x="{_n(x)}" y="{_n(y + 4)}" text-anchor="middle" font-weight="bold" '
                       f'fill="{colour}">{MOMENT_SYMBOL.get(moment.polarity, "?")}</text></g>')
        out.append('</g>')

    # the confidence band of the measured series, under the lines
    if curve.has_measured:
        out.append('<g class="band">')
        for run in _runs([(i, p) for i, p in enumerate(curve.measured)
                          if p.low is not None and p.high is not None and p.value is not None]):
            if len(run) == 1:
                i, p = run[0]
                out.append(f'<rect x="{_n(x_of(i) - 6)}" y="{_n(y_of(p.high))}" width="12" '
                           f'height="{_n(max(1.0, y_of(p.low) - y_of(p.high)))}" fill="#b3261e" fill-opacity="0.16"/>')
                continue
            top = [f"{_n(x_of(i))},{_n(y_of(p.high))}" for i, p in run]
            bottom = [f"{_n(x_of(i))},{_n(y_of(p.low))}" for i, p in reversed(run)]
            out.append(f'<polygon points="{" ".join(top + bottom)}" fill="#b3261e" fill-opacity="0.16" '
                       f'stroke="#b3261e" stroke-opacity="0.35" stroke-width="0.5"/>')
        out.append('</g>')

    # the lines
    ends: list[tuple[str, float]] = []
    for name in series_names:
        colour, dash, shape = SERIES_STYLE[name]
        points = getattr(curve, name)
        out.append(f'<g class="series series-{name}">')
        # before the plan a step it adds does not exist: the as-is line runs past it
        passed = [a or b for a, b in zip(curve.skipped, curve.new)] if name == "expected" and curve.new \
            else curve.skipped
        for segment in _segments(points, passed):
            if len(segment) > 1:
                path = " ".join(f"{'M' if n == 0 else 'L'}{_n(x_of(i))} {_n(y_of(p.value))}"
                                for n, (i, p) in enumerate(segment))
                dash_attr = "" if dash == "none" else f' stroke-dasharray="{dash}"'
                out.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr} '
                           f'stroke-linejoin="round" stroke-linecap="round"/>')
        for i, p in enumerate(points):
            if p.value is None:
                continue
            _stage, step = curve.columns[i]
            tip = f"{one_line(label(step))}: {w[name]} {score(p.value, locale)}"
            if p.low is not None and p.high is not None:
                tip += f" [{score(p.low, locale)}{list_separator(locale)}{score(p.high, locale)}]"
            if p.n:
                tip += f" ({w['n']}={p.n}, {w['small']})" if p.small else f" ({w['n']}={p.n})"
            out.append(f'<g><title>{esc(tip)}</title>{_marker(shape, x_of(i), y_of(p.value), colour)}</g>')
        if name == "measured" and curve.has_small_samples:
            # a dagger above each small-sample point: visible without colour and in print
            out.append('<g class="small-samples">')
            for i, p in enumerate(points):
                if p.small and p.value is not None:
                    out.append(f'<text x="{_n(x_of(i) + 7)}" y="{_n(y_of(p.value) - 7)}" fill="{colour}" '
                               f'font-weight="bold">\u2020</text>')
            out.append('</g>')
        last = next((p for p in reversed(points) if p.value is not None), None)
        if last is not None:
            ends.append((name, y_of(last.value)))
        out.append('</g>')

    # the largest gaps between expected and measured, numbered; each label in a spot no line crosses
    if curve.gaps:
        out.append('<g class="gaps">')
        obstacles = _line_segments(curve, series_names, x_of, y_of)
        taken: list[tuple[float, float, float, float]] = []
        for rank, gap in enumerate(curve.gaps, 1):
            x = x_of(gap.step_index) + 12
            y1, y2 = y_of(gap.expected), y_of(gap.measured)
            text = f"{w['gap']} {score(gap.value, locale)}"
            caption = f"{rank}. \u0394 {score(gap.value, locale)}"
            box_w, box_h = len(caption) * BOLD_CHAR_W + 4, 14.0
            bx, by = _free_spot(x, (y1 + y2) / 2, box_w, box_h, obstacles, taken,
                                (plot_left + 2, plot_top + 2, plot_right - 2, plot_bottom - 2))
            taken.append((bx, by, box_w, box_h))
            leader = ""
            mid = (y1 + y2) / 2
            if not (by <= mid <= by + box_h) or bx < x or bx > x + 10:
                near_x = bx if bx >= x else bx + box_w
                leader = (f'<line x1="{_n(x)}" y1="{_n(mid)}" x2="{_n(near_x)}" y2="{_n(min(max(mid, by), by + box_h))}" '
                          f'stroke="#222" stroke-width="0.75" stroke-dasharray="2 2"/>')
            _stage, step = curve.columns[gap.step_index]
            out.append(f'<g class="gap"><title>{esc(one_line(label(step)) + ": " + text)}</title>'
                       f'<line x1="{_n(x)}" y1="{_n(y1)}" x2="{_n(x)}" y2="{_n(y2)}" stroke="#222" '
                       f'stroke-width="1.5"/>'
                       f'<line x1="{_n(x - 4)}" y1="{_n(y1)}" x2="{_n(x + 4)}" y2="{_n(y1)}" stroke="#222"/>'
                       f'<line x1="{_n(x - 4)}" y1="{_n(y2)}" x2="{_n(x + 4)}" y2="{_n(y2)}" stroke="#222"/>'
                       f'{leader}<text x="{_n(bx + 2)}" y="{_n(by + 11)}" font-weight="bold" {HALO}>'
                       f'{esc(caption)}</text></g>')
        out.append('</g>')

    # direct labels at the right end, pushed apart so they never overlap
    out.append('<g class="direct-labels">')
    placed: list[float] = []
    for name, y in sorted(ends, key=lambda e: (e[1], e[0])):
        if placed and y - placed[-1] < 14:
            y = placed[-1] + 14
        placed.append(y)
        colour, dash, shape = SERIES_STYLE[name]
        out.append(_marker(shape, plot_right + 14, y, colour))
        out.append(f'<text x="{plot_right + 24}" y="{_n(y + 4)}" fill="{colour}">{esc(fit(w[name], RIGHT - 30))}</text>')
    out.append('</g>')

    out.append(_legend(curve, w, series_names, LEFT, legend_top))
    out.append('</svg>')
    return "\n".join(out) + "\n"


def _legend(curve: Curve, w: dict, series_names: list[str], left: float, top: float) -> str:
    parts = ['<g class="legend">', f'<text x="{left}" y="{top}" font-weight="bold">{esc(w["series"])}:</text>']
    x = left + 70
    for name in series_names:
        colour, dash, shape = SERIES_STYLE[name]
        dash_attr = "" if dash == "none" else f' stroke-dasharray="{dash}"'
        parts.append(f'<g class="legend-{name}"><line x1="{x}" y1="{top - 4}" x2="{x + 36}" y2="{top - 4}" '
                     f'stroke="{colour}" stroke-width="2.5"{dash_attr}/>{_marker(shape, x + 18, top - 4, colour)}'
                     f'<text x="{x + 44}" y="{top}">{esc(w[name])}</text></g>')
        x += 60 + len(w[name]) * CHAR_W
    if curve.has_measured:
        parts.append(f'<rect x="{x}" y="{top - 10}" width="24" height="12" fill="#b3261e" fill-opacity="0.16"/>'
                     f'<text x="{x + 30}" y="{top}">{esc(w["band"])}</text>')
    row = top + 22
    x = left
    if curve.moments:
        parts.append(f'<text x="{x}" y="{row}" font-weight="bold">{esc(w["moment"])}:</text>')
        # past the bold heading (its colon included) and the radius of the first symbol
        x += (len(w["moment"]) + 1) * BOLD_CHAR_W + 8 + 10
        for polarity in ("positive", "negative", "critical"):
            colour = MOMENT_COLOUR[polarity]
            parts.append(f'<circle cx="{_n(x)}" cy="{row - 4}" r="8" fill="#fff" stroke="{colour}" stroke-width="2"/>'
                         f'<text x="{_n(x)}" y="{row}" text-anchor="middle" font-weight="bold" fill="{colour}">'
                         f'{MOMENT_SYMBOL[polarity]}</text>'
                         f'<text x="{_n(x + 13)}" y="{row}">{esc(w[polarity])}</text>')
            x += 30 + len(w[polarity]) * CHAR_W
    if curve.gaps:
        x += 20
        parts.append(f'<text x="{_n(x)}" y="{row}"><tspan font-weight="bold">\u0394</tspan> '
                     f'{esc(w["gaps"])}</text>')
    if curve.has_small_samples:  # a row of its own: the first two can be full (the SVG has room for a third)
        parts.append(f'<text x="{left}" y="{top + 44}"><tspan font-weight="bold">\u2020</tspan> '
                     f'{esc(w["small_legend"].format(n=curve.report_n))}</text>')
    parts.append('</g>')
    return "".join(parts)


def _description(curve: Curve, w: dict, label, low: float, high: float, series_names: list[str],
                 locale: str | None = None) -> str:
    stages = len({id(stage) for stage, _ in curve.columns})
    text = (f"{w['title']} {one_line(label(curve.journey))}: {len(curve.columns)} {w['steps']}, {stages} "
            f"{w['stages']}, {w['scale'].lower()} {score(low, locale)}..{score(high, locale)}; "
            + ", ".join(w[n] for n in series_names) + ".")
    known = [(p.value, i) for i, p in enumerate(curve.expected) if p.value is not None and "expected" in series_names]
    if known:
        value, index = min(known)
        text += f" {w['lowest']}: {one_line(label(curve.columns[index][1]))} ({score(value, locale)})."
    if curve.gaps:
        gap = curve.gaps[0]
        text += (f" {w['largest_gap']}: {one_line(label(curve.columns[gap.step_index][1]))} "
                 f"({score(gap.value, locale)}).")
    if curve.moments:
        text += f" {len(curve.moments)} {w['moments']}."
    return text


def _line_segments(curve: Curve, series_names, x_of, y_of) -> list[tuple[float, float, float, float]]:
    """Every drawn stretch of every line (and each marker as a tiny stretch), in SVG coordinates."""
    found = []
    for name in series_names:
        points = getattr(curve, name)
        for segment in _segments(points, curve.skipped):
            xy = [(x_of(i), y_of(p.value)) for i, p in segment]
            found += [(x, y, x, y) for x, y in xy]
            found += [(a[0], a[1], b[0], b[1]) for a, b in zip(xy, xy[1:])]
    return found


def _crosses(box, segment) -> bool:
    """Whether a line segment passes through a box (x, y, w, h), markers (6 px) and halo included."""
    x, y, w, h = box
    left, top, right, bottom = x - 6, y - 6, x + w + 6, y + h + 6
    x1, y1, x2, y2 = segment
    if max(x1, x2) < left or min(x1, x2) > right or max(y1, y2) < top or min(y1, y2) > bottom:
        return False
    if left <= x1 <= right and top <= y1 <= bottom:
        return True
    # sample the segment: exact enough at a pixel's resolution, and simple
    steps = int(max(abs(x2 - x1), abs(y2 - y1)) / 2) + 1
    return any(left <= x1 + (x2 - x1) * k / steps <= right and top <= y1 + (y2 - y1) * k / steps <= bottom
               for k in range(steps + 1))


def _free_spot(x: float, y: float, w: float, h: float, lines, taken, area) -> tuple[float, float]:
    """Top-left of a w x h box near (x, y), right of x if possible, that no line and no other box touches."""
    left, top, right, bottom = area
    candidates = []
    for dy in (0, -18, 18, -36, 36, -54, 54, -72, 72, -96, 96, -120, 120):
        for bx in (x + 6, x - 6 - w, x + 30, x - 30 - w):
            by = min(max(y + dy - h / 2, top), bottom - h)
            bx = min(max(bx, left), right - w)
            candidates.append((bx, by))
    for bx, by in candidates:
        box = (bx, by, w, h)
        if any(_crosses(box, s) for s in lines):
            continue
        if any(bx < tx + tw + 4 and tx < bx + w + 4 and by < ty + th + 2 and ty < by + h + 2
               for tx, ty, tw, th in taken):
            continue
        return bx, by
    return candidates[0]


def _ticks(low: float, high: float) -> list[float]:
    span = high - low
    if span <= 12 and float(low).is_integer() and float(high).is_integer():
        return [float(v) for v in range(int(low), int(high) + 1)]
    ticks = [low + span * k / 4 for k in range(5)]
    if low < 0 < high:
        ticks.append(0.0)
    return sorted(set(round(t, 6) for t in ticks))


def _segments(points, skipped):
    """Runs of consecutive points to join: a missing score breaks the line, a skipped step does not."""
    segment: list = []
    for i, p in enumerate(points):
        if p.value is not None:
            segment.append((i, p))
        elif not skipped[i]:
            if segment:
                yield segment
            segment = []
    if segment:
        yield segment


def _runs(indexed):
    run: list = []
    for i, p in indexed:
        if run and run[-1][0] != i - 1:
            yield run
            run = []
        run.append((i, p))
    if run:
        yield run
