"""`analyze --format markdown` and `--format html` show the shared journey's benchmark: per step and
touchpoint the sector mean with its interval, every organisation's score and difference against the rest,
and the verdict in words. The data and its hand computation are test_benchmark.py's (docs/analysis.md,
"A shared journey, step by step"): at step x a = 2.583, b = -0.333, c = 0.500, sector 16.5 / 18 = 0.917;
a is higher and b lower (supported), c's -0.63 is not; at y c has 3 respondents: not enough data."""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from journeyql.cli import main
from test_benchmark import REPORT_N, SHOW_N, SPEC, rows


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bench") / "ws"
    (root / "responses").mkdir(parents=True)
    (root / "spec.jql").write_text(SPEC + 'measurement m {\n  journey j\n  valence { scale -3..3  question "How?" }\n'
                                   '  sample t1, t2, u\n  data "responses/answers.csv"\n}\n', encoding="utf-8")
    with (root / "responses" / "answers.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["respondent_id", "journey", "touchpoint", "item", "value", "timestamp", "persona",
                      "organisation"])
        for rid, journey, touchpoint, item, value, organisation in rows():
            out.writerow([rid, journey, touchpoint, item, value, "", "p", organisation])
    (root / "journeyql.toml").write_text(f"[analysis]\nreport_n = {REPORT_N}\nshow_n = {SHOW_N}\n", encoding="utf-8")
    return root


def _markdown(workspace, tmp_path, capsys, *extra) -> str:
    assert main(["analyze", str(workspace), "--cache-dir", str(tmp_path / "cache"), "--format", "markdown",
                 *extra]) == 0
    return capsys.readouterr().out.replace("\\[", "[").replace("\\]", "]")


def _table(text: str, title: str) -> dict[str, list[str]]:
    """The rows of the Markdown table under ``title``, by their first cell."""
    part = text.split(title, 1)[1].split("\n#", 1)[0]
    lines = [line for line in part.splitlines() if line.startswith("|") and not line.startswith("|---")]
    return {cells[0]: cells[1:] for cells in ([c.strip() for c in line.strip("|").split(" | ")] for line in lines)}


def test_markdown_per_step_and_touchpoint_with_the_verdicts_in_words(workspace, tmp_path, capsys):
    text = _markdown(workspace, tmp_path, capsys)
    steps = _table(text, "Benchmark of the organisations sharing this journey: steps")
    assert steps["Step"] == ["Sector mean (95% CI)", "A", "B", "C", "Best / worst"]
    sector, a, b, c, best = steps["X"]
    assert sector.startswith("0.92 [")  # 16.5 / 18
    assert a.startswith("2.58 [") and "n=6; +2.50 against the rest" in a
    assert a.endswith(": higher than the rest of the sector (supported)")
    assert b.startswith("-0.33 [") and "-1.88 against the rest" in b
    assert b.endswith(": lower than the rest of the sector (supported)")
    assert "-0.62 against the rest" in c or "-0.63 against the rest" in c  # 0.5 - 1.125
    assert c.endswith(": not different from the rest (no supported difference)")
    assert best == "A / B"
    assert steps["Y"][3].endswith("(n=3; -3.17 against the rest): not enough data")
    assert steps["Y"][1].endswith("not different from the rest (no supported difference)")
    touchpoints = _table(text, "Benchmark of the organisations sharing this journey: touchpoints")
    assert set(touchpoints) == {"Touchpoint", "T1", "T2", "U"}
    assert "Holm-corrected over all organisations and steps of the journey together (α = 0.05)" in text


def test_markdown_in_dutch(workspace, tmp_path, capsys):
    text = _markdown(workspace, tmp_path, capsys, "--locale", "nl")
    steps = _table(text, "Benchmark van de organisaties die deze klantreis delen: stappen")
    assert steps["X"][1].endswith(": hoger dan de rest van de sector (onderbouwd)")
    assert steps["X"][1].startswith("2,58 [")  # Dutch decimals
    assert steps["Y"][3].endswith(": te weinig data")


class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append("".join(self.cell))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def test_html_has_the_same_tables_and_opens_clean_in_chromium(workspace, tmp_path):
    from browser import check_pages, open_browser

    out = tmp_path / "report"
    assert main(["analyze", str(workspace), "--cache-dir", str(tmp_path / "cache"), "--format", "html",
                 "-o", str(out)]) == 0
    page = out / "analysis.html"
    parser = _Cells()
    parser.feed(page.read_text(encoding="utf-8"))
    steps = next(t for t in parser.tables if t[0][:2] == ["Step", "Sector mean (95% CI)"])
    x = next(row for row in steps if row[0] == "X")
    assert x[2].endswith("higher than the rest of the sector (supported)") and x[5] == "A / B"
    assert not re.search(r"<script|https?://|<link", page.read_text(encoding="utf-8"))
    with open_browser() as browser:
        [report] = check_pages(browser, [page])
    assert report.clean, report.summary()
    assert "lower than the rest of the sector (supported)" in report.text


def test_no_benchmark_section_for_a_journey_of_one_organisation(tmp_path, capsys):
    from test_waves import W1, workspace as waves

    assert main(["analyze", str(waves(tmp_path, {"w1": W1})), "--cache-dir", str(tmp_path / "c"),
                 "--format", "markdown"]) == 0
    assert "sharing this journey" not in capsys.readouterr().out
