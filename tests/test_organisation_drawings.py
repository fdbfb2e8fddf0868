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


def flat(text: str) -> str:
    """Text with the blueprint's wrapped lines (DOT's ``\\l``) joined again, whitespace collapsed."""
    return " ".join(text.replace("\\l", " ").split())


# --- the drawings of each organisation's view ---------------------------------------------------------

DRAWINGS = {
    "emotion-curve": ("emotion-curve/switch--{o}.svg",),
    "blueprint": ("blueprint/switch--{o}.dot", "blueprint/switch--{o}.svg"),
    "touchpoint-matrix": ("touchpoint-matrix/switch--{o}.html", "touchpoint-matrix/switch--{o}.md"),
    "mermaid": ("mermaid/switch--{o}.mmd",),
    "markdown": ("markdown/switch--{o}.md",),
}


@pytest.fixture(scope="module")
def drawn(measured):
    """Every drawing renderer's files for the telecom workspace, with its measured results."""
    from journeyql.host.testing import render

    _workspace, results = measured
    found = {}
    for renderer in DRAWINGS:
        result = render(TELECOM, renderer, results=results)
        assert result.ok, result.message
        found[renderer] = {path: data.decode("utf-8") for path, data in result.files.items()}
    return found


def test_each_drawing_renderer_writes_one_file_per_organisation(drawn):
    for renderer, patterns in DRAWINGS.items():
        for organisation in ("lumen", "signal"):
            for pattern in patterns:
                assert pattern.format(o=organisation) in drawn[renderer], (renderer, pattern, organisation)
        # the journey as written is still drawn, and no organisation's file equals another's
        lumen, signal = (drawn[renderer][patterns[0].format(o=o)] for o in ("lumen", "signal"))
        assert lumen != signal, renderer
        assert patterns[0].replace("--{o}", "") in drawn[renderer]


def test_an_organisations_label_channel_and_owner_are_in_its_own_drawings_only(drawn):
    own = {"signal": ("Installation date by e-mail", "SignalNet installation partner desk", "SignalNet e-mail"),
           "lumen": ("Installation slot picker", "Lumen installation planning", "Lumen app")}
    for renderer, path in (("blueprint", "blueprint/switch--{o}.dot"), ("touchpoint-matrix",
                                                                     "touchpoint-matrix/switch--{o}.html"),
                           ("touchpoint-matrix", "touchpoint-matrix/switch--{o}.md"),
                           ("markdown", "markdown/switch--{o}.md")):
        texts = {o: flat(drawn[renderer][path.format(o=o)]) for o in own}
        for organisation, words in own.items():
            other = "lumen" if organisation == "signal" else "signal"
            for word in words:
                assert word in texts[organisation], (path, organisation, word)
                assert word not in texts[other], (path, other, word)
    # Lumen's planners reserve technician capacity backstage: not behind SignalNet's line
    assert "Reserve technician capacity" in flat(drawn["blueprint"]["blueprint/switch--lumen.dot"])
    assert "Reserve technician capacity" not in flat(drawn["blueprint"]["blueprint/switch--signal.dot"])
    assert "(SignalNet)" in drawn["blueprint"]["blueprint/switch--signal.dot"]  # the title says whose


def test_a_step_the_organisation_skips_is_absent_from_its_drawings(drawn):
    for renderer, path in (("emotion-curve", "emotion-curve/switch--{o}.svg"), ("blueprint", "blueprint/switch--{o}.dot"),
                           ("mermaid", "mermaid/switch--{o}.mmd"), ("markdown", "markdown/switch--{o}.md")):
        assert "Reminder the day before" in flat(drawn[renderer][path.format(o="lumen")]), renderer
        assert "Reminder the day before" not in flat(drawn[renderer][path.format(o="signal")]), renderer
    # and the skipped touchpoint: SignalNet has no social-media complaint
    assert "Complaint on social media" in drawn["touchpoint-matrix"]["touchpoint-matrix/switch--lumen.md"]
    assert "Complaint on social media" not in drawn["touchpoint-matrix"]["touchpoint-matrix/switch--signal.md"]


def test_the_curve_of_an_organisation_shows_its_expectations_and_its_own_respondents(drawn):
    import re

    for organisation, expected in (("lumen", "-1"), ("signal", "+1")):  # the first bill's `for signal` view
        svg = drawn["emotion-curve"][f"emotion-curve/switch--{organisation}.svg"]
        assert f"<title>First bill: expected {expected}</title>" in svg
        scores = own_scores(organisation, ("bill",))
        measured = re.search(r"<title>First bill: measured ([^ ]+) \[", svg).group(1)
        assert float(measured) == pytest.approx(statistics.mean(scores), abs=0.005)  # printed to 2 decimals
        assert f"(n={len(scores)})</title>" in svg
        # not everyone's figure: the journey as written has both organisations' respondents
        everyone = drawn["emotion-curve"]["emotion-curve/switch.svg"]
        assert "(n=300)</title>" in everyone and "(n=300)</title>" not in svg
    assert "Emotional curve: Switching to fibre \u2014 SignalNet" in drawn["emotion-curve"]["emotion-curve/switch--signal.svg"]


def test_the_dot_of_each_organisation_is_valid_graphviz(drawn):
    from journeyql.graphviz import dot_to_svg

    for organisation in ("lumen", "signal"):
        svg = dot_to_svg(drawn["blueprint"][f"blueprint/switch--{organisation}.dot"], layout="nop")
        assert svg.lstrip().startswith(("<?xml", "<svg")) and "Technician at the door" in svg


def test_each_organisations_mermaid_passes_mermaids_parser(drawn, tmp_path):
    from test_renderers import mermaid_parse

    files = []
    for organisation in ("lumen", "signal"):
        path = tmp_path / f"switch--{organisation}.mmd"
        path.write_text(drawn["mermaid"][f"mermaid/switch--{organisation}.mmd"], encoding="utf-8")
        files.append(path)
    parsed = mermaid_parse(files)
    assert all(r["ok"] for r in parsed.values()), parsed
    tasks = {Path(name).stem: [t["task"] for t in r["tasks"]] for name, r in parsed.items()}
    assert "Reminder the day before" in tasks["switch--lumen"]
    assert "Reminder the day before" not in tasks["switch--signal"]
    assert "## Switching to fibre: SignalNet" in drawn["mermaid"]["journeys.md"]


def test_organisation_and_persona_files_cannot_clash(drawn):
    """Persona and organisation ids share the workspace's one namespace: `<journey>--<id>` names one of them."""
    with pytest.raises(journeyql.SpecError) as error:
        journeyql.parse('''
organisation a "A" { sector telecom }
organisation b "B" { sector telecom }
persona a "Persona A" {}
''')
    assert any(d.code == "JQL202" for d in error.value.diagnostics)
    # in the telecom workspace both kinds of file exist side by side, each once
    curves = [p for p in drawn["emotion-curve"] if p.startswith("emotion-curve/switch--")]
    assert sorted(curves) == ["emotion-curve/switch--gerrit.svg", "emotion-curve/switch--lumen.svg",
                              "emotion-curve/switch--priya.svg", "emotion-curve/switch--signal.svg"]


# --- per-journey rebuilds ---------------------------------------------------------------------------

SMALL = '''
organisation a "Alpha" { sector telecom }
organisation b "Beta" { sector telecom }
stakeholder ad "Alpha desk" { kind internal  organisation a }
stakeholder bd "Beta desk" { kind internal  organisation b }
channel web "Web" { kind web }
channel mail "Mail" { kind email }
persona p "P" {}
journey shared "Shared" {
  organisations a, b
  personas p
  stage s "S" {
    step x "X" {
      touchpoint t "Form" { channel web  owner ad  for b { label "Beta form"  channel mail  owner bd } }
      expected 1
    }
    step y "Y" {
      touchpoint u "U" { channel web  owner ad  for b { owner bd } }
      expected -1
      for b { skips yes }
    }
  }
}
journey other "Other" {
  organisation a
  personas p
  stage s "S" { step z "Z" { touchpoint v "V" { channel web  owner ad } expected 0 } }
}
'''


def test_organisation_files_are_their_journeys_and_kept_when_another_journey_changes(tmp_path, capsys):
    import json

    from journeyql.cli import main
    from journeyql.host.plugins import reset_host

    ws, out = tmp_path / "ws", tmp_path / "out"
    ws.mkdir()
    spec = ws / "spec.jql"
    spec.write_text(SMALL, encoding="utf-8")
    (ws / "journeyql.toml").write_text('[build]\nrenderers = ["emotion-curve", "blueprint", "touchpoint-matrix", '
                                       '"markdown", "mermaid"]\n', encoding="utf-8")
    reset_host()
    try:
        assert main(["build", str(ws), "-o", str(out)]) == 0, capsys.readouterr().err
        files = {f["path"]: f.get("journey") for f in json.loads((out / "manifest.json").read_text())["files"]}
        made = [p for p in files if "--a." in p or "--b." in p]
        assert {"emotion-curve/shared--a.svg", "blueprint/shared--b.dot", "touchpoint-matrix/shared--b.html",
                "markdown/shared--a.md", "mermaid/shared--b.mmd"} <= set(made)
        # recorded as the shared journey's (the mermaid renderer writes one page of all journeys: no journey)
        assert all(files[p] == "shared" for p in made if not p.startswith("mermaid/")), files
        assert not any(p.startswith(("emotion-curve/other--", "blueprint/other--")) for p in files)
        before = {p: (out / p).stat().st_mtime_ns for p in made}
        spec.write_text(SMALL.replace('step z "Z"', 'step z "Zed"'), encoding="utf-8")
        assert main(["build", str(ws), "-o", str(out)]) == 0
        assert "Zed" in (out / "markdown" / "other.md").read_text(encoding="utf-8")
        kept = {p: (out / p).stat().st_mtime_ns for p in made if not p.startswith("mermaid/")}
        assert kept == {p: before[p] for p in kept}  # the other journey changed: these were not written again
        spec.write_text(SMALL.replace('label "Beta form"', 'label "Beta web form"'), encoding="utf-8")
        assert main(["build", str(ws), "-o", str(out)]) == 0
        assert "Beta web form" in (out / "touchpoint-matrix" / "shared--b.md").read_text(encoding="utf-8")
        assert "Beta web form" not in (out / "touchpoint-matrix" / "shared--a.md").read_text(encoding="utf-8")
    finally:
        reset_host()
