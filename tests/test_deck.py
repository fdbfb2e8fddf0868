"""The board deck (`--to pptx`): opened with python-pptx, its charts checked against the answers.

The measured line of each curve is compared with means computed here straight from the response
CSV (csv module, no JourneyQL analysis), the expected line with the spec's numbers, and every
text with the words of the deck's locale.
"""

from __future__ import annotations

import csv
import statistics
from collections import defaultdict
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

import journeyql
from journeyql.cli import main

ROOT = Path(__file__).resolve().parent.parent
ENERGIE = ROOT / "specs" / "energie-verhuizen"
SHOW_N = 5  # below this many answers a figure is shown nowhere (docs/analysis.md)


def slides_text(deck) -> str:
    parts = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
            if shape.has_chart:
                plot = shape.chart.plots[0]
                parts += [str(c) for c in plot.categories] + [s.name for s in plot.series]
    return "\n".join(parts)


def charts(deck) -> list:
    return [shape.chart for slide in deck.slides for shape in slide.shapes if shape.has_chart]


@pytest.fixture(scope="module")
def energie_decks(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("deck")
    assert main(["render", str(ENERGIE), "--to", "plan,pptx", "-o", str(out), "--force"]) == 0
    return {locale: out / "deck" / f"roadmap.{locale}.pptx" for locale in ("nl", "en")}


def step_means_from_csv(workspace, path: Path) -> dict[str, float]:
    """Mean valence per step key, all answers of its touchpoints pooled, from the raw CSV."""
    step_of = {}
    for journey in workspace.journeys:
        for step in journey.steps:
            for touchpoint in step.touchpoints:
                step_of[(journey.id, touchpoint.id)] = step.key
    answers = defaultdict(list)
    respondents = defaultdict(set)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = step_of.get((row["journey"], row["touchpoint"]))
            if key is None:
                continue
            respondents[key].add(row["respondent_id"])
            if row["item"] == "valence":
                answers[key].append(float(row["value"]))
    return {key: statistics.fmean(values) for key, values in answers.items() if len(respondents[key]) >= SHOW_N}


def test_a_deck_per_locale_with_a_native_line_chart_per_journey(energie_decks):
    workspace = journeyql.load(ENERGIE)
    journeys = [j for j in workspace.journeys if j.steps]
    for locale, path in energie_decks.items():
        deck = Presentation(str(path))
        assert len(deck.slides) == 1 + 3 * len(journeys)
        found = charts(deck)
        assert [c.chart_type for c in found] == [XL_CHART_TYPE.LINE] * len(journeys)
        for chart, journey in zip(found, journeys):
            steps = [s for stage in journey.stages for s in stage.steps]
            plot = chart.plots[0]
            assert list(plot.categories) == [s.text("label", locale) or s.id for s in steps]
            series = {s.name: list(s.values) for s in plot.series}
            expected_name = {"nl": "Verwacht", "en": "Expected"}[locale]
            assert series[expected_name] == [s.expected.score if s.expected else None for s in steps]


def test_the_measured_line_carries_the_means_of_the_answers(energie_decks):
    workspace = journeyql.load(ENERGIE)
    means = step_means_from_csv(workspace, ENERGIE / "responses" / "verhuizen-2.csv")
    assert len(means) >= 5
    checked = 0
    for locale, path in energie_decks.items():
        name = {"nl": "Gemeten", "en": "Measured"}[locale]
        for chart, journey in zip(charts(Presentation(str(path))), [j for j in workspace.journeys if j.steps]):
            steps = [s for stage in journey.stages for s in stage.steps]
            [measured] = [list(s.values) for s in chart.plots[0].series if s.name == name]
            for step, value in zip(steps, measured):
                if step.key in means:
                    assert value == pytest.approx(means[step.key], abs=1e-6), step.key
                    checked += 1
                else:
                    assert value is None, step.key
    assert checked >= 10


def test_kpis_and_moments_of_truth_are_in_the_decks_language(energie_decks):
    nl = slides_text(Presentation(str(energie_decks["nl"])))
    en = slides_text(Presentation(str(energie_decks["en"])))
    for word in ("Klantbelevingsroadmap", "Emotiecurve", "Momenten van de waarheid", "Top van het verbeterplan",
                 "gemiddelde emotie", "niet gehaald", "eigenaar: Team Online", "Businesscase per jaar"):
        assert word in nl, word
    for word in ("Customer experience roadmap", "Emotional curve", "Moments of truth", "Top of the plan",
                 "mean emotion", "missed", "owner:", "Business case per year"):
        assert word in en, word
    for deck_text, other in ((nl, ("Emotional curve", "Expected", "Measured", "missed", "Top of the plan")),
                             (en, ("Emotiecurve", "Verwacht", "Gemeten", "niet gehaald", "verbeterplan"))):
        assert not [w for w in other if w in deck_text]
    # no metric codes or operators as code: a board reads words
    for code in ("negative_share", "valence", "ces_mean", ">=", "<="):
        assert code not in nl and code not in en, code


def test_the_kpi_row_shows_the_measured_mean(energie_decks):
    workspace = journeyql.load(ENERGIE)
    tp = next(t for j in workspace.journeys for t in j.touchpoints if t.id == "verhuisformulier")
    values = []
    with (ENERGIE / "responses" / "verhuizen-2.csv").open(encoding="utf-8") as handle:
        values = [float(r["value"]) for r in csv.DictReader(handle)
                  if r["touchpoint"] == tp.id and r["item"] == "valence"]
    mean = statistics.fmean(values)
    rows = [[c.text for c in row.cells] for slide in Presentation(str(energie_decks["en"])).slides
            for shape in slide.shapes if shape.has_table for row in shape.table.rows]
    [row] = [r for r in rows if r[0].startswith(tp.text("label", "en") + ": mean emotion")]
    assert row[1] == f"{mean:.1f}"
    assert row[2] == ("met" if mean >= 1 else "missed")


def test_the_plan_slide_lists_the_plans_top_in_its_order(energie_decks, tmp_path):
    import json

    out = energie_decks["nl"].parent.parent
    items = json.loads((out / "plan" / "plan.json").read_text(encoding="utf-8"))["items"]
    deck = Presentation(str(energie_decks["nl"]))
    tables = [shape.table for slide in deck.slides for shape in slide.shapes if shape.has_table]
    plan_table = next(t for t in tables if t.cell(0, 0).text == "Verbetering")
    titles = [row.cells[0].text for row in list(plan_table.rows)[1:]]
    journey = journeyql.load(ENERGIE).journeys[0]
    assert titles == [i["title"]["nl"] for i in items if journey.id in i["journeys"]][:5]


def test_same_input_same_bytes_and_no_plan_says_how_to_get_it(tmp_path):
    runs = []
    for name in ("a", "b"):
        assert main(["render", str(ENERGIE), "--to", "pptx", "-o", str(tmp_path / name), "--force"]) == 0
        runs.append((tmp_path / name / "deck" / "roadmap.en.pptx").read_bytes())
    assert runs[0] == runs[1]
    text = slides_text(Presentation(str(tmp_path / "a" / "deck" / "roadmap.en.pptx")))
    assert "--to plan,pptx" in text


def test_a_journey_without_results_has_only_the_expected_line(tmp_path):
    spec = tmp_path / "ws"
    spec.mkdir()
    (spec / "s.jql").write_text('journey j "J" {\n  stage s "S" {\n    step a "A" { expected -1 }\n'
                                '    step b "B" { expected 2 }\n  }\n}\n', encoding="utf-8")
    assert main(["render", str(spec), "--to", "pptx", "-o", str(tmp_path / "out"), "--force"]) == 0
    deck = Presentation(str(tmp_path / "out" / "deck" / "roadmap.en.pptx"))
    [chart] = charts(deck)
    assert [(s.name, list(s.values)) for s in chart.plots[0].series] == [("Expected", [-1.0, 2.0])]
    assert "No measurements yet" in slides_text(deck)
