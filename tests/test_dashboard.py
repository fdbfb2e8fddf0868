"""The site opens on a dashboard a board understands, and lists its downloads by kind with human names.

Built from the Dutch/English energy example: the KPI rows, moments of truth and top improvements
are compared with the spec, the response CSV (means computed here) and the plan's own JSON.
"""

from __future__ import annotations

import csv
import json
import re
import statistics
from pathlib import Path

import pytest

import journeyql
from journeyql.cli import main
from test_site import Page

ROOT = Path(__file__).resolve().parent.parent
ENERGIE = ROOT / "specs" / "energie-verhuizen"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dashboard")
    assert main(["render", str(ENERGIE), "--to", "emotion-curve,plan,markdown,site", "-o", str(out), "--force"]) == 0
    return out


def section(html: str, ident: str) -> str:
    start = html.index(f'<section id="{ident}">')
    return html[start:html.index("</section>", start)]


def cells(html: str) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)] for r in rows]


def test_the_dashboard_comes_first_with_the_curve_of_each_journey(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    assert html.index('id="dashboard"') < html.index('id="organisations"') < html.index('id="journeys"')
    board = section(html, "dashboard")
    assert 'src="emotion-curve/verhuizen.svg"' in board
    english = section((site / "en" / "index.html").read_text(encoding="utf-8"), "dashboard")
    assert 'src="../emotion-curve/verhuizen.en.svg"' in english and "At a glance" in english


def test_kpis_read_as_words_with_the_measured_value(site):
    board = section((site / "index.html").read_text(encoding="utf-8"), "dashboard")
    rows = cells(board[board.index('class="kpis"'):board.index("</table>", board.index('class="kpis"'))])
    assert rows[0] == ["Doel", "Gemeten", "Status"]
    workspace = journeyql.load(ENERGIE)
    kpis = [k for m in workspace.measurements if m.journey == "verhuizen" for k in m.kpis]
    assert len(rows) - 1 == len(kpis)
    for code in ("valence", "negative_share", "ces", ">=", "<="):
        assert not any(code in row[0] for row in rows[1:]), code
    with (ENERGIE / "responses" / "verhuizen-2.csv").open(encoding="utf-8") as handle:
        form = [float(r["value"]) for r in csv.DictReader(handle)
                if r["touchpoint"] == "verhuisformulier" and r["item"] == "valence"]
    mean = statistics.fmean(form)
    [row] = [r for r in rows if r[0].startswith("Online verhuisformulier: gemiddelde emotie \u2265 1")]
    assert row[1] == f"{mean:.1f}".replace(".", ",")
    assert row[2] == ("gehaald" if mean >= 1 else "niet gehaald")


def test_moments_of_truth_with_their_owners(site):
    board = section((site / "index.html").read_text(encoding="utf-8"), "dashboard")
    items = re.findall(r"<li>(.*?)</li>", board[board.index('class="moments"'):], re.S)
    workspace = journeyql.load(ENERGIE)
    journey = workspace.journeys[0]
    touchpoints = [t for t in journey.touchpoints if t.moment]
    steps = [s for s in journey.steps if s.moment]
    assert len([i for i in items if "eigenaar" in i]) == len(touchpoints) + len(steps)
    for touchpoint in touchpoints:
        owner = workspace.get(touchpoint.owner).text("label", "nl")
        assert any(touchpoint.text("label", "nl") in i and f"(eigenaar: {owner})" in i for i in items), touchpoint.id


def test_the_top_improvements_are_the_plans_own_with_their_business_case(site):
    board = section((site / "index.html").read_text(encoding="utf-8"), "dashboard")
    rows = cells(board[board.index('class="plan-top"'):])
    items = [i for i in json.loads((site / "plan" / "plan.json").read_text(encoding="utf-8"))["items"]
             if "verhuizen" in i["journeys"]][:3]
    assert [r[0] for r in rows[1:]] == [i["title"]["nl"] for i in items]
    for row, item in zip(rows[1:], items):
        expected = ", ".join(f"{c} {round(a):,}".replace(",", ".") for c, a in sorted(item["business_case"]["per_year"].items()))
        assert row[3] == expected


def test_without_the_plan_the_dashboard_says_so(tmp_path):
    assert main(["render", str(ENERGIE), "--to", "site", "-o", str(tmp_path), "--force"]) == 0
    board = section((tmp_path / "index.html").read_text(encoding="utf-8"), "dashboard")
    assert "Het verbeterplan is in deze build niet gemaakt." in board


def test_downloads_by_kind_with_human_names_on_their_own_page(site):
    index = Page(site / "index.html")
    page = Page(site / "downloads.html")
    made = {json_file["path"] for json_file in json.loads((site / "manifest.json").read_text())["files"]
            if json_file["renderer"] != "site"}
    linked = page.targets(site)
    for other in sorted(site.glob("*/downloads.html")):  # each language's page lists the files in its language
        linked |= Page(other).targets(site)
    assert made <= linked  # every file of the build, on a downloads page
    assert not {"plan/plan.csv", "journeys.md"} & index.targets(site)  # no longer a list on the index
    html = (site / "downloads.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', html[html.index("<main"):])
    names = {href: text for href, text in links}
    assert names["emotion-curve/verhuizen.svg"] == "Verhuizen: afbeelding (SVG)"
    english = (site / "en" / "downloads.html").read_text(encoding="utf-8")
    assert '<a href="../emotion-curve/verhuizen.en.svg">Moving house: picture (SVG), English</a>' in english
    assert names["plan/plan.csv"] == "De hele werkruimte: spreadsheet (CSV)"
    assert names["plan/stroomwerk.nl.html"] == "Stroomwerk Energie: webpagina, Nederlands"
    assert not [t for h, t in links if t == h]  # a human name, never the bare path
    kinds = re.findall(r"<h2>([^<]+)</h2>", html)
    assert {"Emotiecurves", "Verbeterplannen", "Teksten (Markdown)"} <= set(kinds) and kinds == sorted(kinds)
