"""The sector benchmark (measure/benchmark.py) against a computation written here, independently.

The oracle below computes means, Welch's t, its degrees of freedom and the two-sided p-value with a
numerical integral of Student's t density (not the incomplete beta function the code uses), and Holm's
correction from its definition; the data is small enough to check by hand.
"""

from __future__ import annotations

import json
import math
import statistics

import duckdb
import pytest

import journeyql
from journeyql.measure.analysis import compute
from journeyql.measure.benchmark import holm
from journeyql.measure.report import to_json

SPEC = r'''
organisation a "A" { sector telecom }
organisation b "B" { sector telecom }
organisation c "C" { sector telecom }
stakeholder ad "A desk" { kind internal  organisation a }
stakeholder bd "B desk" { kind internal  organisation b }
stakeholder cd "C desk" { kind internal  organisation c }
channel web "Web" { kind web }
persona p "P" {}
journey j "J" {
  organisations a, b, c
  personas p
  stage s "S" {
    step x "X" {
      touchpoint t1 "T1" { channel web  owner ad  for b { owner bd }  for c { owner cd } }
      touchpoint t2 "T2" { channel web  owner ad  for b { owner bd }  for c { owner cd } }
    }
    step y "Y" {
      touchpoint u "U" { channel web  owner ad  for b { owner bd }  for c { owner cd } }
    }
  }
}
'''

COLUMNS = ("respondent_id VARCHAR, journey VARCHAR, touchpoint VARCHAR, item VARCHAR, value VARCHAR, num DOUBLE, "
           "ts TIMESTAMP, persona VARCHAR, organisation VARCHAR")

# Step x: each respondent answers t1 and t2; their step score is the mean of the two.
#   a: (3,2) (3,3) (2,2) (3,2) (2,3) (3,3)  -> scores 2.5 3 2 2.5 2.5 3
#   b: (0,-1) (-1,-1) (0,0) (-1,0) (0,-1) (1,0) -> scores -0.5 -1 0 -0.5 -0.5 0.5
#   c: (1,0) (0,1) (1,1) (0,0) (1,0) (0,1)   -> scores 0.5 0.5 1 0 0.5 0.5
X = {"a": [(3, 2), (3, 3), (2, 2), (3, 2), (2, 3), (3, 3)],
     "b": [(0, -1), (-1, -1), (0, 0), (-1, 0), (0, -1), (1, 0)],
     "c": [(1, 0), (0, 1), (1, 1), (0, 0), (1, 0), (0, 1)]}
# Step y (touchpoint u): a and b alike; c has only 3 respondents (below report_n = 5: not enough data).
Y = {"a": [0, 1, 0, 1, 0, 1], "b": [1, 0, 1, 0, 0, 1], "c": [-3, -3, -2]}
REPORT_N, SHOW_N = 5, 2


def rows():
    out = []
    for org, pairs in X.items():
        for i, (v1, v2) in enumerate(pairs):
            rid = f"{org}{i}"
            out += [(rid, "j", "t1", "valence", v1, org), (rid, "j", "t2", "valence", v2, org)]
    for org, values in Y.items():
        for i, v in enumerate(values):
            out.append((f"{org}{i}", "j", "u", "valence", v, org))
    return out


@pytest.fixture(scope="module")
def results():
    workspace = journeyql.parse(SPEC, "spec.jql")
    con = duckdb.connect()
    con.execute(f"CREATE TABLE responses ({COLUMNS})")
    con.executemany("INSERT INTO responses VALUES (?, ?, ?, ?, ?, ?, NULL, 'p', ?)",
                    [(r, j, t, i, str(n), float(n), o) for r, j, t, i, n, o in rows()])
    return workspace, compute(workspace, con, report_n=REPORT_N, show_n=SHOW_N)


# --- the oracle -------------------------------------------------------------------------------------

def t_density(x: float, df: float) -> float:
    return math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi) \
        * (1 + x * x / df) ** (-(df + 1) / 2)


def two_sided_p(t: float, df: float) -> float:
    """2 x P(T > |t|) by Simpson's rule on the density over [|t|, |t| + 200] (the tail beyond is negligible)."""
    lo, hi, steps = abs(t), abs(t) + 200.0, 200_000
    h = (hi - lo) / steps
    total = t_density(lo, df) + t_density(hi, df)
    total += sum((4 if k % 2 else 2) * t_density(lo + k * h, df) for k in range(1, steps))
    return 2 * total * h / 3


def welch(one: list[float], two: list[float]) -> tuple[float, float]:
    va, vb = statistics.variance(one) / len(one), statistics.variance(two) / len(two)
    t = (statistics.mean(one) - statistics.mean(two)) / math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va ** 2 / (len(one) - 1) + vb ** 2 / (len(two) - 1))
    return t, two_sided_p(t, df)


def x_scores(org: str) -> list[float]:
    return [(v1 + v2) / 2 for v1, v2 in X[org]]


# --- the tests --------------------------------------------------------------------------------------

def test_step_scores_are_respondent_means_and_the_sector_mean_pools_everyone(results):
    workspace, found = results
    row = found.benchmarks["j"].steps[0]
    assert row.subject == "j.x" and row.n == 18
    everyone = x_scores("a") + x_scores("b") + x_scores("c")
    assert math.isclose(row.mean, statistics.mean(everyone))  # (15.5 - 2 + 3) / 18 = 0.9167
    assert math.isclose(row.mean, 16.5 / 18)
    a = row.score("a")
    assert a.n == 6 and math.isclose(a.mean, 15.5 / 6) and math.isclose(a.rest_mean, 1.0 / 12)
    # the 95% interval of a's mean: mean +/- t(0.975, 5) x sd / sqrt(6); t(0.975, 5) = 2.570582
    half = 2.5705818366 * statistics.stdev(x_scores("a")) / math.sqrt(6)
    assert math.isclose(a.ci[0], 15.5 / 6 - half, rel_tol=1e-6) and math.isclose(a.ci[1], 15.5 / 6 + half, rel_tol=1e-6)


def test_welch_of_each_organisation_against_the_rest_and_holm_decide(results):
    _, found = results
    x, y = found.benchmarks["j"].steps
    rest = {o: [s for other in X if other != o for s in x_scores(other)] for o in X}
    family = {o: welch(x_scores(o), rest[o]) for o in X}
    # y: c has 3 respondents (< 5): not tested; a and b against the rest (which includes c's 3)
    y_rest = {o: [v for other in Y if other != o for v in Y[other]] for o in ("a", "b")}
    family |= {f"y.{o}": welch(Y[o], y_rest[o]) for o in ("a", "b")}
    ps = {k: p for k, (_, p) in family.items()}
    # Holm by hand: sort the 5 p-values, multiply the i-th smallest by (5 - i), keep the running maximum
    ordered = sorted(ps, key=ps.get)
    adjusted, running = {}, 0.0
    for i, key in enumerate(ordered):
        running = max(running, min(1.0, (len(ordered) - i) * ps[key]))
        adjusted[key] = running
    for org in X:
        score = x.score(org)
        assert math.isclose(score.p, ps[org], rel_tol=1e-6, abs_tol=1e-12), org
        assert math.isclose(score.p_adjusted, adjusted[org], rel_tol=1e-6, abs_tol=1e-12), org
    for org in ("a", "b"):
        assert math.isclose(y.score(org).p, ps[f"y.{org}"], rel_tol=1e-6)
        assert math.isclose(y.score(org).p_adjusted, adjusted[f"y.{org}"], rel_tol=1e-6)
    # the decisions: a is clearly above the rest, b clearly below; c's -0.6 below the rest at x is
    # not supported once corrected, nor are a and b at y
    assert x.score("a").verdict == "higher" and x.score("b").verdict == "lower"
    assert adjusted["c"] >= 0.05 and x.score("c").verdict == "no_difference"
    assert {y.score("a").verdict, y.score("b").verdict} == {"no_difference"}
    # c at y: 3 respondents, below report_n: not enough data, no p-value, its mean still shown
    c = y.score("c")
    assert c.verdict == "not_enough_data" and c.p is None and c.p_adjusted is None and c.sample == "small"
    assert math.isclose(c.mean, -8 / 3)


def test_best_and_worst_per_step_and_json_keys(results):
    workspace, found = results
    x = found.benchmarks["j"].steps[0]
    assert [s.organisation for s in x.ranked(SHOW_N)] == ["a", "c", "b"]
    data = json.loads(json.dumps(to_json(found, workspace)))
    bench = data["benchmark"]
    assert {"organisations", "sectors", "comparisons"} <= set(bench)  # the keys that were there stay
    j = bench["journeys"]["j"]
    assert j["test"] == "welch_vs_rest" and j["correction"] == "holm" and j["alpha"] == 0.05
    assert j["sector"] == "telecom" and j["organisations"] == ["a", "b", "c"]
    assert j["steps"]["j.x"]["best"] == "a" and j["steps"]["j.x"]["worst"] == "b"
    assert j["steps"]["j.y"]["organisations"]["c"]["verdict"] == "not_enough_data"
    assert set(j["touchpoints"]) == {"j.t1", "j.t2", "j.u"}
    # a touchpoint score is the respondent's one answer there: a at t1 = mean(3,3,2,3,2,3) = 16/6
    assert j["touchpoints"]["j.t1"]["organisations"]["a"]["mean"] == round(16 / 6, 4)


def test_holm_from_its_definition():
    # p = 0.01, 0.04, 0.03, 0.005 -> sorted 0.005 0.01 0.03 0.04 -> x4 x3 x2 x1 = 0.02 0.03 0.06 0.04,
    # running maximum 0.02 0.03 0.06 0.06
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert holm([0.5, 0.9]) == pytest.approx([1.0, 1.0])
    assert holm([]) == []


def test_a_journey_of_one_organisation_has_no_benchmark(results):
    workspace, found = results
    assert set(found.benchmarks) == {"j"}


def test_best_and_worst_rank_only_reportable_figures():
    """An organisation below report_n is shown (marked small) but not ranked: the telecom outage step,
    28 and 33 respondents at report_n 30, names no best or worst; 30 and 33 would."""
    from journeyql.measure.benchmark import BenchmarkRow, OrganisationScore

    def row(n_lumen: int) -> BenchmarkRow:
        return BenchmarkRow("j.outage", n_lumen + 33, -2.3, None, (
            OrganisationScore("lumen", n=n_lumen, mean=-2.64, sample="small" if n_lumen < 30 else "ok"),
            OrganisationScore("signal", n=33, mean=-2.0, sample="ok")))

    assert row(28).best_and_worst(30) == (None, None)
    assert [s.organisation for s in row(28).ranked(5)] == ["signal", "lumen"]  # both still shown
    assert row(30).best_and_worst(30) == ("signal", "lumen")
    assert row(28).best_and_worst(20) == ("signal", "lumen")  # report_n is the workspace's setting


def test_telecom_outage_step_names_no_best_or_worst_in_every_report(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    spec = Path(__file__).resolve().parent.parent / "specs" / "telecom-switch"
    out = subprocess.run([sys.executable, "-m", "journeyql.cli", "analyze", str(spec), "--format", "json"],
                         capture_output=True, text=True, check=True).stdout
    steps = json.loads(out)["benchmark"]["journeys"]["switch"]["steps"]
    assert {o["n"] for o in steps["switch.outage"]["organisations"].values()} == {28, 33}
    assert steps["switch.outage"]["best"] is None and steps["switch.outage"]["worst"] is None
    assert (steps["switch.first_bill"]["best"], steps["switch.first_bill"]["worst"]) == ("signal", "lumen")
    markdown = subprocess.run([sys.executable, "-m", "journeyql.cli", "analyze", str(spec), "--format", "markdown"],
                              capture_output=True, text=True, check=True).stdout
    # the benchmark tables' rows of that step and of its touchpoint (the ones with verdicts)
    outage = [line for line in markdown.splitlines() if "not enough data" in line and "28" in line]
    assert len(outage) == 2 and all(line.rstrip(" |").endswith("–") for line in outage), outage
