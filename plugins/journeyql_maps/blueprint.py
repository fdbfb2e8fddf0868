"""The `blueprint` renderer: a service blueprint per journey, per persona whose journey differs, and per
organisation of a shared journey (its view, its own respondents' emotions: ``journeyql.organisation_views``).

Columns are the steps under their stages, rows the swimlanes (physical evidence,
customer actions, frontstage, backstage, support processes) separated by the line of
interaction, the line of visibility and the line of internal interaction.

The grid is computed here and every cell is a box at a fixed position, laid out
with graphviz's ``nop`` layout (positions as given). Graphviz therefore has nothing
to solve: a 300-step journey renders in well under a second, the columns always line
up, and both engines draw the same picture. (An HTML-like table would be the obvious
alternative, but the WebAssembly graphviz cannot draw those.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import graphviz

import journeyql
from journeyql.graphviz import node_id, text_label
from journeyql.host.names import Names
from journeyql.host.numbers import symbols

from .emotion import PALETTE, StepEmotion, step_emotion
from .graphs import locale_variants, write_graph
from .texts import label, ref_label, translated
from .words import words_for
from .wrapping import wrap_lines

#: Marks that make moments, fail and wait points visible without colour.
MOMENT_MARK = {"positive": "★▲", "negative": "★▼", "critical": "★!"}
FAIL_MARK = "⚠"
NEW_MARK = "✚"   # what the plan adds, in the to-be blueprint
WAIT_MARK = "◷"
LANE_FILL = "#eeeeee"
LINE_FILL = "#404040"
STAGE_FILL = "#d9d9d9"

#: Geometry, in points (graphviz's ``nop`` layout reads positions in points).
STEP_WIDTH = 160
LANE_WIDTH = 130
LINE_HEIGHT = 12      # a 10 pt font's line
PADDING = 18          # above and below the text of a cell: a blank line above it (see _box) and 6 below
SEPARATOR_HEIGHT = 18
WRAP = 25             # characters per line that fit a step column (27 measured wider than 160 pt at times)


def render(workspace, context) -> None:
    options = context.options
    for locale, suffix in locale_variants(context):
        words = words_for(locale)
        # a journey's blueprints are made from it and what lies outside the journeys: per journey
        for journey in context.each_journey(workspace.journeys):
            graph = blueprint_graph(workspace, journey, locale, words, context.results)
            write_graph(context, f"blueprint/{journey.id}{suffix}", graph, layout="nop", svg=options.svg)
            change = journeyql.to_be(workspace, journey)
            if change.changes_anything:
                # after the plan nothing is measured yet: the to-be shows the expected emotions
                graph = blueprint_graph(workspace, change.journey, locale, words, None, to_be=change)
                write_graph(context, f"blueprint/{journey.id}--to-be{suffix}", graph, layout="nop",
                            svg=options.svg)
            # a shared journey: each organisation's blueprint, its view and its own respondents' emotions
            for view in journeyql.organisation_views(workspace, journey, context.results):
                graph = blueprint_graph(workspace, view.journey, locale, words, view.results,
                                        organisation=view.organisation)
                write_graph(context, f"blueprint/{journey.id}--{view.organisation}{suffix}", graph, layout="nop",
                            svg=options.svg)
            if not options.personas:
                continue
            for persona in differing_personas(journey):
                graph = blueprint_graph(workspace, journey, locale, words, context.results, persona=persona)
                write_graph(context, f"blueprint/{journey.id}--{persona}{suffix}", graph, layout="nop",
                            svg=options.svg)


def differing_personas(journey) -> list[str]:
    """Personas for whom some step differs: they skip it, or expect another emotion than the journey states."""
    found: list[str] = []
    for step in journey.steps:
        for view in step.personas:
            differs = view.skips or (view.expected is not None and (
                step.expected is None or view.expected.score != step.expected.score
                or tuple(view.expected.emotions) != tuple(step.expected.emotions)))
            if differs and view.persona not in found:
                found.append(view.persona)
    order = {p: i for i, p in enumerate(journey.personas)}
    return sorted(found, key=lambda p: (order.get(p, len(order)), p))


# --- the grid -------------------------------------------------------------------------------

@dataclass
class Cell:
    """One box of the blueprint: its text blocks (separated by a blank line) and its look."""

    blocks: list[list[str]] = field(default_factory=list)
    fill: str | None = None
    ink: str | None = None
    bold: bool = False
    emphasis: bool = False  # a thicker border: there is a moment, fail or wait point here

    def lines(self) -> list[str]:
        out: list[str] = []
        for block in self.blocks:
            if block:
                if out:
                    out.append("")
                out.extend(block)
        return out


def _text(text, width: int = WRAP) -> list[str]:
    return wrap_lines(text, width)


def _view(step, persona: str | None):
    if persona is None:
        return None
    return next((v for v in step.personas if v.persona == persona), None)


def blueprint_graph(workspace, journey, locale, words, results, *, persona: str | None = None,
                    to_be=None, organisation: str | None = None) -> graphviz.Graph:
    """The graph of one journey's blueprint (for one persona when ``persona`` is given).

    ``organisation``: ``journey`` is that organisation's view of a shared journey (named in the title).

    ``to_be`` (a ``journeyql.to_be`` result whose ``journey`` is drawn): what the plan adds is
    marked ✚, a step whose expected emotion it changes says what it was before.
    """
    stages = []
    for stage in journey.stages:
        steps = [(step, _view(step, persona)) for step in stage.steps]
        if persona is not None:
            steps = [(step, view) for step, view in steps if not (view is not None and view.skips)]
        stages.append((stage, steps))
    # an empty stage keeps one empty column, so it still shows in the stage row
    columns = [column for _, steps in stages for column in (steps or [(None, None)])]

    def each(make) -> list[Cell]:
        return [make(step, view) if step is not None else Cell() for step, view in columns]

    lanes: list[tuple[str, str, list[Cell]]] = [
        ("step", words["step"], each(lambda s, v: _step_cell(workspace, journey, s, v, persona, results, locale, words,
                                                              to_be))),
        ("markers", words["markers"], each(lambda s, v: _markers(s, v, locale, words))),
        ("evidence", words["evidence"], each(lambda s, v: Cell([_text(e) for e in translated(s, "evidence", locale)]))),
        ("customer", words["customer"], each(lambda s, v: Cell([_text(translated(s, "action", locale))]))),
        ("line", words["line_interaction"], []),
        ("frontstage", words["frontstage"], each(lambda s, v: _frontstage(workspace, s, locale, words, to_be))),
        ("line", words["line_visibility"], []),
        ("backstage", words["backstage"], each(lambda s, v: _actions(workspace, s.backstage, locale, words))),
        ("line", words["line_internal"], []),
        ("support", words["support"], each(lambda s, v: _actions(workspace, s.support, locale, words))),
    ]

    title = f"{words['blueprint']}: {label(journey, locale)}"
    if persona is not None:
        title += f" ({words['for_persona']} {ref_label(workspace, persona, locale)})"
    if organisation is not None:
        title += f" ({ref_label(workspace, organisation, locale)})"
    if to_be is not None:
        title += f" ({words['to_be']})"
    name = (f"blueprint_{journey.id}" + (f"--{persona}" if persona else "") + (f"--{organisation}" if organisation else "")
            + ("--to-be" if to_be else ""))
    graph = graphviz.Graph(
        node_id(name),
        graph_attr={"charset": "UTF-8", "label": text_label(title), "labelloc": "t", "fontname": "Helvetica-Bold",
                    "fontsize": "16"},
        # width and height are minimums (not fixedsize): a line graphviz measures a little wider than
        # our estimate (font metrics differ between engines) widens its box instead of raising a warning
        node_attr={"shape": "box", "style": "filled", "fontname": "Helvetica", "fontsize": "10",
                   "fillcolor": "#ffffff", "labelloc": "t", "margin": "0.08,0"})
    total_width = LANE_WIDTH + STEP_WIDTH * max(len(columns), 1)
    top = 0.0

    # the stage row: one box per stage spanning its steps (an empty stage keeps one empty column's room)
    stage_cells = [Cell([_text(label(stage, locale), WRAP * max(len(steps), 1))], fill=STAGE_FILL, bold=True)
                   for stage, steps in stages]
    height = _row_height([Cell([_text(words["stage"])])] + stage_cells)
    _box(graph, "lane_stage", 0, top, LANE_WIDTH, height, Cell([_text(words["stage"], 20)], LANE_FILL, bold=True),
         align="left")
    x = LANE_WIDTH
    for index, ((stage, steps), cell) in enumerate(zip(stages, stage_cells)):
        if not steps:
            cell.blocks.append([f"({words['no_steps']})"])
        width = STEP_WIDTH * max(len(steps), 1)
        _box(graph, f"stage_{index}", x, top, width, height, cell, align="center")
        x += width
    top += height

    for lane, (kind, name_, cells) in enumerate(lanes):
        if kind == "line":
            _box(graph, f"line_{lane}", 0, top, total_width, SEPARATOR_HEIGHT,
                 Cell([[f"- - -   {name_}   - - -"]], LINE_FILL, "#ffffff", bold=True), align="center", middle=True)
            top += SEPARATOR_HEIGHT
            continue
        header = Cell([_text(name_, 20)], LANE_FILL, bold=True)
        height = _row_height([header, *cells])
        _box(graph, f"lane_{kind}", 0, top, LANE_WIDTH, height, header, align="left")
        for column, cell in enumerate(cells):
            _box(graph, f"{kind}_{column}", LANE_WIDTH + STEP_WIDTH * column, top, STEP_WIDTH, height, cell,
                 align="left")
        top += height
    _legend(graph, journey, words, top + 12, locale, to_be is not None)
    return graph


def _row_height(cells: list[Cell]) -> float:
    return max(len(c.lines()) for c in cells) * LINE_HEIGHT + PADDING if cells else LINE_HEIGHT + PADDING


def _box(graph, node: str, x: float, top: float, width: float, height: float, cell: Cell, *, align: str,
         middle: bool = False) -> None:
    """A box whose top-left corner is at (x, -top); graphviz's y axis points up, node positions are centres."""
    # graphviz puts a top-aligned label flush against the box's top edge (it ignores the vertical
    # margin there), so a blank first line keeps the text off the border; a space, not an empty
    # line: the WebAssembly graphviz traps on some labels that start with an empty line
    lines = cell.lines() or [""]
    if middle:  # a one-line band (the lines between lanes, the legend): centred in its box
        attrs = {"labelloc": "c"}
    attrs = {**(attrs if middle else {}),"pos": f"{x + width / 2:.1f},{-(top + height / 2):.1f}",
             "width": f"{width / 72:.4f}", "height": f"{height / 72:.4f}",
             "label": text_label([" ", *lines] if not middle and height >= len(lines) * LINE_HEIGHT + PADDING else lines,
                                 align=align)}
    if cell.fill:
        attrs["fillcolor"] = cell.fill
    if cell.ink:
        attrs["fontcolor"] = cell.ink
    if cell.bold:
        attrs["fontname"] = "Helvetica-Bold"
    if cell.emphasis:
        attrs["penwidth"] = "2.5"
    graph.node(node, **attrs)


# --- the cells ------------------------------------------------------------------------------

def _step_cell(workspace, journey, step, view, persona, results, locale, words, to_be=None) -> Cell:
    emotion: StepEmotion = step_emotion(step, results, persona, view)
    fill, ink = emotion.colour(journey.scale)
    blocks = [_text(label(step, locale)) + [emotion.describe(words, locale)]]
    if emotion.names:
        blocks[0].extend(_text(Names(workspace, locale).emotions(emotion.names)))
    if to_be is not None and to_be.by(step.key):
        by = ref_label(workspace, to_be.by(step.key), locale)
        if to_be.is_new(step.key):
            blocks.insert(0, [f"{NEW_MARK} {words['new']}"] + _text(f"{words['by']} {by}"))
        else:
            before = next((s for s in to_be.as_is.steps if s.key == step.key), None)
            was = step_emotion(before, None, None, None).describe(words, locale) if before is not None else ""
            blocks.append(_text(f"{words['was']}: {was}") + _text(f"{NEW_MARK} {words['by']} {by}"))
    return Cell(blocks, fill, ink, emphasis=to_be is not None and to_be.by(step.key) is not None)


def _moment(holder, subject: str | None, words, locale) -> list[str]:
    moment = holder.moment
    head = f"{MOMENT_MARK.get(moment.polarity, '★')} {words['moment']} ({words[moment.polarity]})"
    lines = _text(head + (f": {subject}" if subject else ""))
    text = translated(holder, "moment", locale)
    return lines + (_text(text) if text else [])


def _markers(step, view, locale, words) -> Cell:
    blocks = []
    if step.moment is not None:
        blocks.append(_moment(step, None, words, locale))
    for touchpoint in step.touchpoints:
        if touchpoint.moment is not None:
            blocks.append(_moment(touchpoint, label(touchpoint, locale), words, locale))
    for fail in step.fail_points:
        blocks.append([f"{FAIL_MARK} {words['fail']}"] + _text(translated(fail, "text", locale)))
    names = Names(None, locale)
    for wait, text in zip(step.wait_points, translated(step, "wait_points", locale)):
        blocks.append([f"{WAIT_MARK} {words['wait']} {names.duration(wait.duration)}"] + (_text(text) if text else []))
    emphasis = bool(blocks)
    if view is not None and view.note:
        blocks.append(_text(f"{words['note']}: {translated(view, 'note', locale)}"))
    return Cell(blocks, emphasis=emphasis)


def _frontstage(workspace, step, locale, words, to_be=None) -> Cell:
    blocks = []
    for touchpoint in step.touchpoints:
        channel = ref_label(workspace, touchpoint.channel, locale)
        owner = ref_label(workspace, touchpoint.owner, locale) or words["no_owner"]
        new = to_be is not None and to_be.is_new(touchpoint.key)
        mark = f"{NEW_MARK} {words['new']}: " if new else "▸ "
        blocks.append(_text(mark + label(touchpoint, locale)) + _text(f"{words['channel']}: {channel}")
                      + _text(f"{words['owner']}: {owner}"))
    blocks.extend(_actions(workspace, step.frontstage, locale, words).blocks)
    return Cell(blocks)


def _actions(workspace, actions, locale, words) -> Cell:
    blocks = []
    for action in actions:
        block = _text("• " + (translated(action, "text", locale) or ""))
        if action.owner:
            block += _text(f"{words['owner']}: {ref_label(workspace, action.owner, locale)}")
        if action.systems:
            block += _text(f"{words['systems']}: {', '.join(action.systems)}")
        blocks.append(block)
    return Cell(blocks)


def _legend(graph, journey, words, top: float, locale: str | None = None, to_be: bool = False) -> None:
    """The palette with the scores it stands for, and the marks, below the blueprint."""
    low, high = journey.scale.low, journey.scale.high
    step = (high - low) / len(PALETTE)
    point = symbols(locale)[0]  # the decimal symbol of the page's locale (journeyql.host.numbers)
    # the title wrapped to the lane's width, so its box never reaches into the first swatch
    title = Cell([_text(f"{words['legend']}: {words['scale']}", 20) + [f"{low:g}..{high:g}"]], bold=True)
    height = max(36, len(title.lines()) * LINE_HEIGHT + 8)
    _box(graph, "legend", 0, top, LANE_WIDTH, height, title, align="left", middle=True)
    for index, colour in enumerate(PALETTE):
        start = low + index * step
        ink = "#ffffff" if index in (0, len(PALETTE) - 1) else "#000000"
        scores = f"{start:+.1f}".replace(".", point) + ".." + f"{start + step:+.1f}".replace(".", point)
        _box(graph, f"legend_{index}", LANE_WIDTH + 70 * index, top, 70, height, Cell([[scores]], colour, ink),
             align="center", middle=True)
    top += height - 36  # the marks' row below the taller title
    marks = (f"{MOMENT_MARK['positive']} {MOMENT_MARK['negative']} {MOMENT_MARK['critical']} {words['moment']} "
             f"({words['positive']}, {words['negative']}, {words['critical']})    "
             f"{FAIL_MARK} {words['fail']}    {WAIT_MARK} {words['wait']}"
             + (f"    {NEW_MARK} {words['new']}" if to_be else ""))
    _box(graph, "legend_marks", 0, top + 36, LANE_WIDTH + 70 * len(PALETTE), 20, Cell([[marks]]),
         align="center", middle=True)
