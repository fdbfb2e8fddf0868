"""The site's trend view per journey: small multiples per touchpoint and the latest wave's curve against the
previous one. The numbers on the page and in the charts are the analysis's; the charts render in chromium
without a text overlapping another, and the page has no console error and no external request."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from browser import check_pages, open_browser
from journeyql.cli import main
from test_waves import W1, W2, workspace

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("trend")
    root = workspace(tmp, {"w1": W1, "w2": W2})
    out = tmp / "out"
    assert main(["render", str(root), "--to", "emotion-curve,site", "-o", str(out)]) == 0
    report = tmp / "report"
    assert main(["analyze", str(root), "-o", str(report)]) == 0
    return out, json.loads((report / "analysis.json").read_text(encoding="utf-8"))


class _Tables(HTMLParser):
    """The rows (header cell, data cells) of every table in the trend section."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.inside = attrs.get("id") == "trend"
        if not self.inside:
            return
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "section":
            self.inside = False
        if self.inside and tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def _two(value) -> str:
    text = f"{value:+.2f}"
    return "0" if text in ("+0.00", "-0.00") else text


def test_the_trend_table_shows_the_analysis_numbers(site):
    out, report = site
    parser = _Tables()
    parser.feed((out / "journeys" / "j.html").read_text(encoding="utf-8"))
    trend, kpis = parser.tables
    assert trend[0] == ["Touchpoint", "W1", "W2", "Change since the previous wave", "95% interval", "Verdict"]
    rows = {row[0]: row[1:] for row in trend[1:]}
    waves = {w["wave"]: w for w in report["waves"]}
    changes = {c["subject"]: c for c in report["changes"] if c["since"] == "previous"}
    for label, key in (("J", "j"), ("T1", "j.t1"), ("T2", "j.t2"), ("T3", "j.t3")):
        level = "journeys" if key == "j" else "touchpoints"
        before, after, change, ci, verdict = rows[label]
        assert before == _two(waves["w1"][level][key]["valence_mean"])
        assert after == _two(waves["w2"][level][key]["valence_mean"])
        assert change == _two(changes[key]["change"])
        low_high = changes[key]["ci"]
        assert ci == ("" if low_high is None else f"[{low_high[0]:.2f}, {low_high[1]:.2f}]".replace("-0.00", "0"))
    assert rows["T1"][4] == "\u25b2 improved"
    assert rows["T2"][4] == "= no significant change"
    assert rows["T3"][4] == "? not enough data"
    # KPI status per wave: t1 >= 0 missed at -1 in w1, met at 0 in w2
    assert kpis[1] == ["T1: Feeling ≥ 0", "-1.00 (missed)", "0 (met)"]


def _svg(path) -> ET.Element:
    return ET.fromstring(path.read_bytes())


def test_small_multiples_plot_the_wave_means(site):
    out, report = site
    svg = _svg(out / "emotion-curve" / "trends" / "j.svg")
    panels = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "panel"]
    titles = [p.find(f"{SVG}title").text for p in panels]
    assert titles == ["J", "T1", "T2", "T3"]
    waves = report["waves"]
    for panel, (level, key) in zip(panels, [("journeys", "j"), ("touchpoints", "j.t1"), ("touchpoints", "j.t2"),
                                            ("touchpoints", "j.t3")]):
        plotted = {int(g.get("data-wave")): float(g.get("data-value")) for g in panel.iter(f"{SVG}g")
                   if g.get("class") == "point"}
        expected = {i: w[level][key]["valence_mean"] for i, w in enumerate(waves)}
        assert plotted == pytest.approx(expected, abs=1e-4)
    status = {p.find(f"{SVG}title").text: next(t for t in p.iter(f"{SVG}text") if (t.get("class") or "")
                                                 .startswith("status")).text for p in panels}
    assert status["T1"].startswith("\u25b2 improved") and status["T3"].startswith("? not enough data")


def test_the_latest_wave_against_the_previous_one(site):
    out, report = site
    svg = _svg(out / "emotion-curve" / "waves" / "j.svg")
    groups = {g.get("class"): g for g in svg.iter(f"{SVG}g") if (g.get("class") or "").startswith("series")}
    assert set(groups) == {"series series-previous", "series series-measured"}
    for name, wave in (("previous", report["waves"][0]), ("measured", report["waves"][1])):
        tips = [t.text for t in groups[f"series series-{name}"].iter(f"{SVG}title")]
        for step, label in (("j.a", "A"), ("j.b", "B")):
            mean = wave["steps"][step]["valence_mean"]
            shown = f"{mean:+.2f}".rstrip("0").rstrip(".") if round(mean, 2) != 0 else "0"
            assert any(tip.startswith(f"{label}: ") and shown in tip for tip in tips), (name, step, shown, tips)
    # the two series read without colour: their own dash pattern and marker, named by the waves' labels
    legend = "".join(svg.find(f".//{SVG}g[@class='legend']").itertext())
    assert "W1" in legend and "W2" in legend


OVERLAPS = """() => {
  const svg = document.querySelector('svg');
  const origin = svg.getBoundingClientRect();
  const boxes = Array.from(document.querySelectorAll('text')).filter(t => t.textContent.trim())
    .map(t => { const b = t.getBoundingClientRect();  // transformed (a rotated axis title) boxes too
                return {text: t.textContent, x: b.x - origin.x, y: b.y - origin.y, w: b.width, h: b.height}; });
  const width = svg.viewBox.baseVal.width, height = svg.viewBox.baseVal.height;
  const found = [];
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i];
    if (a.x < 0 || a.y < 0 || a.x + a.w > width + 0.5 || a.y + a.h > height + 0.5) found.push('outside: ' + a.text);
    for (let j = i + 1; j < boxes.length; j++) {
      const b = boxes[j];
      const dx = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
      const dy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
      if (dx > 1 && dy > 1) found.push(a.text + ' / ' + b.text);
    }
  }
  return found;
}"""


@pytest.mark.parametrize("chart", ["trends", "waves"])
def test_the_charts_render_without_overlapping_text(site, chart):
    out, _ = site
    with open_browser() as browser:
        page = browser.new_page()
        page.goto((out / "emotion-curve" / chart / "j.svg").as_uri())
        assert page.evaluate(OVERLAPS) == []
        page.close()


def test_the_journey_page_is_clean_in_chromium(site):
    out, _ = site
    with open_browser() as browser:
        [report] = check_pages(browser, [out / "journeys" / "j.html"])
    assert report.clean, report.summary()
    assert report.images >= 3  # the curve, the small multiples and the two waves' curve
    assert "Trend over the measurement waves" in report.text


def test_no_trend_section_with_one_wave(tmp_path):
    root = workspace(tmp_path, {"w1": W1})
    out = tmp_path / "out"
    assert main(["render", str(root), "--to", "emotion-curve,site", "-o", str(out)]) == 0
    assert 'id="trend"' not in (out / "journeys" / "j.html").read_text(encoding="utf-8")
    assert not (out / "emotion-curve" / "trends").exists()


def test_the_overlap_check_finds_an_overlap(tmp_path):
    svg = tmp_path / "overlap.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">'
                   '<text x="10" y="50">first label</text><text x="30" y="52">second</text>'
                   '<text x="150" y="95">outside the edge</text></svg>', encoding="utf-8")
    with open_browser() as browser:
        page = browser.new_page()
        page.goto(svg.as_uri())
        found = page.evaluate(OVERLAPS)
    assert "first label / second" in found and "outside: outside the edge" in found
