"""Response analysis: every metric against an independent computation.

Hand-worked examples write their arithmetic out in comments; synthetic data is checked against
numpy/scipy (scipy.stats.t for the valence interval, a separate adjusted-Wald implementation for
the NPS interval, brute-force least squares over every subset for the Shapley key drivers).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from html.parser import HTMLParser
from itertools import combinations
from pathlib import Path

import duckdb
import numpy as np
import pytest
from scipy import stats

import journeyql
from journeyql.measure import analysis
from journeyql.measure.analysis import compute, to_html, to_json, to_markdown
from journeyql.host.rendering import RenderError
from journeyql.measure.results import Metrics, Results

ROOT = Path(__file__).resolve().parents[1]

SPEC = r'''
organisation acme "Acme <script>alert(1)</script>" {
  sector energy
}
organisation bolt "Bolt \"Power\" | {x} \\ back" {
  sector energy
}
organisation cell "Cell" {
  sector telecom
}
stakeholder staff "Staff" {
  kind internal
}
channel web "Website" {
  kind web
}
persona p1 "Persona één 😀" {}
persona p2 "Persona *two* [x](y)" {}
persona p3 "Nobody answers" {}
journey move "Moving" {
  label.nl "Verhuizen"
  organisation acme
  personas p1, p2
  stage s1 "First" {
    step x "Step X" {
      touchpoint t1 "Form" {
        channel web
        owner staff
      }
      expected -1
      for p1 {
        expected -2
      }
    }
    step y "Step Y" {
      touchpoint t2 "Mail" {
        channel web
        owner staff
      }
      touchpoint t3 "Letter" {
        channel web
        owner staff
      }
      expected 1
    }
  }
  stage s2 "Second" {
    step z "Step Z" {
      touchpoint t4 "Nobody" {
        channel web
        owner staff
      }
    }
  }
}
journey other "Other" {
  organisation bolt
  personas p1
  scale 1..5
  stage o1 "Only" {
    step w "Step W" {
      touchpoint u1 "Desk" {
        channel web
        owner staff
      }
      expected 4
    }
  }
}
journey third "Third" {
  organisation cell
  personas p3
  stage q1 "Only" {
    step v "Step V" {
      touchpoint c1 "Shop" {
        channel web
        owner staff
      }
    }
  }
}
measurement plan "Plan" {
  journey move
  valence -3..3
  emotions premo
  intents complain
  ces "Easy?"
  csat "Satisfied?"
  nps "Recommend?"
  sample t1, t2, t3, t4
  sample end
  kpi t1.valence >= 0
  kpi t2.negative_share <= 40%
  kpi x.ces >= 5
  kpi csat >= 50%
  kpi nps >= 0
  kpi t4.valence >= 1
}
'''

COLUMNS = ("respondent_id VARCHAR, journey VARCHAR, touchpoint VARCHAR, item VARCHAR, value VARCHAR, num DOUBLE, "
           "ts TIMESTAMP, persona VARCHAR, organisation VARCHAR")

# (respondent, journey, touchpoint, item, num, persona, organisation)
HAND_ROWS = [
    ("r1", "move", "t1", "valence", -3, "p1", "acme"),
    ("r1", "move", "t2", "valence", 1, "p1", "acme"),
    ("r1", "move", "t1", "emotion.fear", 4, "p1", "acme"),
    ("r1", "move", "t1", "intent.complain", 1, "p1", "acme"),
    ("r1", "move", "t1", "ces", 2, "p1", "acme"),
    ("r1", "move", None, "csat", 5, "p1", "acme"),
    ("r1", "move", None, "nps", 10, "p1", "acme"),
    ("r1", "move", "t1", "cause", None, "p1", "acme"),
    ("r2", "move", "t1", "valence", -1, "p1", "acme"),
    ("r2", "move", "t3", "valence", 2, "p1", "acme"),
    ("r2", "move", "t1", "emotion.fear", 2, "p1", "acme"),
    ("r2", "move", "t3", "emotion.joy", 3, "p1", "acme"),
    ("r2", "move", "t1", "intent.complain", 0, "p1", "acme"),
    ("r2", "move", "t1", "ces", 6, "p1", "acme"),
    ("r2", "move", None, "csat", 4, "p1", "acme"),
    ("r2", "move", None, "nps", 9, "p1", "acme"),
    ("r3", "move", "t1", "valence", 2, "p2", "acme"),
    ("r3", "move", "t2", "valence", 3, "p2", "acme"),
    ("r3", "move", "t3", "valence", 3, "p2", "acme"),
    ("r3", "move", "t2", "emotion.joy", 5, "p2", "acme"),
    ("r3", "move", "t3", "emotion.joy", 1, "p2", "acme"),
    ("r3", "move", "t1", "intent.complain", 0, "p2", "acme"),
    ("r3", "move", "t1", "ces", 7, "p2", "acme"),
    ("r3", "move", None, "csat", 2, "p2", "acme"),
    ("r3", "move", None, "nps", 3, "p2", "acme"),
    # no persona, no organisation (falls back to the journey's: acme); fear at intensity 0 is not named
    ("r4", "move", "t2", "valence", -2, None, None),
    ("r4", "move", "t2", "emotion.fear", 0, None, None),
    ("r4", "move", None, "nps", 7, None, None),
    # the other journey, scale 1..5 (midpoint 3)
    ("s1", "other", "u1", "valence", 5, "p1", "bolt"),
    ("s1", "other", None, "nps", 10, "p1", "bolt"),
    ("s2", "other", "u1", "valence", 2, "p1", "bolt"),
    ("s2", "other", None, "nps", 0, "p1", "bolt"),
]


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


@pytest.fixture(scope="module")
def hand(workspace):
    return compute(workspace, connection(HAND_ROWS))


def close(a, b, tol=1e-9):
    assert a is not None and b is not None, (a, b)
    assert math.isclose(a, b, rel_tol=tol, abs_tol=tol), (a, b)


def t_interval(values):
    values = np.asarray(values, dtype=float)
    return stats.t.interval(0.95, len(values) - 1, loc=values.mean(), scale=stats.sem(values))


def adjusted_wald(answers):
    """An independent adjusted-Wald NPS interval: the trinomial variance written as p(1-p) + d(1-d) + 2pd."""
    answers = np.asarray(answers)
    n = len(answers) + 3
    p = (np.sum(answers >= 9) + 0.75) / n
    d = (np.sum(answers <= 6) + 0.75) / n
    z = stats.norm.ppf(0.975)
    se = math.sqrt((p * (1 - p) + d * (1 - d) + 2 * p * d) / n)
    return max(-100.0, 100 * (p - d - z * se)), min(100.0, 100 * (p - d + z * se))


# --- the hand-worked example ---------------------------------------------------------------------

def test_touchpoint_metrics_by_hand(hand):
    t1 = hand.touchpoints["move.t1"]
    # respondents r1, r2, r3 answered something at t1
    assert t1.n == 3
    # valence -3, -1, 2: mean -2/3; below the midpoint 0: -3 and -1 -> 2/3
    assert t1.valence_n == 3
    close(t1.valence_mean, -2 / 3)
    close(t1.negative_share, 2 / 3)
    # sum of squares 14, variance (14 - 4/3) / 2 = 6.3333, se = sqrt(6.3333/3) = 1.45297,
    # t(0.975, 2) = 4.302653 -> half width 6.25165: [-6.918, 5.585], clipped to the scale -3..3 (issue 11)
    assert -2 / 3 - 6.251650 < -3 and -2 / 3 + 6.251650 > 3
    assert t1.valence_ci == (-3.0, 3.0)
    # fear named by r1 (intensity 4) and r2 (2) out of 3 respondents
    assert t1.emotions == pytest.approx({"fear": 2 / 3})
    # complain: 1, 0, 0 -> 1/3 say yes
    assert t1.intents == pytest.approx({"complain": 1 / 3})
    # CES 2, 6, 7 -> 5
    close(t1.ces_mean, 5.0)
    # step x expects -1: gap -2/3 - (-1) = 1/3
    assert t1.expected == -1
    close(t1.gap, 1 / 3)
    assert t1.nps is None and t1.nps_ci is None and t1.csat is None


def test_step_pools_its_touchpoints_and_counts_a_respondent_once(hand):
    y = hand.steps["move.y"]
    # t2: 1 (r1), 3 (r3), -2 (r4); t3: 2 (r2), 3 (r3) -> 5 answers, sum 7, mean 1.4, one below 0
    assert y.valence_n == 5
    close(y.valence_mean, 1.4)
    close(y.negative_share, 0.2)
    # the t-interval's upper end 3.97 lies above the scale's top (3): clipped (issue 11)
    low, high = t_interval([1, 3, -2, 2, 3])
    assert high > 3 and (y.valence_ci[0], y.valence_ci[1]) == pytest.approx((low, 3.0))
    # r1, r2, r3, r4 answered in step y; joy by r2 (t3) and r3 (t2 and t3: once) -> 2/4;
    # r4's fear at intensity 0 is not a named emotion
    assert y.n == 4
    assert y.emotions == pytest.approx({"joy": 0.5})
    close(y.gap, 0.4)
    t2, t3 = hand.touchpoints["move.t2"], hand.touchpoints["move.t3"]
    assert (t2.n, t3.n) == (3, 2)
    assert t2.emotions == pytest.approx({"joy": 1 / 3}) and t3.emotions == pytest.approx({"joy": 1.0})
    close(t3.valence_mean, 2.5)
    assert hand.steps["move.x"] == hand.touchpoints["move.t1"]  # a step with one touchpoint is that touchpoint


def test_stage_and_journey(hand):
    s1 = hand.stages["move.s1"]
    # t1 + t2 + t3: 8 answers, sum -2 + 7 = 5
    assert (s1.n, s1.valence_n) == (4, 8)
    close(s1.valence_mean, 5 / 8)
    # fear: r1, r2; joy: r2, r3 -> 2/4 each
    assert s1.emotions == pytest.approx({"fear": 0.5, "joy": 0.5})
    move = hand.journeys["move"]
    assert move.n == 4
    # CSAT 5, 4, 2: top-two box 2/3
    close(move.csat, 2 / 3)
    # NPS 10, 9, 3, 7: 2 promoters, 1 detractor of 4 -> 100 * (2 - 1) / 4 = 25
    assert move.nps_n == 4
    close(move.nps, 25.0)
    # adjusted Wald: n' = 7, p = 2.75/7 = .392857, d = 1.75/7 = .25, var = (.642857 - .020408)/7 = .0889213,
    # se = .298197, z = 1.959964: .142857 +- .584455 -> (-44.1598, 72.7312)
    close(move.nps_ci[0], -44.1598, 1e-5)
    close(move.nps_ci[1], 72.7312, 1e-5)
    assert move.nps_ci == pytest.approx(adjusted_wald([10, 9, 3, 7]))
    assert move.expected is None and move.gap is None


def test_nobody_answered(hand):
    t4, z = hand.touchpoints["move.t4"], hand.steps["move.z"]
    for m in (t4, z, hand.journeys["third"], hand.personas["p3"], hand.organisations["cell"]):
        assert m.n == 0 and m.valence_mean is None and m.valence_ci is None and m.negative_share is None
        assert m.emotions == {} and m.intents == {} and m.nps is None and m.nps_ci is None and m.ces_mean is None
    assert hand.touchpoint("move.t4") is None and hand.journey("third") is None
    assert hand.stages["move.s2"].n == 0 and hand.sectors["telecom"].n == 0


def test_personas_across_journeys_and_persona_steps(hand):
    p1 = hand.personas["p1"]
    # r1, r2 (move, -3..3) and s1, s2 (other, 1..5): a raw mean of -3, 1, -1, 2, 5, 2 (= 1) means nothing
    # on either scale (issue 11); the 0-100 scores are 0, 66.67, 33.33, 83.33 (move) and 100, 25 (other):
    # (0 + 66.667 + 33.333 + 83.333 + 100 + 25) / 6 = 308.333 / 6 = 51.389;
    # below the midpoint of each journey's scale: -3, -1 (move, 0) and 2 (other, 3) -> 3/6
    assert p1.n == 4
    assert p1.valence_mean is None and p1.mixed_scales
    close(p1.valence_score, 308.3333333333333 / 6)
    close(p1.negative_share, 0.5)
    # NPS 10, 9, 10, 0: 3 promoters, 1 detractor -> 50
    close(p1.nps, 50.0)
    p2 = hand.personas["p2"]
    # one respondent (r3): valence 2, 3, 3 and NPS 3 -> -100, with an adjusted-Wald interval even for n = 1
    assert p2.n == 1 and p2.nps == -100.0
    assert p2.nps_ci == pytest.approx(adjusted_wald([3]))
    step = hand.persona_steps[("p1", "move.x")]
    # r1 -3, r2 -1: mean -2; p1's own expectation at step x is -2 -> gap 0
    close(step.valence_mean, -2.0)
    assert step.expected == -2 and step.gap == 0
    single = hand.persona_steps[("p2", "move.x")]
    # n = 1: the mean is the answer, no interval
    assert single.valence_n == 1 and single.valence_mean == 2 and single.valence_ci is None
    assert hand.step("move.x", persona="p2") is single
    assert hand.persona_steps[("p2", "move.x")].expected == -1  # no view for p2: the step's expectation


def test_organisations_and_sectors(hand):
    # r4 has no organisation: the journey's (acme)
    assert hand.organisations["acme"].n == 4 and hand.organisations["bolt"].n == 2
    energy = hand.sectors["energy"]
    # NPS of acme and bolt: 10, 9, 3, 7, 10, 0 -> (3 - 2) / 6
    assert energy.n == 6
    close(energy.nps, 100 / 6)
    other = hand.steps["other.w"]
    # valence 5 and 2 on 1..5: mean 3.5, one below 3; expected 4 -> gap -0.5
    close(other.valence_mean, 3.5)
    close(other.negative_share, 0.5)
    close(other.gap, -0.5)


def test_kpis(hand):
    found = {(k.subject, k.metric): k for k in hand.kpis}
    # t1 valence -2/3 < 0
    assert found[("move.t1", "valence")].status == "missed"
    # t2 negative share 1/3 = 33.3% <= 40%
    assert found[("move.t2", "negative_share")].status == "met"
    close(found[("move.t2", "negative_share")].value, 100 / 3)
    # step x CES 5 >= 5
    assert found[("move.x", "ces")].status == "met"
    # journey CSAT 66.7% >= 50%, NPS 25 >= 0
    assert found[("move", "csat")].status == "met" and found[("move", "nps")].value == 25
    assert found[("move", "nps")].status == "met"
    # nobody answered t4
    assert found[("move.t4", "valence")].status == "no_data" and found[("move.t4", "valence")].value is None


def test_moments_hand(hand, workspace):
    move = {m.kind: m for m in hand.moments if m.journey == "move"}
    # measured steps: x (-2/3, 3 answers: fewer than SHOW_N = 5, so it takes no part), y (1.4, 5 answers);
    # z has no answers. One step: no drop
    assert move["lowest"].subject == "move.y" and "largest_drop" not in move
    # the peak is the most intense step: |1.4| > |-2/3|; the end is the last measured step
    assert move["peak"].subject == "move.y" and move["peak"].note == "positive" and move["end"].subject == "move.y"
    assert not [m for m in hand.moments if m.journey == "third"]


def test_moments_find_the_largest_drop(workspace):
    journey = workspace.get("move")
    steps = {"move.x": Metrics(n=40, valence_mean=0.0, valence_n=40, valence_sd=1.0),
             "move.y": Metrics(n=40, valence_mean=-1.0, valence_n=40, valence_sd=1.0),
             "move.z": Metrics(n=40, valence_mean=1.0, valence_n=40, valence_sd=1.0)}
    found = {m.kind: m for m in analysis.find_moments(journey, Results(steps=steps))}
    # 0 -> -1 is the only drop (-1), after step x: Welch t = -1 / sqrt(1/40 + 1/40) = -4.47, df 78, p < 0.001;
    # lowest y; |-1| = |1|: the first most intense (y) is the peak
    assert (found["largest_drop"].subject, found["largest_drop"].value, found["largest_drop"].note) == (
        "move.y", -1.0, "move.x")
    assert found["lowest"].subject == "move.y" and found["peak"].subject == "move.y"
    assert found["peak"].note == "negative" and found["end"].subject == "move.z"


# --- the statistics against scipy/numpy on synthetic data ----------------------------------------

def synthetic_rows(rng, respondents=400, skip=0.0):
    """Valence at t1, t2, t3 (move) with an NPS driven mostly by t1, a little by t2, not by t3."""
    rows, data = [], []
    for r in range(respondents):
        v = rng.integers(-3, 4, size=3).astype(float)
        nps = float(np.clip(np.rint(5 + 1.2 * v[0] + 0.5 * v[1] + rng.normal(0, 1.5)), 0, 10))
        present = [True, rng.random() >= skip, True]
        persona = "p1" if r % 2 else "p2"
        for tp, value, here in zip(("t1", "t2", "t3"), v, present):
            if here:
                rows.append((f"r{r}", "move", tp, "valence", value, persona, "acme"))
        rows.append((f"r{r}", "move", None, "nps", nps, persona, "acme"))
        data.append([v[0], v[1] if present[1] else np.nan, v[2], nps])
    return rows, np.array(data)


def brute_force_shapley(x, y):
    """Shapley shares of R² by ordinary least squares (with intercept) on every subset of columns."""
    p = x.shape[1]

    def r2(cols):
        if not cols:
            return 0.0
        design = np.column_stack([np.ones(len(y)), x[:, list(cols)]])
        beta, *_ = np.linalg.lstsq(design, y, rcond=None)
        residual = y - design @ beta
        return 1 - residual @ residual / ((y - y.mean()) @ (y - y.mean()))

    full = r2(tuple(range(p)))
    shares = []
    for j in range(p):
        others = [i for i in range(p) if i != j]
        total = 0.0
        for size in range(p):
            for subset in combinations(others, size):
                weight = math.factorial(size) * math.factorial(p - size - 1) / math.factorial(p)
                total += weight * (r2(tuple(sorted(subset + (j,)))) - r2(subset))
        shares.append(total / full)
    return shares, full


def test_valence_interval_matches_scipy(workspace):
    rng = np.random.default_rng(7)
    rows, data = synthetic_rows(rng, 500)
    results = compute(workspace, connection(rows))
    for column, tp in enumerate(("t1", "t2", "t3")):
        m = results.touchpoints[f"move.{tp}"]
        assert m.valence_mean == pytest.approx(data[:, column].mean(), abs=1e-12)
        assert m.valence_ci == pytest.approx(t_interval(data[:, column]), abs=1e-9)
        assert m.negative_share == pytest.approx(np.mean(data[:, column] < 0), abs=1e-12)
    journey = results.journeys["move"]
    nps = data[:, 3]
    assert journey.nps == pytest.approx(100 * (np.mean(nps >= 9) - np.mean(nps <= 6)), abs=1e-9)
    assert journey.nps_ci == pytest.approx(adjusted_wald(nps), abs=1e-9)


@pytest.mark.parametrize("answers, expected, bound", [
    # all promoters: n' = 8, p = 5.75/8, d = .75/8, .625 + 1.96 x .22964 > 1: the interval stops at 100
    ([10] * 5, 100.0, (None, 100.0)),
    ([0] * 5, -100.0, (-100.0, None)),   # all detractors: it stops at -100
    ([7, 8], 0.0, (None, None)),         # passives only
    ([9], 100.0, (None, None)),          # one answer: an interval all the same
])
def test_nps_edges(answers, expected, bound):
    promoters = sum(a >= 9 for a in answers)
    detractors = sum(a <= 6 for a in answers)
    assert analysis.nps_score(len(answers), promoters, detractors) == expected
    low, high = analysis.nps_interval(len(answers), promoters, detractors)
    assert (low, high) == pytest.approx(adjusted_wald(answers), abs=1e-9)
    assert -100 <= low < high <= 100
    assert bound[0] is None or low == bound[0]
    assert bound[1] is None or high == bound[1]
    assert analysis.nps_score(0, 0, 0) is None and analysis.nps_interval(0, 0, 0) is None


@pytest.mark.parametrize("df", [1, 2, 3, 5, 9, 29, 30, 99, 150, 199, 200, 201, 1000, 10**6])
def test_t_quantile_matches_scipy(df):
    assert analysis.t_quantile(0.975, df) == pytest.approx(stats.t.ppf(0.975, df), rel=1e-11)


def test_mean_interval_edges():
    assert analysis.mean_interval(0, 0.0, 0.0) == (None, None)
    assert analysis.mean_interval(1, 2.0, 4.0) == (2.0, None)
    mean, ci = analysis.mean_interval(3, 6.0, 12.0)  # 2, 2, 2: no spread: no interval rather than a zero-width one
    assert mean == 2.0 and ci is None


def test_drivers_are_the_shapley_decomposition(workspace):
    rng = np.random.default_rng(11)
    rows, data = synthetic_rows(rng, 600)
    results = compute(workspace, connection(rows))
    drivers = {d.touchpoint: d for d in results.drivers if d.journey == "move"}
    # t4 has no answers: not a driver
    assert set(drivers) == {"move.t1", "move.t2", "move.t3"}
    shares, _ = brute_force_shapley(data[:, :3], data[:, 3])
    for column, tp in enumerate(("t1", "t2", "t3")):
        assert drivers[f"move.{tp}"].weight == pytest.approx(shares[column], abs=1e-9)
        assert drivers[f"move.{tp}"].correlation == pytest.approx(
            np.corrcoef(data[:, column], data[:, 3])[0, 1], abs=1e-9)
    assert sum(d.weight for d in drivers.values()) == pytest.approx(1.0)
    # the truth: t1 drives NPS most, t3 not at all; the list is sorted by weight
    ordered = [d.touchpoint for d in results.drivers if d.journey == "move"]
    assert ordered[0] == "move.t1" and ordered[-1] == "move.t3" and drivers["move.t3"].weight < 0.02


def test_drivers_impute_a_missing_touchpoint_with_its_mean(workspace):
    rng = np.random.default_rng(5)
    rows, data = synthetic_rows(rng, 600, skip=0.3)
    results = compute(workspace, connection(rows))
    imputed = data[:, :3].copy()
    column = imputed[:, 1]
    column[np.isnan(column)] = np.nanmean(column)
    shares, _ = brute_force_shapley(imputed, data[:, 3])
    drivers = {d.touchpoint: d.weight for d in results.drivers}
    assert [drivers[f"move.{tp}"] for tp in ("t1", "t2", "t3")] == pytest.approx(shares, abs=1e-9)
    # the correlation itself uses only respondents who rated the touchpoint (pairwise)
    rated = ~np.isnan(data[:, 1])
    correlation = {d.touchpoint: d.correlation for d in results.drivers}["move.t2"]
    assert correlation == pytest.approx(np.corrcoef(data[rated, 1], data[rated, 3])[0, 1], abs=1e-9)


def correlations(x, y):
    whole = np.corrcoef(np.column_stack([x, y]), rowvar=False)
    return whole[:-1, :-1], whole[:-1, -1]


def test_relative_weights_against_shapley():
    rng = np.random.default_rng(3)
    # orthogonal predictors: both methods give each its squared correlation
    raw_x = rng.normal(size=(200, 3))
    x, _ = np.linalg.qr(raw_x - raw_x.mean(axis=0))  # centred first, so the columns stay uncorrelated
    y = x @ np.array([3.0, 2.0, 1.0]) + rng.normal(0, 0.01, size=200)
    corr, target = correlations(x, y)
    raw, r2 = analysis.relative_weights(corr, target)
    assert raw == pytest.approx(list(target ** 2), abs=1e-6)
    assert raw == pytest.approx(analysis.shapley_weights(corr, target)[0], abs=1e-6)
    # correlated predictors: the raw weights add up to R² (by least squares), close to the Shapley values
    base = rng.normal(size=(1000, 1))
    x = base + rng.normal(size=(1000, 4)) * np.array([0.5, 1.0, 1.5, 2.0])
    y = x @ np.array([1.0, 0.5, 0.2, 0.0]) + rng.normal(size=1000)
    corr, target = correlations(x, y)
    raw, r2 = analysis.relative_weights(corr, target)
    shares, full = brute_force_shapley(x, y)
    assert r2 == pytest.approx(full, abs=1e-9) and sum(raw) == pytest.approx(full, abs=1e-9)
    assert [w / r2 for w in raw] == pytest.approx(shares, abs=0.03)


def test_identical_touchpoints_share_their_weight():
    # the third touchpoint repeats the first: a singular correlation matrix, still a decomposition
    rng = np.random.default_rng(8)
    x = rng.normal(size=(300, 2))
    x = np.column_stack([x, x[:, 0]])
    y = x[:, 0] + 0.5 * x[:, 1] + rng.normal(size=300)
    corr, target = correlations(x, y)
    weights, r2 = analysis.shapley_weights(corr, target)
    _, full = brute_force_shapley(x[:, :2], y)
    assert r2 == pytest.approx(full, abs=1e-9) and sum(weights) == pytest.approx(r2, abs=1e-12)
    assert weights[0] == pytest.approx(weights[2], abs=1e-12)


def test_many_touchpoints_use_relative_weights(monkeypatch, workspace):
    monkeypatch.setattr(analysis, "SHAPLEY_LIMIT", 1)
    rng = np.random.default_rng(11)
    rows, data = synthetic_rows(rng, 300)
    drivers = {d.touchpoint: d.weight for d in compute(workspace, connection(rows)).drivers}
    corr, target = correlations(data[:, :3], data[:, 3])
    raw, r2 = analysis.relative_weights(corr, target)
    assert [drivers[f"move.{tp}"] for tp in ("t1", "t2", "t3")] == pytest.approx([w / r2 for w in raw], abs=1e-9)


# --- inputs: empty, views over files, missing tables -----------------------------------------------

def test_no_answers_at_all(workspace):
    con = connection([])
    results = compute(workspace, con)
    assert all(m.n == 0 for m in results.touchpoints.values()) and results.drivers == () and results.moments == ()
    assert {k.status for k in results.kpis} == {"no_data"}
    assert json.dumps(to_json(results, workspace))  # still a report
    assert "No answers yet." in to_markdown(results, workspace, "en")


def test_answers_outside_the_spec_are_left_out(workspace, hand):
    # a journey, touchpoint and persona the spec does not have (rows a looser loader might let through)
    extra = [("g1", "ghost", "t1", "valence", 3, "p1", "acme"),
             ("r1", "move", "nowhere", "valence", 3, "p1", "acme"),
             ("z1", "move", "t1", "valence", 3, "stranger", "acme")]
    results = compute(workspace, connection(HAND_ROWS + extra))
    assert "ghost" not in results.journeys and "stranger" not in results.personas
    assert not [key for key in results.persona_steps if key[0] == "stranger"]
    # the unknown touchpoint counts for its journey only (r1 answered it: still 4 respondents + z1)
    assert results.journeys["move"].n == 5 and results.touchpoints["move.t1"].n == 4
    assert results.touchpoints["move.t2"] == hand.touchpoints["move.t2"]


def test_temporary_tables_are_dropped(workspace):
    con = connection(HAND_ROWS)
    compute(workspace, con)
    assert con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall() == [("responses",)]


def test_a_view_over_parquet(tmp_path, workspace, hand):
    con = connection(HAND_ROWS)
    path = tmp_path / "answers.parquet"
    con.execute(f"COPY responses TO '{path}' (FORMAT parquet)")
    other = duckdb.connect()
    other.execute(f"CREATE VIEW responses AS SELECT * FROM read_parquet('{path}')")
    assert to_json(compute(workspace, other), workspace) == to_json(hand, workspace)


def test_missing_table_or_columns_is_a_clear_error(workspace):
    with pytest.raises(RenderError, match="no `responses` table"):
        compute(workspace, duckdb.connect())
    con = duckdb.connect()
    con.execute("CREATE TABLE responses (respondent_id VARCHAR, journey VARCHAR)")
    with pytest.raises(RenderError, match="touchpoint"):
        compute(workspace, con)


# --- reports ---------------------------------------------------------------------------------------

def test_json_layout_and_determinism(hand, workspace):
    data = to_json(hand, workspace)
    for key in ("touchpoints", "journeys", "personas", "organisations", "moments", "drivers", "kpis", "benchmark"):
        assert key in data
    t1 = data["touchpoints"]["move.t1"]
    for name in ("n", "valence_mean", "valence_ci", "negative_share", "emotions", "intents", "ces_mean", "csat",
                 "nps", "nps_ci", "expected", "gap"):
        assert name in t1
    assert t1["valence_mean"] == -0.6667 and t1["n"] == 3
    assert data["journeys"]["move"]["nps_ci"] == [-44.1598, 72.7312]
    assert data["persona_steps"]["p1"]["move.x"]["gap"] == 0
    assert data["kpis"]["plan"][1] == {"subject": "move.t2", "metric": "negative_share", "op": "<=",
                                       "target": 40.0, "unit": "percent", "value": 33.3333, "status": "met"}
    assert data["benchmark"]["organisations"]["bolt"]["sector"] == "energy"
    again = to_json(compute(workspace, connection(list(reversed(HAND_ROWS)))), workspace)
    assert json.dumps(again, sort_keys=False) == json.dumps(data, sort_keys=False)
    assert list(data) == sorted(data) and list(data["touchpoints"]) == sorted(data["touchpoints"])


def test_benchmark_flags_differences_beyond_the_margin(workspace):
    rows = []
    for r in range(60):  # acme: everyone a promoter and happy; bolt: everyone a detractor and unhappy
        rows += [(f"a{r}", "move", "t1", "valence", 3, "p1", "acme"), (f"a{r}", "move", None, "nps", 10, "p1", "acme"),
                 (f"b{r}", "other", "u1", "valence", 1 + r % 2, "p1", "bolt"),
                 (f"b{r}", "other", None, "nps", r % 3, "p1", "bolt")]
    data = to_json(compute(workspace, connection(rows)), workspace)
    found = {(c["metric"], c["higher"], c["lower"]) for c in data["benchmark"]["comparisons"]["organisations"]}
    assert ("nps", "acme", "bolt") in found
    assert data["benchmark"]["comparisons"]["sectors"] == []  # telecom has no answers: nothing to compare


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_html_escapes_and_is_self_contained(hand, workspace):
    page = to_html(hand, workspace, "en")
    checker = _Checker()
    checker.feed(page)
    assert "script" not in checker.tags and "link" not in checker.tags and "img" not in checker.tags
    assert "Acme <script>alert(1)</script>" in "".join(checker.text)  # shown as text
    assert "&lt;script&gt;" in page and "<script>" not in page
    assert "Bolt &quot;Power&quot; | {x} \\ back" in page
    assert "Persona één 😀" in page and "http" not in page
    assert page == to_html(hand, workspace, "en")


def test_markdown_escapes_and_is_localised(workspace):
    # every subject shown and unmarked (the hand example's samples are all below the default minimum)
    hand = compute(workspace, connection(HAND_ROWS), report_n=1, show_n=1)
    en = to_markdown(hand, workspace, "en")
    nl = to_markdown(hand, workspace, "nl")
    assert en.startswith("# Measured results\n") and "## Journey: Moving" in en
    assert nl.startswith("# Meetresultaten\n") and "## Klantreis: Verhuizen" in nl
    assert "\\<script\\>" in en and "<script>" not in en
    assert "Bolt \"Power\" \\| {x} \\\\ back" in en
    assert "Persona \\*two\\* \\[x\\](y)" in en
    # numbers in the reader's locale: a decimal comma in Dutch
    assert "-0.67 \\[-3.00, 3.00\\]" in en and "-0,67 \\[-3,00; 3,00\\]" in nl
    assert "| Form | Step X | 3 |" in en
    # KPI targets in the reader's words: 1/3 negative at t2 against <= 40%
    assert "| Mail | share negative | \\<= 40% | 33.33% | met |" in en
    assert "| Mail | aandeel negatief | \\<= 40% | 33,33% | gehaald |" in nl
    assert "| Nobody | mean valence | \\>= 1 | – | no data |" in en
    # every table row has as many cells as its header
    for line in en.splitlines():
        if line.startswith("|"):
            cells = line.replace("\\|", "").count("|")
            assert cells in {3 + 1, 5 + 1, 6 + 1, 7 + 1, 8 + 1}, line


def test_long_labels_stay_on_one_line(workspace):
    spec = SPEC.replace('"Form"', '"' + "x" * 500 + '\\nnew line"')
    long_ws = journeyql.parse(spec, "spec.jql")
    results = compute(long_ws, connection(HAND_ROWS))
    text = to_markdown(results, long_ws, "en")
    assert all(not line.startswith("new line") for line in text.splitlines())
    assert "x" * 500 in text and "x" * 500 in to_html(results, long_ws, "en")


# --- the benchmark script ------------------------------------------------------------------------------

def test_benchmark_script_runs_quick(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_analyze.py"), "--quick",
                             "--rows", "200000", "--cache", str(tmp_path), "--repeat", "1", "--no-pipeline"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "compute" in result.stdout and "bare query" in result.stdout and "ratio" in result.stdout
    assert "peak RSS" in result.stdout and "same NPS" in result.stdout
    # compute and the bare query found the same NPS per journey on Parquet and CSV
    rows = [line for line in result.stdout.splitlines() if "parquet" in line or " csv " in line]
    assert len(rows) == 2 and all(" yes " in line for line in rows), result.stdout
