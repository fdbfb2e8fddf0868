"""Issue 11, "numbers a board can act on": each aggregate rule against a hand computation.

Every expectation is worked out by hand in the comments (or by a separate oracle written here),
never by calling the code under test.
"""

from __future__ import annotations

import math

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeyql
from journeyql.measure.analysis import compute

SPEC = r'''
organisation acme "Acme" {
  sector energy
}
organisation bolt "Bolt" {
  sector telecom
}
stakeholder staff "Staff" {
  kind internal
}
channel web "Web" {
  kind web
}
persona p1 "P1" {}
persona p2 "P2" {}
journey move "Move" {
  organisation acme
  personas p1, p2
  stage s "S" {
    step a "A" {
      touchpoint t1 "T1" {
        channel web
        owner staff
      }
    }
    step b "B" {
      touchpoint t2 "T2" {
        channel web
        owner staff
      }
    }
  }
}
journey fix "Fix" {
  organisation acme
  personas p1
  scale 1..5
  stage f "F" {
    step c "C" {
      touchpoint u1 "U1" {
        channel web
        owner staff
      }
    }
  }
}
'''

COLUMNS = ("respondent_id VARCHAR, journey VARCHAR, touchpoint VARCHAR, item VARCHAR, value VARCHAR, num DOUBLE, "
           "ts TIMESTAMP, persona VARCHAR, organisation VARCHAR")


@pytest.fixture(scope="module")
def workspace():
    return journeyql.parse(SPEC, "spec.jql")


def connection(rows) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"CREATE TABLE responses ({COLUMNS})")
    if rows:
        con.executemany("INSERT INTO responses VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)",
                        [(r, j, t, i, None if n is None else str(n), n, p, o) for r, j, t, i, n, p, o in rows])
    return con


def close(a, b, tol=1e-9):
    assert a is not None and b is not None, (a, b)
    assert math.isclose(a, b, rel_tol=tol, abs_tol=tol), (a, b)


# --- item 5: the journey NPS counts respondents ---------------------------------------------------------

def test_journey_nps_is_one_answer_per_respondent(workspace):
    rows = [
        # r1: asked after t1 (3) and at the end (10): the end-of-journey answer counts -> promoter
        ("r1", "move", "t1", "nps", 3, "p1", None), ("r1", "move", None, "nps", 10, "p1", None),
        # r2: only after t1 (9) -> promoter
        ("r2", "move", "t1", "nps", 9, "p1", None),
        # r3: after t1 (2) and after t2 (5), no end answer: the latest touchpoint (t2: 5) -> detractor
        ("r3", "move", "t1", "nps", 2, "p1", None), ("r3", "move", "t2", "nps", 5, "p1", None),
    ]
    results = compute(workspace, connection(rows))
    move = results.journeys["move"]
    # 3 respondents: 10, 9, 5 -> 2 promoters, 1 detractor: 100 x (2 - 1) / 3 = 33.33
    assert move.nps_n == 3
    close(move.nps, 100 / 3)
    # the same rule for the persona, the organisation and the sector (one answer per respondent)
    for m in (results.personas["p1"], results.organisations["acme"]):
        assert m.nps_n == 3
        close(m.nps, 100 / 3)
    # touchpoints stay per answer: t1 has 3, 9, 2 -> 1 promoter, 2 detractors of 3 = -33.33
    t1 = results.touchpoints["move.t1"]
    assert t1.nps_n == 3
    close(t1.nps, -100 / 3)


# --- item 2: one persona and one organisation per respondent --------------------------------------------

DISAGREEING = [
    # r1's rows name p2/bolt, p1/acme and nothing: the alphabetically first non-empty value counts (p1, acme)
    ("r1", "move", "t1", "valence", -2, "p2", "bolt"),
    ("r1", "move", "t2", "valence", 1, "p1", "acme"),
    ("r1", "move", "t1", "emotion.fear", 3, "p2", "bolt"),
    ("r1", "move", "t1", "intent.complain", 1, "p2", "bolt"),
    ("r1", "move", None, "nps", 0, None, None),
    # r2 agrees with itself: p2, bolt
    ("r2", "move", "t1", "valence", 3, "p2", "bolt"),
    ("r2", "move", None, "nps", 10, "p2", "bolt"),
]


def test_every_metric_uses_one_persona_and_organisation_per_respondent(workspace):
    results = compute(workspace, connection(DISAGREEING))
    p1, p2 = results.personas["p1"], results.personas["p2"]
    # p1 is r1 alone: valence -2 and 1 -> mean -0.5, one of two below 0; fear named by 1 of 1; complain 1/1;
    # NPS 0 -> one detractor: -100
    assert (p1.n, p1.valence_n) == (1, 2)
    close(p1.valence_mean, -0.5)
    close(p1.negative_share, 0.5)
    assert p1.emotions == {"fear": 1.0} and p1.intents == {"complain": 1.0}
    assert (p1.nps, p1.nps_n) == (-100.0, 1)
    # p2 is r2 alone: valence 3, NPS 10 -> +100; nothing of r1 counts here
    assert (p2.n, p2.valence_n, p2.valence_mean, p2.nps) == (1, 1, 3.0, 100.0)
    assert p2.emotions == {} and p2.intents == {}
    acme, bolt = results.organisations["acme"], results.organisations["bolt"]
    assert (acme.n, acme.valence_n) == (1, 2) and acme.emotions == {"fear": 1.0}
    assert (bolt.n, bolt.valence_n, bolt.valence_mean) == (1, 1, 3.0)
    assert results.sectors["telecom"].valence_n == 1 and results.sectors["energy"].valence_n == 2
    # persona x step: r1's t1 answer (-2, written with p2) is p1's
    assert results.persona_steps[("p1", "move.a")].valence_n == 1
    assert results.persona_steps[("p2", "move.a")].valence_n == 1  # r2's 3 only
    # the disagreement is reported: one respondent's persona, one's organisation
    assert results.disagreements == {"organisation": 1, "persona": 1}


def test_agreeing_respondents_report_no_disagreement(workspace):
    results = compute(workspace, connection(DISAGREEING[5:]))
    assert results.disagreements == {"organisation": 0, "persona": 0}


personas = st.sampled_from([None, "p1", "p2"])
answers = st.lists(st.tuples(st.sampled_from(["r1", "r2", "r3", "r4"]), st.sampled_from(["t1", "t2"]),
                             st.integers(-3, 3), personas), min_size=1, max_size=25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers)
def test_property_each_answer_counts_for_its_respondents_one_persona(workspace, drawn):
    seen = set()
    rows = []
    for respondent, touchpoint, value, persona in drawn:
        if (respondent, touchpoint) not in seen:  # validated data: one answer per respondent and touchpoint
            seen.add((respondent, touchpoint))
            rows.append((respondent, "move", touchpoint, "valence", value, persona, None))
    # the oracle: a respondent's persona is the smallest non-empty one among their rows
    resolved = {}
    for respondent, _, _, _, _, persona, _ in rows:
        if persona is not None:
            resolved[respondent] = min(persona, resolved.get(respondent, persona))
    results = compute(workspace, connection(rows))
    for persona in ("p1", "p2"):
        mine = [r for r in rows if resolved.get(r[0]) == persona]
        m = results.personas[persona]
        assert m.valence_n == len(mine)
        assert m.n == len({r[0] for r in mine})
        if mine:
            close(m.valence_mean, sum(r[4] for r in mine) / len(mine))
    # every answer of a respondent with a persona is counted exactly once across personas
    assert sum(results.personas[p].valence_n for p in ("p1", "p2")) == sum(1 for r in rows if r[0] in resolved)


def test_disagreements_are_in_the_json_and_analyze_warns(workspace, tmp_path):
    from journeyql.measure.analysis import to_json

    data = to_json(compute(workspace, connection(DISAGREEING)), workspace)
    assert data["disagreements"] == {"organisation": 1, "persona": 1}


# --- item 4: small samples ------------------------------------------------------------------------------

def test_small_samples_are_marked_clipped_and_kept_out_of_moments(workspace):
    from journeyql.measure import analysis
    from journeyql.measure.analysis import to_json, to_markdown

    rows = [("r1", "move", "t1", "valence", -3, None, None), ("r2", "move", "t1", "valence", 3, None, None)]
    rows += [(f"s{i}", "move", "t2", "valence", 2, None, None) for i in range(6)]  # six identical answers
    results = compute(workspace, connection(rows))
    t1, t2 = results.touchpoints["move.t1"], results.touchpoints["move.t2"]
    # n = 2: mean 0, s = 4.2426, t(0.975, 1) = 12.706: 0 +- 38.1, clipped to the scale -3..3
    assert t1.valence_mean == 0 and t1.valence_ci == (-3.0, 3.0)
    assert t1.sample == "too_small" and t2.sample == "small"  # 2 < 5; 5 <= 6 < 30
    assert t2.valence_mean == 2 and t2.valence_ci is None  # identical answers: no zero-width interval
    assert results.touchpoints["move.t1"].valence_n == 2
    # moments: step a has 2 answers (< 5), so only step b takes part
    assert {m.subject for m in results.moments} == {"move.b"}
    assert to_json(results, workspace)["touchpoints"]["move.t1"]["sample"] == "too_small"
    # the minimum is configurable
    assert compute(workspace, connection(rows), report_n=2, show_n=1).touchpoints["move.t1"].sample == "ok"
    # Markdown: a too small sample shows no figure, a small one is marked
    text = to_markdown(results, workspace, "en")
    assert "| T1 | A | 2 ‡ | – |" in text and "| T2 | B | 6 † | 2.00 |" in text
    assert analysis.sample_size(29) == "small" and analysis.sample_size(30) == "ok"


def test_a_drop_counts_only_when_welchs_test_supports_it(workspace):
    from journeyql.measure import analysis
    from journeyql.measure.results import Metrics, Results

    journey = workspace.get("move")

    def steps(sd):
        return Results(steps={"move.a": Metrics(n=5, valence_n=5, valence_mean=0.0, valence_sd=sd),
                              "move.b": Metrics(n=5, valence_n=5, valence_mean=-0.5, valence_sd=sd)})
    # sd 1: t = 0.5 / sqrt(1/5 + 1/5) = 0.7906, df = (0.4)^2 / (2 x 0.2^2 / 4) = 8, two-sided p = 0.45199
    # (scipy.stats.ttest_ind_from_stats(0, 1, 5, -0.5, 1, 5, equal_var=False)): no drop
    assert "largest_drop" not in {m.kind for m in analysis.find_moments(journey, steps(1.0))}
    close(analysis.welch_p(5, 0.0, 1.0, 5, -0.5, 1.0), 0.4519922, 1e-6)
    # sd 0.2: t = 0.5 / sqrt(0.04/5 * 2) = 3.953, df 8, p = 0.0042: a drop of -0.5 after step a
    drop = [m for m in analysis.find_moments(journey, steps(0.2)) if m.kind == "largest_drop"]
    assert [(m.subject, m.value, m.note) for m in drop] == [("move.b", -0.5, "move.a")]


def test_analysis_minimums_come_from_journeyql_toml(tmp_path, capsys):
    import json

    from journeyql.cli import main

    root = tmp_path / "ws"
    (root / "responses").mkdir(parents=True)
    (root / "spec.jql").write_text(SPEC, encoding="utf-8")
    (root / "responses" / "a.csv").write_text(
        "respondent_id,journey,touchpoint,item,value,timestamp\n"
        "r1,move,t1,valence,-3,\nr2,move,t1,valence,3,\n", encoding="utf-8")
    code = main(["analyze", str(root), "--responses", str(root / "responses" / "a.csv"), "--format", "json"])
    # 2 respondents: below the default show_n of 5
    assert code == 0 and json.loads(capsys.readouterr().out)["touchpoints"]["move.t1"]["sample"] == "too_small"
    (root / "journeyql.toml").write_text("[analysis]\nreport_n = 2\nshow_n = 1\n", encoding="utf-8")
    code = main(["analyze", str(root), "--responses", str(root / "responses" / "a.csv"), "--format", "json"])
    assert code == 0 and json.loads(capsys.readouterr().out)["touchpoints"]["move.t1"]["sample"] == "ok"


# --- item 6: drivers come with R² and n -----------------------------------------------------------------

WEAK_DRIVERS = [
    # t1 valences -2, -1, 0, 1, 2 against NPS 4, 10, 0, 6, 5; t2 is 1 for everyone (no variance)
    *[(f"r{i}", "move", "t1", "valence", x, None, None) for i, x in enumerate((-2, -1, 0, 1, 2))],
    *[(f"r{i}", "move", "t2", "valence", 1, None, None) for i in range(5)],
    *[(f"r{i}", "move", None, "nps", y, None, None) for i, y in enumerate((4, 10, 0, 6, 5))],
]


def test_drivers_show_r2_n_and_refuse_to_rank_a_weak_model(workspace):
    from journeyql.measure.analysis import MIN_DRIVER_R2, to_html, to_json, to_markdown

    results = compute(workspace, connection(WEAK_DRIVERS))
    # x mean 0, y mean 5: Sxy = (-2)(-1) + (-1)(5) + 0 + (1)(1) + 0 = -2, Sxx = 10,
    # Syy = 1 + 25 + 25 + 1 + 0 = 52: R² = r² = 4 / 520 = 0.0076923; t1 alone takes 100% of it
    model = results.driver_models["move"]
    close(model.r2, 4 / 520)
    assert model.n == 5 and model.zero_variance == ("move.t2",) and MIN_DRIVER_R2 == 0.10
    assert model.rankable is False
    assert [(d.touchpoint, d.weight) for d in results.drivers] == [("move.t1", 1.0)]
    data = to_json(results, workspace)
    assert data["drivers"]["move"]["move.t1"] == {"weight": 1.0, "correlation": round(-2 / math.sqrt(520), 4),
                                                  "r2": 0.0077, "n": 5}
    assert data["driver_models"] == {"move": {"n": 5, "r2": 0.0077, "min_r2": 0.1, "rankable": False,
                                              "zero_variance": ["move.t2"]}}
    text = to_markdown(results, workspace, "en")
    assert "R² = 0.01, n = 5" in text
    assert "explains too little of the NPS to rank drivers (R² 0.01 below 0.10)" in text
    assert "Left out, same valence from every respondent: T2" in text
    assert "| T1 | – | -0.09 |" in text  # no share shown for a model that cannot rank
    assert "R² = 0.01, n = 5" in to_html(results, workspace, "en")
    assert "R² = 0,01, n = 5" in to_markdown(results, workspace, "nl")


def test_a_model_that_explains_enough_ranks_its_drivers(workspace):
    from journeyql.measure.analysis import to_json, to_markdown

    # t1 -1, 0, 0, 1 against NPS 5, 5, 5, 6: Sxy = (-1)(-0.25) + (1)(0.75) = 1, Sxx = 2, Syy = 0.75:
    # R² = 1 / (2 x 0.75) = 0.6667
    rows = [(f"r{i}", "move", "t1", "valence", x, None, None) for i, x in enumerate((-1, 0, 0, 1))]
    rows += [(f"r{i}", "move", None, "nps", y, None, None) for i, y in enumerate((5, 5, 5, 6))]
    results = compute(workspace, connection(rows))
    model = results.driver_models["move"]
    close(model.r2, 2 / 3)
    assert model.n == 4 and model.rankable and model.zero_variance == ()
    assert to_json(results, workspace)["driver_models"]["move"]["rankable"] is True
    text = to_markdown(results, workspace, "en")
    assert "R² = 0.67, n = 4" in text and "| T1 | 100% | 0.82 |" in text and "too little" not in text


# --- item 7: the business case counts a chain's customers once per journey ------------------------------

CHAIN_SPEC = '''
stakeholder ops "Operations" { kind internal }
channel web "Web" { kind web }
persona p "P" { prefers web }
journey j "J" {
  personas p
  volume 10000
  stage s "S" {
    step a "A" {
      touchpoint form "Form" { channel web  owner ops  reach 100% }
      touchpoint mail "Mail" { channel web  owner ops  reach 60% }
      touchpoint desk "Desk" { channel web  owner ops  reach 40% }
    }
  }
}
model cx "CX" {
  element layout "Layout" { at form, mail, desk }
  emotion irritation "Irritation" { valence negative }
  behaviour call_again "Calls again" {}
  impact call_cost "Cost of a call" {
    amount 5 EUR
    per call
  }
  link layout -> irritation { rate 40% }
  link irritation -> call_again -> call_cost { rate 25% }
}
improvement fix_layout "Fix the layout" {
  changes layout
  effort 2
  impact 4
  confidence 75%
  owner ops
}
improvement fix_mail "Fix the mail" {
  changes mail
  effort 2
  impact 3
  confidence 75%
  owner ops
}
'''


def test_a_chain_counts_its_customers_once_per_journey():
    import json

    import journeyql.host.testing
    import journeyql_plan

    result = journeyql.host.testing.render(CHAIN_SPEC, "plan", plugins=[journeyql_plan], installed=False)
    assert result.ok, result.message
    items = {i["id"]: i for i in json.loads(result.text("plan/plan.json"))["items"]}
    layout = items["fix_layout"]["business_case"]
    # one chain for the journey, not one per touchpoint: the customers who meet the layout at least once
    # are at least the form's 100% (the union's lower bound: nobody counted twice):
    # 10,000 x 100% x 40% x 25% x EUR 5 = EUR 5,000 (one per touchpoint would add 100% + 60% + 40%: EUR 10,000)
    assert layout["per_year"] == {"EUR": 5000.0}
    [chain] = layout["chains"]
    assert chain["touchpoints"] == ["j.desk", "j.form", "j.mail"] and chain["touchpoint"] == "j.form"
    # fix_mail changes the layout at the mail only: 10,000 x 60% x 10% x EUR 5 = EUR 3,000
    assert items["fix_mail"]["business_case"]["per_year"] == {"EUR": 3000.0}
    # both improvements share the chain layout -> irritation -> call_again -> call_cost in journey j:
    # the plan's total counts it once, at its widest reach: EUR 5,000, not 5,000 + 3,000
    page = result.text("plan/j.en.md")
    assert "EUR 5,000" in page.split("At stake per year", 1)[1].splitlines()[0]
    assert "shared chains counted once" in page


# --- item 1: pooling journeys on different scales --------------------------------------------------------

POOLED = [
    # p1 answers in move (-3..3) and fix (1..5); p2 only in move
    ("r1", "move", "t1", "valence", 3, "p1", None),    # (3 - -3) / 6 x 100 = 100
    ("r2", "fix", "u1", "valence", 1, "p1", None),     # (1 - 1) / 4 x 100 = 0
    ("r3", "fix", "u1", "valence", 4, "p1", None),     # (4 - 1) / 4 x 100 = 75
    ("r4", "move", "t1", "valence", -1, "p2", None),   # (-1 - -3) / 6 x 100 = 33.33
]


def test_pooled_scales_give_a_0_100_score_not_a_raw_mean(workspace):
    from journeyql.measure.analysis import to_json, to_markdown

    results = compute(workspace, connection(POOLED), report_n=1, show_n=1)
    p1, p2 = results.personas["p1"], results.personas["p2"]
    # p1 pools -3..3 and 1..5: the raw mean (3 + 1 + 4) / 3 = 2.67 means nothing on either scale
    assert p1.valence_mean is None and p1.valence_ci is None and p1.mixed_scales
    close(p1.valence_score, (100 + 0 + 75) / 3)  # 58.33
    # scores 100, 0, 75: s = 52.04, t(0.975, 2) = 4.303: +- 129.3, clipped to 0..100
    assert p1.valence_score_ci == (0.0, 100.0)
    # p2 is on one scale: the raw mean stays, and its score is the same mapping of it
    assert p2.valence_mean == -1 and not p2.mixed_scales
    close(p2.valence_score, 100 / 3)
    # the organisation pools both journeys too; a journey's own metrics keep their scale
    assert results.organisations["acme"].valence_mean is None
    close(results.organisations["acme"].valence_score, (100 + 0 + 75 + 100 / 3) / 4)
    close(results.journeys["fix"].valence_mean, 2.5)
    close(results.journeys["fix"].valence_score, 37.5)  # (2.5 - 1) / 4 x 100
    data = to_json(results, workspace)
    assert data["personas"]["p1"]["valence_score"] == 58.3333 and data["personas"]["p1"]["mixed_scales"] is True
    assert data["personas"]["p1"]["valence_mean"] is None
    text = to_markdown(results, workspace, "en")
    assert "| P1 | 3 | score 58/100 \\[0, 100\\] |" in text
    assert "(x - low) / (high - low) × 100" in text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(low=st.integers(-10, 5), width=st.integers(1, 10), offsets=st.lists(st.integers(0, 10), min_size=1, max_size=8),
       others=st.lists(st.integers(1, 5), min_size=1, max_size=8))
def test_property_the_score_is_the_linear_mapping_of_the_mean(low, width, offsets, others):
    high = low + width
    answers = [low + o % (width + 1) for o in offsets]
    spec = SPEC.replace("personas p1\n  scale 1..5", f"personas p1\n  scale {low}..{high}")
    ws = journeyql.parse(spec, "spec.jql")
    rows = [(f"a{i}", "fix", "u1", "valence", x, "p1", None) for i, x in enumerate(answers)]
    rows += [(f"b{i}", "move", "t1", "valence", x - 3, "p1", None) for i, x in enumerate(others)]
    results = compute(ws, connection(rows), report_n=1, show_n=1)
    fix = results.journeys["fix"]
    mean = sum(answers) / len(answers)
    close(fix.valence_score, (mean - low) / (high - low) * 100, 1e-9)
    assert 0 <= fix.valence_score <= 100
    # the pooled score is the answer-weighted mean of each journey's score (one mapping per answer)
    move_scores = [(x - 3 + 3) / 6 * 100 for x in others]
    pooled = (sum((x - low) / (high - low) * 100 for x in answers) + sum(move_scores)) / (len(answers) + len(others))
    close(results.personas["p1"].valence_score, pooled, 1e-9)
    mixed = (low, high) != (-3, 3)
    assert results.personas["p1"].mixed_scales is mixed and (results.personas["p1"].valence_mean is None) is mixed


def test_check_warns_when_pooled_or_instrument_scales_differ(tmp_path):
    (tmp_path / "spec.jql").write_text(SPEC + '''
measurement m "M" {
  journey move
  valence {
    scale 1..5
  }
  sample t1
}
''', encoding="utf-8")
    codes = [(d.code, d.message) for d in journeyql.check(tmp_path)]
    mixed = [m for c, m in codes if c == "JQL321"]
    assert any("persona `p1`" in m and "move (-3..3)" in m and "fix (1..5)" in m for m in mixed)
    assert any("organisation `acme`" in m for m in mixed)
    assert not any("persona `p2`" in m for m in mixed)  # p2 is only in move
    assert [m for c, m in codes if c == "JQL322"] == [
        "the valence scale 1..5 of measurement `m` differs from its journey `move`'s -3..3: "
        "answers are mapped onto the journey's scale"]


def test_the_site_shows_a_pooled_persona_as_a_score(workspace):
    from journeyql_site import measures

    results = compute(workspace, connection(POOLED), report_n=1, show_n=1)
    # p1: (100 + 0 + 75) / 3 = 58.33 -> "score 58/100", interval clipped to [0, 100]
    row = measures.metrics_row("P1", results.personas["p1"])
    assert row["valence"] == "score 58/100" and row["valence_ci"] == "[0, 100]"
    # p2 is on one scale: its raw mean, as before
    assert measures.metrics_row("P2", results.personas["p2"])["valence"] == "-1.0"


# --- item 8: one number formatter per locale ------------------------------------------------------------

def test_the_locale_formatter_by_hand():
    from journeyql.host.numbers import decimal, list_separator

    assert decimal(-1.49, "nl") == "-1,49" and decimal(-1.49, "en") == "-1.49"
    assert decimal(-1.49, "nl-BE", 1) == "-1,5" and decimal(1.49, "nl", 1, sign=True) == "+1,5"
    assert decimal(1234567.891, "nl", 0, group=True) == "1.234.568"
    assert decimal(1234567.891, "en", 1, group=True) == "1,234,567.9"
    assert decimal(1234.5, "fr", 1, group=True) == "1\u202f234,5"  # CLDR: narrow no-break space
    assert decimal(-0.004, "en") == "0.00" and decimal(0.0, "nl", 1, sign=True) == "0,0"  # never -0 or +0
    assert decimal(2.5, "xx") == "2.50"  # an unknown locale gets English's symbols
    assert list_separator("nl") == "; " and list_separator("en") == ", "


def test_analyze_site_curve_and_blueprint_agree_in_dutch(workspace):
    import journeyql.host.testing
    from journeyql.measure.analysis import to_markdown
    from journeyql.measure.results import Metrics, Results
    from journeyql_curve.drawing import score
    from journeyql_maps.emotion import StepEmotion
    from journeyql_maps.words import words_for as map_words
    from journeyql_site import measures

    step = Metrics(n=40, valence_n=40, valence_mean=-1.49, valence_ci=(-1.9, -1.08), sample="ok")
    results = Results(steps={"move.a": step}, touchpoints={"move.t1": step}, journeys={"move": step})
    # analyze: two decimals, a decimal comma (as before)
    assert "-1,49 \\[-1,90; -1,08\\]" in to_markdown(results, workspace, "nl")
    # the site, the curve and the blueprint: the same comma, where they printed "-1.5" for nl before
    assert measures.signed(-1.49, 1, "nl") == "-1,5" and measures.interval((-1.9, -1.08), 1, "nl") == "[-1,9; -1,1]"
    assert measures.metrics_row("A", step, locale="nl")["valence"] == "-1,5"
    assert score(-1.49, "nl") == "-1,49" and score(-1.49) == "-1.49" and score(2, "nl") == "+2"
    assert StepEmotion(-1.49, True, 40).describe(map_words("nl"), "nl").startswith("-1,5 ")
    # end to end: the Dutch curve of the journey prints the measured -1,49 and no -1.49
    result = journeyql.host.testing.render(SPEC, "emotion-curve", results=results, options={"locale": "nl"})
    assert result.ok, result.message
    svg = result.text("emotion-curve/move.svg")
    assert "-1,49" in svg and "-1.49" not in svg


# --- the example workspace exercises every rule above ----------------------------------------------------

def test_the_municipality_example_pools_scales_and_reports_disagreements(capsys):
    import json
    from pathlib import Path

    from journeyql.cli import main

    root = Path(__file__).resolve().parents[1] / "specs" / "municipality-services"
    assert main(["analyze", str(root), "--format", "json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    # every 20th of the 200 moving respondents has an NPS row tagged with the other persona: 10
    assert data["disagreements"]["persona"] == 10
    assert "10 respondent(s) whose rows name more than one persona" in captured.err
    # the family answers on -3..3 and 1..5: a score, no raw mean; the commuter is on 1..5 only
    family, commuter = data["personas"]["family"], data["personas"]["commuter"]
    assert family["mixed_scales"] is True and family["valence_mean"] is None and 0 <= family["valence_score"] <= 100
    assert commuter["mixed_scales"] is False and 1 <= commuter["valence_mean"] <= 5
    assert round((commuter["valence_mean"] - 1) / 4 * 100, 2) == round(commuter["valence_score"], 2)
    assert data["driver_models"]["parking_permit"]["n"] > 0
