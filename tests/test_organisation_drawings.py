"""A shared journey drawn per organisation: ``journeyql.organisation_views`` and the files made from it.

The figures of an organisation's view are checked against a computation from the response CSV written
here: the latest wave's file (``switch-2.csv``), only the organisation's own respondents, a respondent's
score at a step being the mean of their valence answers at its touchpoints.
"""

from __future__ import annotations

import csv
import math
import statistics
from collections import defaultdict
from pathlib import Path

import pytest

import journeyql

ROOT = Path(__file__).resolve().parents[1]
TELECOM = ROOT / "specs" / "telecom-switch"
T_975 = {149: 1.976013}  # Student's t(0.975, df), from tables


def own_scores(organisation: str, touchpoints: tuple[str, ...]) -> list[float]:
    """Each respondent of ``organisation`` with a valence answer at one of ``touchpoints``: their mean there."""
    answers: dict[str, list[float]] = defaultdict(list)
    with open(TELECOM / "responses" / "switch-2.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["item"] == "valence" and row["organisation"] == organisation and row["touchpoint"] in touchpoints:
                answers[row["respondent_id"]].append(float(row["value"]))
    return [sum(v) / len(v) for v in answers.values()]


@pytest.fixture(scope="module")
def measured():
    """The telecom workspace and its results, read as ``build`` reads them."""
    from journeyql.cli import common
    from journeyql.cli.render import measured as read_results
    from journeyql.workspace import analyse, discover

    ws = next(w for w in discover([str(TELECOM)]) if w.sources)
    workspace = analyse(ws).workspace
    results, problem = read_results(workspace, ws, None, common.host(), "")
    assert problem is None and results is not None
    return workspace, results


def test_organisation_views_apply_each_organisations_view():
    workspace = journeyql.load(TELECOM)
    views = journeyql.organisation_views(workspace, "switch")
    assert [v.organisation for v in views] == ["lumen", "signal"]
    lumen, signal = (v.journey for v in views)
    assert lumen.organisation == "lumen" and signal.organisation == "signal"
    assert "switch.reminder" in [s.key for s in lumen.steps]
    assert "switch.reminder" not in [s.key for s in signal.steps]  # SignalNet skips the reminder
    slot = {j.organisation: next(t for t in j.touchpoints if t.key == "switch.slot") for j in (lumen, signal)}
    assert slot["signal"].label == "Installation date by e-mail" and slot["signal"].channel == "signal_mail"
    assert slot["lumen"].label == "Installation slot picker" and slot["lumen"].owner == "lumen_planning"
    # the backstage action of Lumen's planners is behind Lumen's line only
    schedule = {j.organisation: next(s for s in j.steps if s.key == "switch.schedule") for j in (lumen, signal)}
    assert schedule["lumen"].backstage and not schedule["signal"].backstage
    assert all(v.results is None for v in views)
    # a journey of one organisation has no views; an unknown id is a KeyError, not a silent empty list
    single = journeyql.parse('journey j "J" { stage s "S" { step a "A" {} } }')
    assert journeyql.organisation_views(single, single.journeys[0]) == []
    with pytest.raises(KeyError):
        journeyql.organisation_views(workspace, "nope")


def test_an_organisations_figures_are_its_own_respondents(measured):
    workspace, results = measured
    views = {v.organisation: v for v in journeyql.organisation_views(workspace, "switch", results)}
    for organisation in ("lumen", "signal"):
        own = views[organisation].results
        for step, touchpoints, df in (("switch.schedule", ("slot",), 149), ("switch.first_bill", ("bill",), 149)):
            scores = own_scores(organisation, touchpoints)
            metrics = own.step(step)
            assert metrics.n == len(scores) == 150
            assert math.isclose(metrics.valence_mean, statistics.mean(scores), abs_tol=1e-9)
            half = T_975[df] * statistics.stdev(scores) / math.sqrt(len(scores))
            assert math.isclose(metrics.valence_ci[0], statistics.mean(scores) - half, abs_tol=1e-4)
            assert math.isclose(metrics.valence_ci[1], statistics.mean(scores) + half, abs_tol=1e-4)
        # the technician's visit: Lumen's 143 respondents, a touchpoint figure too
        visit = own_scores(organisation, ("visit",))
        assert own.touchpoint("switch.visit").n == len(visit)
        assert math.isclose(own.touchpoint("switch.visit").valence_mean, statistics.mean(visit), abs_tol=1e-9)
    assert views["lumen"].results.step("switch.visit") is None  # a touchpoint key is no step
    assert views["lumen"].results.touchpoint("switch.visit").n == 143
    # the two organisations really differ at the first bill (SignalNet's is prorated)
    assert views["signal"].results.step("switch.first_bill").valence_mean > \
        views["lumen"].results.step("switch.first_bill").valence_mean + 1
    # only valence is measured per organisation; thresholds carry over
    assert views["lumen"].results.step("switch.schedule").nps is None
    assert views["lumen"].results.report_n == results.report_n
