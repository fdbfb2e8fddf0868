"""The `plan` renderer: the priority formula, quadrants, business case, suggestions, owners,
re-measurement, outputs checked by their consumers (csv, openpyxl, a real browser) and golden files.

Regenerate the golden files after an intended change with
``JOURNEYQL_UPDATE_GOLDEN=1 python -m pytest tests/test_plan.py`` and review the diff.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest

import journeyql.host.testing
import journeyql_plan
from journeyql.language.formatter import quote
from journeyql.host.rendering import OptionsError
from journeyql.measure.results import Driver, Metrics, Results
from journeyql_plan.outputs import csv_cell, md
from journeyql_plan.priority import (horizon_from_effort, impact_from_driver, impact_from_gap, priority,
                                     quadrant)

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"
GOLDEN = Path(__file__).parent / "golden_plan"
WORKSPACES = sorted(p.parent.name for p in SPECS.glob("*/journeyql.toml"))

BASE = '''
stakeholder ops "Operations" { kind internal }
stakeholder care "Care" { kind internal }
channel web "Web" { kind web }
channel phone "Phone" { kind phone }
persona p "P" { prefers web }
'''

# A journey of 10,000 customers a year; the form reaches 50% of them.
MODEL_SPEC = BASE + '''
journey j "J" {
  personas p
  VOLUME
  stage s "S" {
    step a "A" {
      touchpoint form "Form" { channel web  owner ops  reach 50% }
      expected 0
      target 2
    }
  }
}
model cx "CX" {
  element layout "Form layout" { at form }
  emotion irritation "Irritation" { valence negative }
  behaviour call_again "Calls again" {}
  impact call_cost "Cost of a call" {
    amount 5 EUR
    per call
  }
  link layout -> irritation { rate 40% }
  link irritation -> call_again -> call_cost { rate 25% }
}
improvement better_form "Better form" {
  changes form
  effort 2
  impact 4
  confidence 75%
  owner ops
  horizon quick_win
  kpi form.valence >= 1
}
'''


def plan(spec, *, results=None, options=None, config=None, files=None):
    result = journeyql.host.testing.render(spec, "plan", plugins=[journeyql_plan], installed=False, results=results,
                                      options=options, config=config, files=files)
    assert result.ok, result.message
    return result


def items_by_id(result) -> dict:
    return {item["id"]: item for item in json.loads(result.text("plan/plan.json"))["items"]}


# --- the formula -------------------------------------------------------------------------------

def test_priority_formula_on_hand_worked_cases():
    # 62,400 customers x impact 4 x 80% / effort 1 = 249,600 x 0.8 = 199,680
    assert priority(62400, 4, 80, 1) == pytest.approx(199680)
    # 96,000 x 3 x 50% / 4 = 288,000 x 0.5 / 4 = 36,000
    assert priority(96000, 3, 50, 4) == pytest.approx(36000)
    # without a volume reach is a share: 0.65 x 4 x 80% / 1 = 2.08
    assert priority(0.65, 4, 80, 1) == pytest.approx(2.08)
    # zero confidence: nothing to gain
    assert priority(1000, 5, 0, 1) == 0


def test_priority_in_the_rendered_plan():
    result = plan(MODEL_SPEC.replace("VOLUME", "volume 10000"))
    item = items_by_id(result)["better_form"]
    # reach = 10,000 x 50% = 5,000; 5,000 x 4 x 75% / 2 = 20,000 x 0.75 / 2 = 7,500
    assert item["reach"] == {"share": 0.5, "customers_per_year": 5000.0, "origin": "declared"}
    assert item["priority"] == pytest.approx(7500)
    assert item["quadrant"] == "quick_win"
    page = result.text("plan/j.en.md")
    assert "5,000 × 4 × 75% / 2 = 7,500" in page
    assert "| 1 | Better form | declared improvement | quick win | quick win | Operations | 7,500 | 5,000 (50%) |" \
        in page
    quick_wins = page.split("### quick win\n", 1)[1].split("###", 1)[0]
    assert "- Better form\n" in quick_wins              # its horizon, a quick win too, is not said twice
    html = result.text("plan/j.en.html")
    assert '<td class="num">7,500</td>' in html and "<li>Better form</li>" in html


def test_a_workspace_template_restyles_the_plan():
    result = plan(MODEL_SPEC.replace("VOLUME", ""),
                  files={"templates/plan/plan.md.j2": "{{ v.title }} / {% for r in v.rows %}{{ r.id }}{% endfor %}\n"})
    assert result.text("plan/j.en.md") == "Improvement plan: J / better_form\n"


def test_priority_without_volume_uses_the_share():
    item = items_by_id(plan(MODEL_SPEC.replace("VOLUME", "")))["better_form"]
    # 0.5 x 4 x 75% / 2 = 2 x 0.75 / 2 = 0.75
    assert item["priority"] == pytest.approx(0.75)
    assert item["reach"]["customers_per_year"] is None


@pytest.mark.parametrize("impact, effort, expected", [
    (3, 2.99, "quick_win"),       # 3 is the midpoint and counts as high impact
    (3, 3, "major_project"),      # ... and as high effort
    (2.99, 2.99, "fill_in"),
    (2.99, 3, "thankless_task"),
    (5, 1, "quick_win"),
    (1, 5, "thankless_task"),
    (5, 5, "major_project"),
    (1, 1, "fill_in"),
])
def test_quadrant_boundaries(impact, effort, expected):
    assert quadrant(impact, effort) == expected


def test_derived_horizon_and_data_impacts():
    assert [horizon_from_effort(e) for e in (1, 2.99, 3, 3.99, 4, 5)] == \
        ["quick_win", "quick_win", "mid_term", "mid_term", "long_term", "long_term"]
    # scale -3..3: half the range is 3; a gap of -1.5 is half of that: 1 + 4 x 0.5 = 3
    assert impact_from_gap(-1.5, -3, 3) == 3
    assert impact_from_gap(-3, -3, 3) == 5
    assert impact_from_gap(-6, -3, 3) == 5      # capped
    # scale 1..5: half the range is 2; a gap of -0.5 gives 1 + 4 x 0.25 = 2
    assert impact_from_gap(-0.5, 1, 5) == 2
    # relative to the strongest driver: 0.2 / 0.4 = 0.5 -> 1 + 4 x 0.5 = 3
    assert impact_from_driver(0.2, 0.4) == 3
    assert impact_from_driver(0.4, 0.4) == 5


def test_undeclared_fields_get_documented_defaults():
    spec = MODEL_SPEC.replace("VOLUME", "").replace("  effort 2\n  impact 4\n  confidence 75%\n", "") \
        .replace("  horizon quick_win\n", "")
    item = items_by_id(plan(spec))["better_form"]
    assert item["impact"] == {"value": 3.0, "origin": "default"}
    assert item["confidence"] == {"value": 50.0, "origin": "default"}
    assert item["effort"] == {"value": 3.0, "origin": "default"}
    assert item["horizon"] == "mid_term" and item["horizon_origin"] == "derived"
    page = plan(spec).text("plan/j.en.md")
    assert "Better form: impact 3 (default); confidence 50% (default); effort 3 (default)" in page


# --- business case ----------------------------------------------------------------------------

def test_business_case_with_volume_in_euros_per_year():
    result = plan(MODEL_SPEC.replace("VOLUME", "volume 10000"))
    case = items_by_id(result)["better_form"]["business_case"]
    # 10,000 customers x 50% reach = 5,000 meet the form;
    # layout -> irritation 40%, irritation -> call_again -> call_cost 25%: 0.4 x 0.25 = 10%;
    # 5,000 x 10% x EUR 5 per call = EUR 2,500 per year
    assert case["per_year"] == {"EUR": 2500.0}
    assert case["estimate"] is True
    [chain] = case["chains"]
    assert chain["path"] == ["layout", "irritation", "call_again", "call_cost"]
    assert [r["origin"] for r in chain["rates"]] == ["declared", "declared"]
    page = result.text("plan/j.en.md")
    assert "5,000 customers × 10% × EUR 5.00 per call = EUR 2,500 per year (estimate)" in page
    assert "rate Form layout → Irritation: 40% (declared)" in page
    row = next(csv.DictReader(io.StringIO(result.text("plan/plan.csv"))))
    assert row["business_case_per_year"] == "2500" and row["business_case_basis"] == "EUR estimate"


def test_business_case_without_volume_is_per_customer_and_an_estimate():
    result = plan(MODEL_SPEC.replace("VOLUME", ""))
    case = items_by_id(result)["better_form"]["business_case"]
    # no volume: 0.4 x 0.25 x EUR 5 = EUR 0.50 per customer who meets the form
    assert case["per_year"] == {}
    assert case["per_customer_without_volume"] == {"EUR": 0.5}
    page = result.text("plan/j.en.md")
    assert "EUR 0.50 per customer who meets the touchpoint (estimate)" in page
    assert "The journey states no volume" in page
    assert "No measured results: every figure in this plan is an estimate" in page
    row = next(csv.DictReader(io.StringIO(result.text("plan/plan.csv"))))
    assert row["business_case_per_year"] == "" and row["business_case_basis"] == "per customer, no volume"


def test_business_case_assumptions_and_borrowed_unit_value():
    spec = MODEL_SPEC.replace("VOLUME", "volume 10000").replace(
        "  link layout -> irritation { rate 40% }\n",
        "  link layout -> irritation\n  element font \"Small print\" { at form }\n"
        "  emotion doubt \"Doubt\" { valence negative }\n  link font -> doubt -> call_again { rate 10% }\n")
    result = plan(spec)
    case = items_by_id(result)["better_form"]["business_case"]
    chains = {c["element"]: c for c in case["chains"]}
    # font: 5,000 x 10% x EUR 5 = EUR 2,500 (the call's cost comes from the other link)
    assert chains["font"]["per_year"] == 2500.0
    assert chains["font"]["unit_from_link"] == ["irritation", "call_again", "call_cost"]
    # layout: no rate on layout -> irritation: 100% assumed; 5,000 x 100% x 25% x EUR 5 = EUR 6,250
    assert chains["layout"]["per_year"] == 6250.0
    assert chains["layout"]["rates"][0]["origin"] == "assumed"
    page = result.text("plan/j.en.md")
    assert "rate Form layout → Irritation: 100% assumed, no rate declared or measured (an upper bound)" in page
    assert "value per unit taken from the link Irritation → Calls again → Cost of a call" in page


def test_measured_intent_makes_the_figure_measured():
    results = Results(touchpoints={"j.form": Metrics(n=40, intents={"call_again": 0.3})})
    result = plan(MODEL_SPEC.replace("VOLUME", "volume 10000"), results=results)
    case = items_by_id(result)["better_form"]["business_case"]
    # 30% of the respondents at the form intend to call again: 5,000 x 30% x EUR 5 = EUR 7,500
    assert case["per_year"] == {"EUR": 7500.0}
    assert case["estimate"] is False
    assert case["chains"][0]["rates"][-1]["origin"] == "measured"
    assert "EUR 7,500 per year (measured)" in result.text("plan/j.en.md")


# --- suggestions ------------------------------------------------------------------------------

SUGGEST_SPEC = BASE + '''
journey j "J" {
  personas p
  scale -3..3
  stage s "S" {
    step apply "Apply" {
      touchpoint form "Form" { channel web  owner ops  moment negative, "The form loses your input" }
      fail "Upload times out" { touchpoint form }
      expected 1
      target 2
    }
    step call "Call" {
      touchpoint hotline "Hotline" { channel phone }
      wait 30min, "in the queue"
      expected 0
    }
    step letter "Letter" {
      touchpoint mail "Mail" { channel web  owner care }
      expected 1
    }
    step letter2 "Second letter" {
      touchpoint mail2 "Second mail" { channel web  owner care }
      expected 1
    }
  }
}
'''
NO_OWNER_OK = '[rules]\ntouchpoint-owner = "off"\n'


def test_suggestions_from_the_spec_merged_per_touchpoint_and_cause():
    items = items_by_id(plan(SUGGEST_SPEC, config=NO_OWNER_OK))
    # the form's negative moment and its fail point: one row; the hotline's wait (improve it) and its
    # missing owner (name one) are two causes: two rows
    assert set(items) == {"suggest-improve-j.form", "suggest-improve-j.hotline", "suggest-owner-j.hotline"}
    assert all(item["suggestion"] for item in items.values())
    form = items["suggest-improve-j.form"]
    assert form["sources"] == ["moment_negative", "fail_point"] and form["source"] == "moment_negative"
    assert form["touchpoints"] == ["j.form"] and form["owner"] == "ops"
    # impact 4 (both findings' default), confidence 50, effort 3: the strongest, surest and largest
    assert (form["impact"]["value"], form["confidence"]["value"], form["effort"]["value"]) == (4.0, 50.0, 3.0)
    assert items["suggest-improve-j.hotline"]["sources"] == ["wait"]
    assert items["suggest-improve-j.hotline"]["touchpoints"] == ["j.hotline"]
    owner = items["suggest-owner-j.hotline"]
    assert owner["owner"] is None and owner["quadrant"] == "fill_in" and owner["effort"]["value"] == 1.0


def test_suggestions_say_where_they_come_from():
    page = plan(SUGGEST_SPEC, config=NO_OWNER_OK).text("plan/j.en.md")
    assert "Improve Form: negative moment of truth, fail point *(suggestion)*" in page
    assert ("Why: suggestion: negative moment of truth: The form loses your input; fail point: Upload times out"
            in page)
    assert "Shorten the wait of 30min at Call *(suggestion)*" in page
    assert "Why: suggestion: long wait: 30 minutes, in the queue" in page
    assert "Give Hotline an owner *(suggestion)*" in page
    nl = plan(SUGGEST_SPEC, config=NO_OWNER_OK, options={"locale": "nl"}).text("plan/j.nl.md")
    assert "Geef Hotline een eigenaar *(suggestie)*" in nl
    assert "Verbeter Form: negatief moment van de waarheid, faalpunt *(suggestie)*" in nl


TWO_FAILS_SPEC = BASE + '''
journey j "J" {
  personas p
  stage s "S" {
    step apply "Apply" {
      touchpoint form "Form" { channel web  owner ops }
      fail "Upload times out"
      fail "Session expires"
      expected 0
    }
    step renew "Renew" {
      touchpoint form2 "Form" { channel web  owner ops  moment negative, "Lost input" }
      expected 0
    }
    step again "Again" {
      touchpoint form3 "Form" { channel web  owner ops  moment negative, "Lost input again" }
      expected 0
    }
  }
}
'''


def test_same_cause_twice_is_one_row_and_titles_are_unique():
    result = plan(TWO_FAILS_SPEC)
    items = items_by_id(result)
    # two fail points of one step: one row that counts them (they once gave two identical titles)
    fails = items["suggest-improve-j.form"]
    assert fails["sources"] == ["fail_point"] and fails["title"]["en"] == "Remove the 2 fail points at Apply"
    # two touchpoints labelled alike give the same title: told apart by their step
    titles = [item["title"]["en"] for item in items.values()]
    assert sorted(titles) == ["Remove the 2 fail points at Apply",
                              "Turn around the negative moment of truth at Form (Again)",
                              "Turn around the negative moment of truth at Form (Renew)"]
    page = result.text("plan/j.en.md")
    rows = [line.split(" | ")[1] for line in page.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert len(rows) == len(set(rows)) == 3
    assert "Why: suggestion: fail point: Upload times out; fail point: Session expires" in page
    assert "| fail point (2) |" in page


def test_per_owner_lists_name_each_horizon_once():
    spec = SUGGEST_SPEC + ('improvement quick "Quick fix" { changes mail  owner care  effort 1  impact 4 }\n'
                           'improvement quick2 "Another quick fix" { changes mail2  owner care  effort 1  impact 4 }\n'
                           'improvement big "Big rebuild" { changes mail  owner care  horizon long_term }\n')
    page = plan(spec, config=NO_OWNER_OK).text("plan/j.en.md")
    care = page.split("### Care\n", 1)[1].split("###", 1)[0]
    assert care.count("quick win") == 1 and care.count("long term") == 1, care
    assert "- **quick win**\n  - 1. Quick fix\n  - 2. Another quick fix\n- **long term**\n" in care
    html = plan(spec, config=NO_OWNER_OK).text("plan/j.en.html")
    care_html = html.split("<h3>Care</h3>", 1)[1].split("<h3", 1)[0]
    assert care_html.count("quick win") == 1 and care_html.count("long term") == 1, care_html


def test_wait_threshold_and_suggest_options():
    items = items_by_id(plan(SUGGEST_SPEC, config=NO_OWNER_OK, options={"wait_threshold": "1h"}))
    assert "wait" not in {i["source"] for i in items.values()}
    assert items_by_id(plan(SUGGEST_SPEC, config=NO_OWNER_OK, options={"suggest": False})) == {}
    page = plan(SUGGEST_SPEC, config=NO_OWNER_OK, options={"suggest": False}).text("plan/j.en.md")
    assert "Nothing to improve was declared or found." in page


def test_a_bad_wait_threshold_is_an_option_error():
    with pytest.raises(OptionsError, match="wait_threshold"):
        journeyql.host.testing.render(SUGGEST_SPEC, "plan", plugins=[journeyql_plan], installed=False,
                                 config=NO_OWNER_OK, options={"wait_threshold": "soon"})


def test_a_locale_option_that_is_not_a_language_tag_is_an_option_error():
    with pytest.raises(OptionsError, match="locale"):
        journeyql.host.testing.render(SUGGEST_SPEC, "plan", plugins=[journeyql_plan], installed=False,
                                 config=NO_OWNER_OK, options={"locale": "../evil"})


def test_largest_gap_and_strongest_driver_from_results():
    results = Results(
        touchpoints={"j.form": Metrics(n=30, valence_mean=-1.5, expected=1.0, gap=-2.5),
                     "j.mail": Metrics(n=30, valence_mean=0.5, expected=1.0, gap=-0.5),
                     # below expectation, but the expected 1.0 lies inside the 95% interval: could be chance
                     "j.mail2": Metrics(n=30, valence_mean=0.5, expected=1.0, gap=-0.5, valence_ci=(-0.2, 1.2)),
                     "j.hotline": Metrics(n=30, valence_mean=1.0, expected=0.0, gap=1.0)},
        drivers=(Driver("j", "j.mail", 0.45), Driver("j", "j.form", 0.15), Driver("j", "j.hotline", 0.0)),
        sources=("responses/j.csv",))
    result = plan(SUGGEST_SPEC, config=NO_OWNER_OK, results=results)
    items = items_by_id(result)
    form = items["suggest-improve-j.form"]
    assert form["sources"] == ["moment_negative", "fail_point", "gap", "driver"]
    # gap -2.5 on -3..3: 1 + 4 x min(1, 2.5 / 3) = 1 + 3.333 = 4.33, above the moment's default 4 and the
    # driver's 1 + 4 x 0.15 / 0.45 = 2.33: the row's impact, measured; confidence from the data (80)
    assert form["impact"] == {"value": 4.33, "origin": "measured"} and form["source"] == "gap"
    assert form["confidence"] == {"value": 80.0, "origin": "default"}
    mail = items["suggest-improve-j.mail"]
    # below expectation (no interval given): gap -0.5 gives 1 + 4 x 0.5 / 3 = 1.67; the strongest driver 5
    assert mail["sources"] == ["gap", "driver"] and mail["impact"] == {"value": 5.0, "origin": "measured"}
    assert "suggest-improve-j.mail2" not in items        # inside its 95% interval: could be chance
    # better than expected and a driver of weight 0: nothing measured to improve, only the spec's wait
    assert items["suggest-improve-j.hotline"]["sources"] == ["wait"]
    page = result.text("plan/j.en.md")
    assert ("Improve Form: negative moment of truth, fail point, measured emotion below expectation, "
            "strong driver of NPS *(suggestion)*") in page
    assert "measured emotion below expectation: measured -1.50, expected 1; strong driver of NPS: weight 0.15" in page
    assert "Improve Mail: measured emotion below expectation, strong driver of NPS *(suggestion)*" in page
    assert "Measured results from: responses/j.csv" in page


def test_suggestion_already_covered_by_a_declared_improvement():
    spec = SUGGEST_SPEC + 'improvement keep_input "Keep the input" { changes form  owner ops }\n'
    items = items_by_id(plan(spec, config=NO_OWNER_OK))
    assert items["suggest-improve-j.form"]["covered_by"] == ["keep_input"]
    assert "Already addressed by: Keep the input" in plan(spec, config=NO_OWNER_OK).text("plan/j.en.md")


# --- owners, KPIs, re-measurement, initiatives -------------------------------------------------

def test_plan_per_owner_calls_out_the_unowned():
    page = plan(SUGGEST_SPEC, config=NO_OWNER_OK).text("plan/j.en.md")
    owners = page.split("## Per owner", 1)[1].split("## Improvements in detail", 1)[0]
    assert "### Operations" in owners
    unowned = owners.split("### No owner: assign one, or this stays no one's", 1)[1]
    assert "Give Hotline an owner" in unowned and "Shorten the wait" in unowned


def test_kpis_and_remeasurement_plan():
    spec = SUGGEST_SPEC + '''
measurement m "M" {
  journey j
  valence { scale -3..3 }
  ces "Easy?"
  sample form
}
initiative digital "Digital first" { owner ops  status in_progress }
improvement keep_input "Keep the input" {
  changes form
  owner ops
  horizon long_term
  kpi form.ces >= 5
  initiative digital
}
'''
    result = plan(spec, config=NO_OWNER_OK)
    items = items_by_id(result)
    [kpi] = items["keep_input"]["kpis"]
    assert kpi["questions"] == ["t-form-ces"] and kpi["sampled"] is True and kpi["origin"] == "declared"
    assert kpi["remeasure_after_months"] == 12
    # a suggestion gets a suggested KPI: valence at its touchpoint up to the step's target emotion (2)
    [suggested] = items["suggest-improve-j.form"]["kpis"]
    assert (suggested["metric"], suggested["op"], suggested["value"], suggested["origin"]) == \
        ("valence", ">=", 2.0, "suggested")
    # the hotline is sampled by no measurement plan: the plan says so; no target: the scale's midpoint
    [hotline] = items["suggest-improve-j.hotline"]["kpis"]
    assert hotline["sampled"] is False and hotline["value"] == 0 and hotline["questions"] == ["t-hotline-valence"]
    page = result.text("plan/j.en.md")
    assert "Form: Effort (CES) \u2265 5; Survey questions: t-form-ces; When: 12 months after it is live, then every 12 months" \
        in page.replace("\\", "")
    assert "not sampled yet: add it to a measurement's sample" in page
    assert "Running initiatives: Digital first (in progress)" in page
    row = next(r for r in csv.DictReader(io.StringIO(result.text("plan/plan.csv"))) if r["id"] == "keep_input")
    assert row["kpis"] == "j.form.ces >= 5" and row["initiatives"] == "digital"


def test_baseline_from_results():
    results = Results(touchpoints={"j.form": Metrics(n=12, valence_mean=0.25, expected=0.0, gap=0.25)})
    items = items_by_id(plan(MODEL_SPEC.replace("VOLUME", ""), results=results))
    assert items["better_form"]["kpis"][0]["baseline"] == 0.25


def test_improvement_without_a_journey_is_still_planned():
    spec = MODEL_SPEC.replace("VOLUME", "") + '''
model other "Other" {
  element tone "Tone of voice" {}
}
improvement friendlier "Friendlier tone" { changes tone  owner care }
'''
    result = plan(spec)
    item = items_by_id(result)["friendlier"]
    assert item["journeys"] == [] and item["reach"]["share"] == 1.0
    row = next(r for r in csv.DictReader(io.StringIO(result.text("plan/plan.csv"))) if r["id"] == "friendlier")
    assert row["journey"] == ""


def test_organisation_plans_only_when_there_are_organisations():
    plain = plan(MODEL_SPEC.replace("VOLUME", ""))
    assert sorted(plain.files) == ["plan/j.en.html", "plan/j.en.md", "plan/plan.csv", "plan/plan.json"]
    spec = 'organisation acme "Acme & Co" {}\n' + MODEL_SPEC.replace("VOLUME", "organisation acme")
    with_org = plan(spec)
    assert "plan/acme.en.md" in with_org.files and "plan/acme.en.html" in with_org.files
    assert "# Improvement plan: Acme & Co" in with_org.text("plan/acme.en.md").replace("&amp;", "&")
    assert "Better form" in with_org.text("plan/acme.en.md")


def test_unknown_touchpoint_in_an_improvement_is_reported_by_check():
    spec = MODEL_SPEC.replace("VOLUME", "") + 'improvement ghost "Ghost" { changes j.nowhere }\n'
    findings = journeyql.host.testing.check(spec, plugins=[journeyql_plan], installed=False)
    [finding] = [d for d in findings if d.code == "JQL201"]
    assert (finding.name, finding.severity.value) == ("undefined-reference", "error")
    assert "journey `j` has no stage, step or touchpoint `nowhere`" in finding.message
    bare = MODEL_SPEC.replace("VOLUME", "") + 'improvement ghost "Ghost" { changes frm }\n'
    [finding] = [d for d in journeyql.host.testing.check(bare, plugins=[journeyql_plan], installed=False)
                 if d.code == "JQL201"]
    assert "`frm` is not defined" in finding.message and "form" in (finding.hint or "")


# --- locales, files, determinism ---------------------------------------------------------------

def test_dutch_and_english_plans_for_the_dutch_spec():
    result = plan(SPECS / "energie-verhuizen")
    for name in ("verhuizen", "stroomwerk"):
        for locale in ("nl", "en"):
            assert f"plan/{name}.{locale}.md" in result.files and f"plan/{name}.{locale}.html" in result.files
    nl, en = result.text("plan/verhuizen.nl.md"), result.text("plan/verhuizen.en.md")
    assert nl.startswith("# Verbeterplan: Verhuizen\n") and "## Prioriteiten" in nl and "Klanten per jaar: 96.000." in nl
    assert en.startswith("# Improvement plan: Moving house\n") and "## Priorities" in en
    assert "Customers per year: 96,000." in en
    assert '<html lang="nl">' in result.text("plan/verhuizen.nl.html")
    only_en = journeyql.host.testing.render(SPECS / "energie-verhuizen", "plan", plugins=[journeyql_plan],
                                       installed=False, options={"locale": "en"})
    assert not any(".nl." in name for name in only_en.files)


def test_output_is_deterministic():
    first = plan(SPECS / "telecom-switch").files
    second = plan(SPECS / "telecom-switch").files
    assert first == second


@pytest.mark.parametrize("workspace", WORKSPACES)
def test_golden_files(workspace):
    produced = plan(SPECS / workspace).files
    golden = GOLDEN / workspace
    if os.environ.get("JOURNEYQL_UPDATE_GOLDEN"):
        shutil.rmtree(golden, ignore_errors=True)
        for name, data in produced.items():
            (golden / name).parent.mkdir(parents=True, exist_ok=True)
            (golden / name).write_bytes(data)
    expected = {p.relative_to(golden).as_posix(): p.read_bytes() for p in sorted(golden.rglob("*")) if p.is_file()}
    assert sorted(produced) == sorted(expected)
    for name in expected:
        assert produced[name] == expected[name], f"{workspace}/{name} differs from its golden file"


# --- hostile text ------------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.invalid","click")', "+1", "-1+1", "@SUM(A1:A2)", " =1+1"]
HOSTILE = ["<script>alert('x')</script>", '"quoted" and \\ backslash {braces}', "line one\nline two",
           "emoji 🙂 and ünïcödé", "| pipe | *stars* [link](http://example.invalid)", "x" * 500]


def hostile_spec() -> str:
    lines = [BASE]
    labels = FORMULAS + HOSTILE
    lines.append('journey j "J" {\n  personas p\n  volume 1000\n  stage s "S" {')
    for i, label in enumerate(labels):
        lines.append(f"    step st{i} {quote(label)} {{")
        lines.append(f"      touchpoint t{i} {quote(label)} {{ channel web  owner ops  moment negative, {quote(label)} }}")
        lines.append(f"      fail {quote(label)}\n    }}")
    lines.append("  }\n}")
    for i, label in enumerate(labels):
        lines.append(f"improvement imp{i} {quote(label)} {{ changes t{i}  owner ops  effort {1 + i % 5} }}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def hostile():
    return plan(hostile_spec())


def test_csv_neutralises_formulas_and_reads_back(hostile, tmp_path):
    text = hostile.text("plan/plan.csv")
    assert "\r\n" in text and text.endswith("\r\n")            # RFC 4180 line ends
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = rows[0], rows[1:]
    assert header[:14] == ["id", "journey", "title", "source", "owner", "horizon", "quadrant", "priority", "reach",
                           "impact", "confidence", "effort", "business_case_per_year", "kpis"]
    titles = {row[0]: row[2] for row in body}
    for i, label in enumerate(FORMULAS):
        assert titles[f"imp{i}"] == "'" + label              # shown as text, never run
    assert titles[f"imp{len(FORMULAS) + 2}"] == "line one\nline two"   # quoted, newline kept
    assert titles[f"imp{len(FORMULAS) + 1}"] == '"quoted" and \\ backslash {braces}'
    # a spreadsheet library: every cell lands as text or number, none as a formula
    from openpyxl import Workbook, load_workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([float(cell) if _is_number(cell) else cell for cell in row])
    path = tmp_path / "plan.xlsx"
    book.save(path)
    loaded = load_workbook(path).active
    cells = [cell for row in loaded.iter_rows() for cell in row if cell.value is not None]
    assert cells and all(cell.data_type in ("s", "n") for cell in cells)
    values = {str(cell.value) for cell in cells}
    assert "'=HYPERLINK(\"http://evil.invalid\",\"click\")" in values and "'@SUM(A1:A2)" in values


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_csv_cell_rules():
    assert csv_cell("=1") == "'=1" and csv_cell("+1") == "'+1" and csv_cell("-1") == "'-1"
    assert csv_cell("@x") == "'@x" and csv_cell("\tx") == "'\tx" and csv_cell("\rx") == "'\rx"
    assert csv_cell("plain") == "plain" and csv_cell(-1.5) == "-1.5" and csv_cell(None) == ""


def test_hostile_labels_are_escaped_in_markdown_and_html(hostile):
    page = hostile.text("plan/j.en.md")
    assert "<script>" not in page and "\\<script\\>" in page
    assert "\\| pipe \\|" in page
    for line in page.splitlines():
        if line.startswith("| "):    # every table row keeps its column count
            assert line.replace("\\|", "").count("|") == 13 or line.replace("\\|", "").count("|") == 6
    html = hostile.text("plan/j.en.html")
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "x" * 500 in html
    data = json.loads(hostile.text("plan/plan.json"))
    assert any(item["title"]["en"] == HOSTILE[0] for item in data["items"])
    assert md("a\nb <i>") == "a b \\<i\\>"


# --- a real browser ----------------------------------------------------------------------------

def _open_in_browser(paths: list[Path]) -> tuple[list[str], list[str], list[str]]:
    from playwright.sync_api import sync_playwright

    errors, external, titles = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        try:
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))

            def route(r):
                if r.request.url.startswith("file://"):
                    r.continue_()
                else:
                    external.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            for path in paths:
                page.goto(path.as_uri())
                titles.append(page.title())
                assert page.locator("h1").count() == 1
        finally:
            browser.close()
    return errors, external, titles


def test_html_opens_in_a_real_browser(hostile, tmp_path):
    written = []
    for source, name in ((plan(SPECS / "energie-verhuizen"), "plan/verhuizen.nl.html"),
                         (plan(SPECS / "energie-verhuizen"), "plan/stroomwerk.en.html"), (hostile, "plan/j.en.html")):
        path = tmp_path / name.replace("/", "_")
        path.write_bytes(source.files[name])
        written.append(path)
    errors, external, titles = _open_in_browser(written)
    assert errors == [] and external == []
    assert titles[0] == "Verbeterplan: Verhuizen" and titles[1] == "Improvement plan: Stroomwerk Energy"
    assert titles[2] == "Improvement plan: J"


def test_the_documented_worked_examples_are_what_the_renderer_computes():
    docs = (ROOT / "docs" / "plan.md").read_text(encoding="utf-8")
    items = items_by_id(plan(SPECS / "energie-verhuizen"))
    # docs/plan.md: 62,400 x 4 x 0.80 / 1 = 199,680, a quick win; EUR 464,256 and EUR 174,720 per year
    assert "= 199,680" in docs and items["datum_vooruit"]["priority"] == pytest.approx(199680)
    assert items["datum_vooruit"]["quadrant"] == "quick_win"
    assert "EUR 464,256" in docs and items["datum_vooruit"]["business_case"]["per_year"] == {"EUR": 464256.0}
    assert "EUR 174,720" in docs and items["heldere_eindnota"]["business_case"]["per_year"] == {"EUR": 174720.0}


def test_a_workspace_without_journeys_gives_an_empty_backlog():
    result = plan('stakeholder ops "Ops" { kind internal }\n')
    assert sorted(result.files) == ["plan/plan.csv", "plan/plan.json"]
    assert list(csv.reader(io.StringIO(result.text("plan/plan.csv"))))[1:] == []
    assert json.loads(result.text("plan/plan.json"))["items"] == []


def test_results_naming_touchpoints_the_spec_no_longer_has():
    results = Results(touchpoints={"j.gone": Metrics(n=3, valence_mean=-2.0, expected=1.0, gap=-3.0)},
                      drivers=(Driver("j", "j.gone", 0.5), Driver("other", "other.x", 0.2)))
    items = items_by_id(plan(MODEL_SPEC.replace("VOLUME", "volume 100"), results=results))
    assert sorted(items) == ["better_form"]


def test_measured_results_from_the_real_pipeline(tmp_path, capsys):
    """Simulated responses (the telephone made 1.5 points worse than expected) -> analysis -> plan."""
    from journeyql.cli import main

    responses = tmp_path / "responses.csv"
    assert main(["simulate-responses", str(SPECS / "energie-verhuizen"), "-o", str(responses),
                 "--respondents", "150", "--effect", "telefonisch=-1.5"]) == 0
    out = tmp_path / "out"
    assert main(["render", str(SPECS / "energie-verhuizen"), "--to", "plan", "-o", str(out),
                 "--responses", str(responses)]) == 0, capsys.readouterr().err
    data = json.loads((out / "plan" / "plan.json").read_text(encoding="utf-8"))
    items = {item["id"]: item for item in data["items"]}
    assert data["measured"] is True
    phone = items["suggest-improve-verhuizen.telefonisch"]
    # the measured gap joins the spec's findings there; the data makes the row surer (confidence 80)
    assert phone["sources"][-1] == "gap" and phone["confidence"]["value"] == 80.0
    assert any("driver" in item["sources"] for item in items.values())
    page = (out / "plan" / "verhuizen.en.md").read_text(encoding="utf-8")
    assert "Measured results from:" in page and "No measured results" not in page
