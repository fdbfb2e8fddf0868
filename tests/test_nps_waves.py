"""The journey's NPS per wave and its change between waves, with its significance test.

Hand-computed: wave 1 has 16 promoters, 14 passives and 10 detractors of 40 (NPS = 100 x (16 - 10) / 40
= +15); wave 2 has 24, 10 and 6 (NPS = +45), a change of +30. The variance of an NPS is that of the mean
of per-respondent scores +1 / 0 / -1: (p + d - (p - d)^2) / n, so se = 100 x sqrt(0.6275/40 + 0.5475/40)
= 17.14 points, z = 30 / 17.14 = 1.75, two-sided p = 0.080: not significant. The test below recomputes
it from the scores themselves (statistics.pvariance, scipy's normal), never from the code under test.
"""

from __future__ import annotations

import math
import statistics

import pytest
from scipy import stats

from journeyql.measure.statistics import nps_difference
from test_waves import W1, analyze, workspace

W1_NPS = [10] * 8 + [9] * 8 + [8] * 7 + [7] * 7 + [6] * 4 + [3] * 6   # 16 promoters, 14 passives, 10 detractors
W2_NPS = [10] * 12 + [9] * 12 + [8] * 5 + [7] * 5 + [5] * 6           # 24, 10, 6
W3_NPS = [10] * 30 + [9] * 6 + [8] * 3 + [0]                           # 36, 3, 1: NPS +87.5
SMALL = [10, 10, 9, 2, 8]                                              # 5 respondents: too few to test


def _scores(answers):
    return [1 if a >= 9 else -1 if a <= 6 else 0 for a in answers]


def _by_hand(before, after):
    """The NPS change from the per-respondent scores: difference, 95% interval, two-sided normal p."""
    s1, s2 = _scores(before), _scores(after)
    difference = 100 * (statistics.mean(s2) - statistics.mean(s1))
    se = 100 * math.sqrt(statistics.pvariance(s1) / len(s1) + statistics.pvariance(s2) / len(s2))
    z = stats.norm.ppf(0.975)
    return difference, (difference - z * se, difference + z * se), 2 * stats.norm.sf(abs(difference) / se)


def _with_nps(tmp_path, nps_per_wave: dict):
    waves = {name: dict(W1) for name in nps_per_wave}
    root = workspace(tmp_path, waves)
    spec = root / "spec.jql"
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        '  valence { scale -3..3  question "How?" }\n', '  valence { scale -3..3  question "How?" }\n'
        '  nps "Would you recommend us?"\n'), encoding="utf-8")
    for name, answers in nps_per_wave.items():
        path = root / "responses" / f"{name}.csv"
        rows = "".join(f"{name}-{i},j,,nps,{a},\n" for i, a in enumerate(answers))
        path.write_text(path.read_text(encoding="utf-8") + rows, encoding="utf-8")
    return root


def _nps_change(report, after: str, since: str = "previous"):
    found = [c for c in report["changes"] if c["metric"] == "nps" and c["after_wave"] == after and c["since"] == since]
    assert len(found) == 1, found
    return found[0]


def test_the_hand_computation_itself():
    difference, ci, p = _by_hand(W1_NPS, W2_NPS)
    assert difference == pytest.approx(30.0)
    assert (ci[1] - difference) / stats.norm.ppf(0.975) == pytest.approx(17.139, abs=1e-3)
    assert p == pytest.approx(0.0800, abs=1e-4)


def test_nps_per_wave_and_a_rise_chance_explains(tmp_path, capsys):
    code, report = analyze(_with_nps(tmp_path, {"w1": W1_NPS, "w2": W2_NPS}), capsys)
    assert code == 0
    first, second = report["waves"]
    assert first["journeys"]["j"]["nps"] == pytest.approx(15.0) and first["journeys"]["j"]["nps_n"] == 40
    assert second["journeys"]["j"]["nps"] == pytest.approx(45.0)
    assert (second["journeys"]["j"]["nps_promoters"], second["journeys"]["j"]["nps_detractors"]) == (24, 6)
    change = _nps_change(report, "w2")
    difference, ci, p = _by_hand(W1_NPS, W2_NPS)
    assert change["level"] == "journeys" and change["subject"] == "j"
    assert (change["before"], change["after"], change["n_before"], change["n_after"]) == (15.0, 45.0, 40, 40)
    assert change["change"] == pytest.approx(difference, abs=1e-4)
    assert change["ci"] == pytest.approx(list(ci), abs=1e-4)
    assert change["p"] == pytest.approx(p, abs=1e-4) and change["p_adjusted"] == change["p"]  # one test: Holm of one
    assert change["status"] == "no_significant_change"
    # the valence changes are still there, one per subject, and the gate ignores the NPS line
    assert len([c for c in report["changes"] if c["subject"] == "j" and c["metric"] == "valence"
                and c["since"] == "previous"]) == 1


def test_a_real_rise_and_a_real_fall(tmp_path, capsys):
    _, report = analyze(_with_nps(tmp_path, {"w1": W1_NPS, "w3": W3_NPS, "w4": W1_NPS}), capsys)
    rise, fall = _nps_change(report, "w3"), _nps_change(report, "w4")
    for found, (before, after) in ((rise, (W1_NPS, W3_NPS)), (fall, (W3_NPS, W1_NPS))):
        difference, ci, p = _by_hand(before, after)
        assert found["change"] == pytest.approx(difference, abs=1e-4) and found["p"] == pytest.approx(p, abs=1e-4)  # the JSON keeps 4 decimals
        assert found["ci"] == pytest.approx(list(ci), abs=1e-4)
    assert rise["change"] == pytest.approx(72.5) and rise["status"] == "improved"
    assert fall["change"] == pytest.approx(-72.5) and fall["status"] == "declined"
    # since the baseline (w1): w4 is w1 again
    back = _nps_change(report, "w4", since="baseline")
    assert back["change"] == pytest.approx(0.0) and back["status"] == "no_significant_change" and back["p"] == 1.0


def test_a_small_sample_is_not_enough_data(tmp_path, capsys):
    _, report = analyze(_with_nps(tmp_path, {"w1": W1_NPS, "w2": SMALL}), capsys)
    change = _nps_change(report, "w2")
    # 3 promoters, 1 passive, 1 detractor of 5: +40; the raw change shows, untested
    assert change["after"] == pytest.approx(40.0) and change["change"] == pytest.approx(25.0)
    assert change["status"] == "not_enough_data" and change["p"] is None and change["ci"] is None


def test_no_variance_in_either_wave():
    assert nps_difference((10, 10, 0), (10, 10, 0)) == (0.0, (0.0, 0.0), 1.0)
    assert nps_difference((10, 10, 0), (10, 0, 10))[2] == 0.0


def test_the_markdown_report_says_the_nps_change_in_words(tmp_path, capsys):
    from journeyql.cli import main

    root = _with_nps(tmp_path, {"w1": W1_NPS, "w2": W2_NPS})
    assert main(["analyze", str(root), "--cache-dir", str(tmp_path / "cache"), "--format", "markdown"]) == 0
    out = capsys.readouterr().out.replace("−", "-").replace("\\[", "[").replace("\\]", "]")  # Markdown escapes
    # +15 and +45; the change +30 with its interval 30 -+ 1.96 x 17.14 = [-4, +64]
    assert "NPS of the journey: +15 in W1, +45 in W2; change +30 [-4, +64]: = no significant change" in out
