"""Respondent scores (measure/scores.py): the one pass that serves the benchmark and the wave changes,
checked against each respondent's mean valence computed here in plain Python, independently."""

from __future__ import annotations

import math

import duckdb

import journeyql
from journeyql.measure.analysis import compute_with_valence

SPEC = r'''
organisation a "A" { sector telecom }
organisation b "B" { sector telecom }
stakeholder ad "A desk" { kind internal  organisation a }
stakeholder bd "B desk" { kind internal  organisation b }
channel web "Web" { kind web }
journey j "J" {
  organisations a, b
  stage s "S" {
    step x "X" {
      touchpoint t1 "T1" { channel web  owner ad  for b { owner bd } }
      touchpoint t2 "T2" { channel web  owner ad  for b { owner bd } }
    }
    step y "Y" {
      touchpoint u "U" { channel web  owner ad  for b { owner bd } }
    }
  }
}
'''

# (respondent, touchpoint, item, value, organisation): r1 rates both touchpoints of step x; r2 rates t1 twice
# (a table compute gets need not be validated: both answers count, their mean is r2's score there); r3 has no
# organisation (in the wave means, not in the benchmark); r4 gives a valence without a number and an NPS.
ANSWERS = [
    ("r1", "t1", "valence", 3, "a"), ("r1", "t2", "valence", -1, "a"), ("r1", "u", "valence", 2, "a"),
    ("r2", "t1", "valence", 1, "b"), ("r2", "t1", "valence", 2, "b"), ("r2", "u", "valence", -3, "b"),
    ("r3", "t2", "valence", 0, None), ("r3", "u", "valence", 1, None),
    ("r4", "t1", "valence", None, "a"), ("r4", "u", "valence", 2, "a"), ("r4", None, "nps", 9, "a"),
    ("r5", "t2", "valence", -2, "a"), ("r5", "u", "valence", 3, "a"),
]
STEP = {"t1": "j.x", "t2": "j.x", "u": "j.y"}


def _results():
    workspace = journeyql.parse(SPEC, "spec.jql")
    con = duckdb.connect()
    con.execute("CREATE TABLE responses (respondent_id VARCHAR, journey VARCHAR, touchpoint VARCHAR, item VARCHAR, "
                "value VARCHAR, num DOUBLE, ts TIMESTAMP, persona VARCHAR, organisation VARCHAR)")
    con.executemany("INSERT INTO responses VALUES (?, 'j', ?, ?, ?, ?, NULL, NULL, ?)",
                    [(r, t, i, None if v is None else str(v), v, o) for r, t, i, v, o in ANSWERS])
    return compute_with_valence(workspace, con, ["j"], report_n=1, show_n=1)


def _respondent_means():
    """(level, subject) -> {respondent: mean valence there}, and each respondent's organisation."""
    answers: dict = {}
    owner = {}
    for respondent, touchpoint, item, value, organisation in ANSWERS:
        owner[respondent] = organisation
        if item != "valence" or value is None:
            continue
        for key in (("touchpoints", f"j.{touchpoint}"), ("steps", STEP[touchpoint]), ("journeys", "j")):
            answers.setdefault(key, {}).setdefault(respondent, []).append(value)
    return {key: {r: sum(v) / len(v) for r, v in found.items()} for key, found in answers.items()}, owner


def test_the_wave_means_are_each_respondents_mean_valence_per_touchpoint_step_and_journey():
    _, valence = _results()
    means, _ = _respondent_means()
    assert set(valence) == set(means)
    for key, found in means.items():
        scores = list(found.values())
        n, total, squares = valence[key]
        assert n == len(scores), key
        assert math.isclose(total, sum(scores), abs_tol=1e-12), key
        assert math.isclose(squares, sum(s * s for s in scores), abs_tol=1e-12), key
    # by hand: step x is r1 (3 + -1) / 2 = 1, r2 (1 + 2) / 2 = 1.5, r3 0, r5 -2 (r4's valence has no number)
    assert valence[("steps", "j.x")][:2] == [4, 0.5]
    assert valence[("journeys", "j")][0] == 5


def test_the_benchmark_takes_the_same_scores_per_organisation_and_leaves_out_who_has_none():
    results, _ = _results()
    means, owner = _respondent_means()
    bench = results.benchmarks["j"]
    for level, rows in (("steps", bench.steps), ("touchpoints", bench.touchpoints)):
        for row in rows:
            everyone = means.get((level, row.subject), {})
            for organisation in ("a", "b"):
                scores = [s for r, s in everyone.items() if owner[r] == organisation]
                score = row.score(organisation)
                assert score.n == len(scores), (row.subject, organisation)
                if scores:
                    assert math.isclose(score.mean, sum(scores) / len(scores)), (row.subject, organisation)
            assert row.n == sum(1 for r in everyone if owner[r] is not None)
    # by hand: at step x, a has r1 (1) and r5 (-2), b has r2 (1.5); r3 has no organisation
    x = bench.steps[0]
    assert (x.score("a").n, x.score("a").mean, x.score("b").n, x.score("b").mean) == (2, -0.5, 1, 1.5)
