"""Measurement waves: every metric per wave, changes with Welch's t and Holm, trends, KPI status per wave.

The expectations are computed here from the answers themselves (``statistics`` and scipy), never by
the code under test.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest
from scipy import stats

from journeyql.cli import main

SPEC = """\
stakeholder ops "Ops" { kind internal }
channel web "Web" { kind web }
persona p "P" { prefers web }
journey j "J" {
  personas p
  stage s "S" {
    step a "A" {
      touchpoint t1 "T1" { channel web  owner ops }
      touchpoint t2 "T2" { channel web  owner ops }
    }
    step b "B" {
      touchpoint t3 "T3" { channel web  owner ops }
    }
  }
}
measurement m "M" {
  journey j
  valence { scale -3..3  question "How?" }
  sample t1, t2, t3
  kpi t1.valence >= 0
  kpi t2.valence >= -1
%(baseline)s
%(waves)s
}
"""

# Wave answers per touchpoint: respondent i answers t1[i], t2[i] (when i < len), t3[i].
W1 = {"t1": [(-2, -1, 0, -1)[i % 4] for i in range(40)],
      "t2": [(0, 1, 0, -1, 1)[i % 5] for i in range(40)],
      "t3": [(1, 2, 1, 0)[i % 4] for i in range(40)]}
W2 = {"t1": [(-1, 0, 1, 0)[i % 4] for i in range(40)],      # up by one point: improved
      "t2": [(0, 1, 0, -1, 0)[i % 5] for i in range(40)],   # a little down: not significant
      "t3": [-3, -3, -2]}                                    # a big fall, but 3 respondents: not enough data
W3 = {"t1": [(-2, -1, 0, -1)[i % 4] for i in range(40)],     # back down: declined since W2
      "t2": [(0, 1, 0, -1, 1)[i % 5] for i in range(40)],
      "t3": [(1, 2, 1, 0)[i % 4] for i in range(40)]}


def _csv(wave: str, answers: dict) -> str:
    lines = ["respondent_id,journey,touchpoint,item,value,timestamp"]
    for touchpoint, values in answers.items():
        for i, value in enumerate(values):
            lines.append(f"{wave}-{i},j,{touchpoint},valence,{value},")
    return "\n".join(lines) + "\n"


def workspace(tmp_path: Path, waves: dict, baseline: str | None = None, report_n: int = 30) -> Path:
    root = tmp_path / "ws"
    (root / "responses").mkdir(parents=True)
    blocks = []
    for name, answers in waves.items():
        (root / "responses" / f"{name}.csv").write_text(_csv(name, answers), encoding="utf-8")
        blocks.append(f'  wave {name} "{name.upper()}" {{\n    data "responses/{name}.csv"\n  }}')
    text = SPEC % {"waves": "\n".join(blocks), "baseline": f"  baseline {baseline}" if baseline else ""}
    (root / "spec.jql").write_text(text, encoding="utf-8")
    (root / "journeyql.toml").write_text(f"[analysis]\nreport_n = {report_n}\nshow_n = 2\n", encoding="utf-8")
    return root


def analyze(root: Path, capsys, *extra) -> tuple[int, dict]:
    code = main(["analyze", str(root), "--cache-dir", str(root.parent / "cache"), *extra])
    out = capsys.readouterr().out
    return code, (json.loads(out) if out.strip().startswith("{") else out)


def _change(report, subject, since="previous", after=None):
    found = [c for c in report["changes"] if c["subject"] == subject and c["since"] == since
             and (after is None or c["after_wave"] == after)]
    assert len(found) == 1, found
    return found[0]


def _welch(before, after):
    """Independent Welch: the difference, its 95% interval and p, from scipy and the t distribution."""
    test = stats.ttest_ind(after, before, equal_var=False)
    a = statistics.variance(before) / len(before)
    b = statistics.variance(after) / len(after)
    df = (a + b) ** 2 / (a * a / (len(before) - 1) + b * b / (len(after) - 1))
    half = stats.t.ppf(0.975, df) * (a + b) ** 0.5
    difference = statistics.mean(after) - statistics.mean(before)
    return difference, (difference - half, difference + half), float(test.pvalue)


def _holm(p_values):
    """Holm by the book: compare the k-th smallest p with alpha / (m - k + 1), stop at the first failure."""
    m = len(p_values)
    ranked = sorted(p_values)
    significant = set()
    for k, p in enumerate(ranked):
        if p < 0.05 / (m - k):
            significant.add(p)
        else:
            break
    return [p in significant for p in p_values]


def test_every_metric_per_wave_and_the_latest_wave_is_the_current_result(tmp_path, capsys):
    code, report = analyze(workspace(tmp_path, {"w1": W1, "w2": W2}), capsys)
    assert code == 0
    assert [w["wave"] for w in report["waves"]] == ["w1", "w2"]
    first, latest = report["waves"]
    assert first["baseline"] and not first["latest"] and latest["latest"] and not latest["baseline"]
    assert first["touchpoints"]["j.t1"]["valence_mean"] == pytest.approx(statistics.mean(W1["t1"]), abs=1e-4)
    assert first["touchpoints"]["j.t1"]["n"] == 40
    assert latest["touchpoints"]["j.t3"]["n"] == 3
    # the top-level results are the latest wave's: the curve shows today, not an average over time
    assert report["touchpoints"]["j.t1"]["valence_mean"] == pytest.approx(statistics.mean(W2["t1"]), abs=1e-4)
    assert report["touchpoints"]["j.t3"]["n"] == 3
    # KPI status per wave: t1 >= 0 missed in w1 (mean -1), met in w2 (mean 0)
    status = {w["wave"]: {k["subject"]: k["status"] for k in w["kpis"]} for w in report["waves"]}
    assert status == {"w1": {"j.t1": "missed", "j.t2": "met"}, "w2": {"j.t1": "met", "j.t2": "met"}}
    assert {k["subject"]: k["status"] for k in report["kpis"]["m"]} == status["w2"]


def test_changes_welch_by_hand_holm_and_a_small_sample(tmp_path, capsys):
    _, report = analyze(workspace(tmp_path, {"w1": W1, "w2": W2}), capsys)
    t1, t2, t3 = (_change(report, f"j.{t}") for t in ("t1", "t2", "t3"))
    for found, name in ((t1, "t1"), (t2, "t2")):
        difference, ci, p = _welch(W1[name], W2[name])
        assert found["change"] == pytest.approx(difference, abs=1e-4)
        assert found["ci"] == pytest.approx(ci, abs=1e-4)
        assert found["p"] == pytest.approx(p, abs=1e-4)
        assert (found["n_before"], found["n_after"]) == (40, 40)
    # Holm over the two tested touchpoints (t3 is not tested): adjusted p = min(1, 2 p) for the smaller,
    # max(that, p) for the larger
    p1, p2 = _welch(W1["t1"], W2["t1"])[2], _welch(W1["t2"], W2["t2"])[2]
    small, large = sorted([p1, p2])
    adjusted = {small: min(1, 2 * small), large: max(min(1, 2 * small), min(1, large))}
    assert t1["p_adjusted"] == pytest.approx(adjusted[p1], abs=1e-4)
    assert t2["p_adjusted"] == pytest.approx(adjusted[p2], abs=1e-4)
    decisions = _holm([p1, p2])
    assert decisions == [True, False]
    assert t1["status"] == "improved" and t2["status"] == "no_significant_change"
    # a fall of 4 points with 3 respondents: not enough data, never significant
    assert t3["status"] == "not_enough_data" and t3["p"] is None and t3["ci"] is None
    assert t3["change"] == pytest.approx(statistics.mean(W2["t3"]) - statistics.mean(W1["t3"]), abs=1e-4)


def test_a_step_compares_respondents_not_answers(tmp_path, capsys):
    _, report = analyze(workspace(tmp_path, {"w1": W1, "w2": W2}), capsys)
    step = _change(report, "j.a")
    # each respondent's mean over t1 and t2 (both answered by all 40)
    before = [(x + y) / 2 for x, y in zip(W1["t1"], W1["t2"])]
    after = [(x + y) / 2 for x, y in zip(W2["t1"], W2["t2"])]
    difference, ci, p = _welch(before, after)
    assert step["n_before"] == 40 and step["change"] == pytest.approx(difference, abs=1e-4)
    assert step["ci"] == pytest.approx(ci, abs=1e-4) and step["p"] == pytest.approx(p, abs=1e-4)
    journey = _change(report, "j")
    before = [(x + y + z) / 3 for x, y, z in zip(W1["t1"], W1["t2"], W1["t3"])]
    after = [(x + y + z) / 3 for x, y, z in zip(W2["t1"], W2["t2"], W2["t3"] + [None] * 37)
             if z is not None] + [(x + y) / 2 for x, y in zip(W2["t1"][3:], W2["t2"][3:])]
    difference, ci, p = _welch(before, after)
    assert journey["change"] == pytest.approx(difference, abs=1e-4)
    assert journey["p"] == pytest.approx(p, abs=1e-4)
    assert journey["p_adjusted"] == pytest.approx(p, abs=1e-4)  # a family of one


def test_previous_and_baseline_and_the_trend(tmp_path, capsys):
    _, report = analyze(workspace(tmp_path, {"w1": W1, "w2": W2, "w3": W3}), capsys)
    since_previous = _change(report, "j.t1", "previous", "w3")
    assert since_previous["before_wave"] == "w2" and since_previous["status"] == "declined"
    since_baseline = _change(report, "j.t1", "baseline", "w3")
    assert since_baseline["before_wave"] == "w1"
    assert since_baseline["change"] == pytest.approx(0.0, abs=1e-9)
    assert since_baseline["status"] == "no_significant_change"
    trend = next(t for t in report["trends"] if t["subject"] == "j.t1")
    values = [statistics.mean(w["t1"]) for w in (W1, W2, W3)]
    assert trend["waves"] == ["w1", "w2", "w3"] and trend["values"] == pytest.approx(values, abs=1e-4)
    assert trend["slope"] == pytest.approx(stats.linregress([0, 1, 2], values).slope, abs=1e-4)


def test_a_named_baseline(tmp_path, capsys):
    _, report = analyze(workspace(tmp_path, {"w1": W1, "w2": W2, "w3": W3}, baseline="w2"), capsys)
    assert [w["baseline"] for w in report["waves"]] == [False, True, False]
    assert [c for c in report["changes"] if c["since"] == "baseline" and c["after_wave"] == "w2"] == []
    assert _change(report, "j.t1", "baseline", "w3")["before_wave"] == "w2"


def test_a_smaller_minimum_makes_a_small_group_testable(tmp_path, capsys):
    # report_n = 3: the three respondents of t3 are enough, and a fall from 1 to -3 is significant
    _, report = analyze(workspace(tmp_path, {"w1": W1, "w2": W2}, report_n=3), capsys)
    t3 = _change(report, "j.t3")
    assert t3["status"] == "declined"
    assert t3["p"] == pytest.approx(_welch(W1["t3"], W2["t3"])[2], abs=1e-4)


def test_a_panel_answers_in_every_wave_without_duplicates(tmp_path, capsys):
    # the same respondent ids in two waves: two answers, not a duplicate
    root = workspace(tmp_path, {"w1": W1, "w2": W2})
    for name in ("w1", "w2"):
        path = root / "responses" / f"{name}.csv"
        path.write_text(path.read_text(encoding="utf-8").replace(f"{name}-", "person-"), encoding="utf-8")
    code, report = analyze(root, capsys)
    assert code == 0
    assert report["waves"][0]["touchpoints"]["j.t1"]["n"] == 40
    assert report["waves"][1]["touchpoints"]["j.t1"]["n"] == 40


def test_without_waves_the_report_is_as_before_plus_empty_wave_keys(tmp_path, capsys):
    root = tmp_path / "ws"
    (root / "responses").mkdir(parents=True)
    (root / "responses" / "a.csv").write_text(_csv("w1", W1), encoding="utf-8")
    text = SPEC % {"waves": '  data "responses/a.csv"', "baseline": ""}
    (root / "spec.jql").write_text(text, encoding="utf-8")
    code, report = analyze(root, capsys)
    assert code == 0
    assert report["waves"] == [] and report["changes"] == [] and report["trends"] == []
    for key in ("touchpoints", "steps", "stages", "journeys", "kpis", "moments", "drivers", "sources"):
        assert key in report
    assert report["touchpoints"]["j.t1"]["valence_mean"] == pytest.approx(statistics.mean(W1["t1"]), abs=1e-4)


def test_plans_of_two_journeys_share_a_round_without_mixing(tmp_path, capsys):
    # a second journey with its own plan and waves: each wave's results hold only its own journey
    root = workspace(tmp_path, {"w1": W1, "w2": W2})
    spec = root / "spec.jql"
    text = spec.read_text(encoding="utf-8")
    second = (text.split("journey j \"J\" {", 1)[1].split("measurement m", 1)[0])
    other = ("journey k \"K\" {" + second.replace("t1 \"T1\"", "u1 \"U1\"").replace("t2 \"T2\"", "u2 \"U2\"")
             .replace("t3 \"T3\"", "u3 \"U3\""))
    plan = ('measurement n "N" {\n  journey k\n  valence { scale -3..3  question "How?" }\n  sample u1\n'
            '  kpi u1.valence >= 0\n  wave v1 {\n    data "responses/k1.csv"\n  }\n'
            '  wave v2 {\n    data "responses/k2.csv"\n  }\n}\n')
    spec.write_text(text + other + plan, encoding="utf-8")
    for name, values in (("k1", [1] * 20 + [2] * 20), ("k2", [-1] * 20 + [0] * 20)):
        rows = ["respondent_id,journey,touchpoint,item,value,timestamp"]
        rows += [f"{name}-{i},k,u1,valence,{v}," for i, v in enumerate(values)]
        (root / "responses" / f"{name}.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, report = analyze(root, capsys)
    assert code == 0
    assert [(w["measurement"], w["wave"]) for w in report["waves"]] == [("m", "w1"), ("m", "w2"), ("n", "v1"),
                                                                         ("n", "v2")]
    for wave in report["waves"]:
        journey = "j" if wave["measurement"] == "m" else "k"
        assert set(wave["journeys"]) == {journey}
        assert all(key.startswith(journey + ".") for key in wave["touchpoints"])
        assert {k["subject"].split(".")[0] for k in wave["kpis"]} == {journey}
    assert report["waves"][2]["touchpoints"]["k.u1"]["valence_mean"] == pytest.approx(1.5)
    assert report["waves"][3]["touchpoints"]["k.u1"]["valence_mean"] == pytest.approx(-0.5)
    assert report["touchpoints"]["k.u1"]["valence_mean"] == pytest.approx(-0.5)  # the latest wave is current
    assert report["touchpoints"]["j.t1"]["valence_mean"] == pytest.approx(statistics.mean(W2["t1"]), abs=1e-4)
    drop = _change(report, "k.u1")
    assert drop["status"] == "declined" and drop["change"] == pytest.approx(-2.0)


def test_the_markdown_report_has_the_waves_table(tmp_path, capsys):
    root = workspace(tmp_path, {"w1": W1, "w2": W2})
    code, text = analyze(root, capsys, "--format", "markdown")
    assert code == 0
    _, report = analyze(root, capsys)
    t1 = _change(report, "j.t1")
    def signed(value):  # the report never prints "+0.00" or "-0.00"
        return "0.00" if round(value, 2) == 0 else f"{value:+.2f}"

    row = (f"| T1 | {signed(statistics.mean(W1['t1']))} | {signed(statistics.mean(W2['t1']))} | {signed(t1['change'])} | "
           f"\\[{t1['ci'][0]:.2f}, {t1['ci'][1]:.2f}\\] | ▲ improved |")
    assert row in text, text
    assert "| T3 |" in text and "? not enough data |" in text
    assert "| T1: valence \\>= 0 | -1.00 (missed) | 0.00 (met) |" in text
