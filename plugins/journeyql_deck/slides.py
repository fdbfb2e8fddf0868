"""Writing a :class:`~journeyql_deck.content.Deck` as a PowerPoint file with python-pptx.

The curve is a native line chart (its numbers live in the chart's embedded workbook), so a board
member's assistant can restyle it, or read the values, in PowerPoint itself. Widescreen 16:9,
the default Office theme, no pictures: the file opens in PowerPoint, Keynote, LibreOffice and
Google Slides alike.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

from .content import Deck, JourneySlides

#: a fixed date in the file's properties and zip entries: the same input gives the same bytes
FIXED_DATE = datetime(2000, 1, 1)
WIDTH_IN, HEIGHT_IN = 13.333, 7.5
MARGIN_IN = 0.5
#: (line colour, dash) per series, as the SVG curve draws them: readable without colour too
SERIES_STYLE = {0: ("1F5FA8", "dash"), 1: ("B3261E", "solid"), 2: ("2E7D32", "round_dot")}
STATUS_COLOUR = {"met": "2E7D32", "missed": "B3261E", "no_data": "595959"}


def write_deck(deck: Deck, scale: dict[str, tuple[float, float]]) -> bytes:
    """The .pptx bytes of ``deck``; ``scale``: journey id -> (low, high) of its emotion scale."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(WIDTH_IN), Inches(HEIGHT_IN)
    writer = _Writer(prs, deck)
    writer.title_slide()
    for journey in deck.journeys:
        writer.curve_slide(journey, scale.get(journey.id))
        writer.moments_and_kpis_slide(journey)
        writer.plan_slide(journey)
    core = prs.core_properties
    core.title = deck.title
    core.subject = deck.subtitle
    core.author = core.last_modified_by = "JourneyQL"
    core.language = deck.locale
    core.revision = 1
    core.created = core.modified = FIXED_DATE
    core.last_printed = FIXED_DATE
    buffer = io.BytesIO()
    prs.save(buffer)
    return _deterministic_zip(buffer.getvalue())


_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _deterministic_zip(data: bytes) -> bytes:
    """The same archive with every entry dated FIXED_DATE: python-pptx stamps the time of writing on
    the zip entries, and XlsxWriter on the workbook each chart embeds (its numbers) and its properties."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.endswith(".xlsx"):
                content = _deterministic_zip(content)
            elif info.filename.endswith("core.xml"):
                content = _STAMP.sub(rb"\g<1>" + FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>",
                                     content)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_DATE.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return out.getvalue()


class _Writer:
    def __init__(self, prs, deck: Deck):
        self.prs = prs
        self.deck = deck
        self.t = deck.words

    # --- pieces --------------------------------------------------------------------------------

    def _slide(self, title: str):
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[5])  # "Title Only"
        slide.shapes.title.text = title
        self._fit_title(slide)
        return slide

    def _fit_title(self, slide) -> None:
        from pptx.util import Inches, Pt

        shape = slide.shapes.title
        shape.left, shape.top = Inches(MARGIN_IN), Inches(0.3)
        shape.width, shape.height = Inches(WIDTH_IN - 2 * MARGIN_IN), Inches(0.9)
        for paragraph in shape.text_frame.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(30)

    def _text_box(self, slide, left, top, width, height, lines, size=16):
        from pptx.util import Inches, Pt

        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        frame = box.text_frame
        frame.word_wrap = True
        for index, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            parts = line if isinstance(line, tuple) else (("", line),)
            for bold, text in parts:
                run = paragraph.add_run()
                run.text = text
                run.font.size = Pt(size)
                run.font.bold = bool(bold)
            paragraph.space_after = Pt(6)
        return box

    def _table(self, slide, left, top, header, rows, widths, colours=None):
        from pptx.dml.color import RGBColor
        from pptx.util import Inches, Pt

        shape = slide.shapes.add_table(len(rows) + 1, len(header), Inches(left), Inches(top),
                                       Inches(sum(widths)), Inches(0.4 * (len(rows) + 1)))
        table = shape.table
        for column, width in enumerate(widths):
            table.columns[column].width = Inches(width)
        for r, row in enumerate([header, *rows]):
            for c, value in enumerate(row):
                cell = table.cell(r, c)
                cell.text = value
                for paragraph in cell.text_frame.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(14)
                        if colours and r > 0 and colours[r - 1].get(c):
                            run.font.color.rgb = RGBColor.from_string(colours[r - 1][c])
                            run.font.bold = True
        return table

    # --- slides --------------------------------------------------------------------------------

    def title_slide(self) -> None:
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[0])
        slide.shapes.title.text = self.deck.title
        slide.placeholders[1].text = self.deck.subtitle

    def curve_slide(self, journey: JourneySlides, scale) -> None:
        from pptx.chart.data import CategoryChartData
        from pptx.dml.color import RGBColor
        from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
        from pptx.enum.dml import MSO_LINE_DASH_STYLE
        from pptx.util import Inches, Pt

        slide = self._slide(f"{journey.label}: {self.t['curve']}")
        data = CategoryChartData(number_format="0.0")
        data.categories = list(journey.steps)
        for series in journey.series:
            data.add_series(series.name, list(series.values))
        top = 1.3
        height = HEIGHT_IN - top - (0.9 if not journey.measured else 0.4)
        frame = slide.shapes.add_chart(XL_CHART_TYPE.LINE, Inches(MARGIN_IN), Inches(top),
                                       Inches(WIDTH_IN - 2 * MARGIN_IN), Inches(height), data)
        chart = frame.chart
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.font.size = Pt(12)
        axis = chart.value_axis
        if scale is not None:
            axis.minimum_scale, axis.maximum_scale = scale
        axis.has_major_gridlines = True
        dashes = {"dash": MSO_LINE_DASH_STYLE.DASH, "solid": MSO_LINE_DASH_STYLE.SOLID,
                  "round_dot": MSO_LINE_DASH_STYLE.ROUND_DOT}
        for index, plot_series in enumerate(chart.plots[0].series):
            colour, dash = SERIES_STYLE[index % len(SERIES_STYLE)]
            plot_series.format.line.color.rgb = RGBColor.from_string(colour)
            plot_series.format.line.width = Pt(2.5)
            plot_series.format.line.dash_style = dashes[dash]
            plot_series.smooth = False
        if not journey.measured:
            self._text_box(slide, MARGIN_IN, HEIGHT_IN - 0.85, WIDTH_IN - 2 * MARGIN_IN, 0.5,
                           [self.t["no_measured"]], size=14)

    def moments_and_kpis_slide(self, journey: JourneySlides) -> None:
        slide = self._slide(f"{journey.label}: {self.t['moments']} \u00b7 {self.t['kpis']}")
        lines = [((True, f"{m.polarity} \u2013 {m.where}"),
                  (False, (f": {m.text}" if m.text else "") + f" ({self.t['owner']}: {m.owner})"))
                 for m in journey.moments] or [self.t["no_moments"]]
        self._text_box(slide, MARGIN_IN, 1.3, 5.6, HEIGHT_IN - 1.8, lines, size=14)
        if journey.kpis:
            header = [self.t["kpi"], self.t["measured_value"], self.t["status"]]
            rows = [[k.text, k.measured, k.status_text] for k in journey.kpis]
            colours = [{2: STATUS_COLOUR[k.status]} for k in journey.kpis]
            self._table(slide, 6.3, 1.3, header, rows, [3.73, 1.3, 1.5], colours)
        else:
            self._text_box(slide, 6.3, 1.3, WIDTH_IN - 6.3 - MARGIN_IN, 1, [self.t["no_kpis"]], size=14)

    def plan_slide(self, journey: JourneySlides) -> None:
        slide = self._slide(f"{journey.label}: {self.t['plan']}")
        if journey.plan is None:
            self._text_box(slide, MARGIN_IN, 1.3, WIDTH_IN - 2 * MARGIN_IN, 1, [self.t["no_plan"]])
        elif not journey.plan:
            self._text_box(slide, MARGIN_IN, 1.3, WIDTH_IN - 2 * MARGIN_IN, 1, [self.t["empty_plan"]])
        else:
            header = [self.t["improvement"], self.t["owner"].capitalize(), self.t["horizon"], self.t["case"]]
            rows = [[p.title, p.owner, p.horizon, p.case] for p in journey.plan]
            self._table(slide, MARGIN_IN, 1.3, header, rows, [5.8, 2.3, 2.0, 2.2])

