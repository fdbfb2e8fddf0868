"""Synthetic responses: deterministic for a seed, faithful to the spec's expectations, valid data."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from journeyql.cli import main
from journeyql.measure.responses import load_responses
from journeyql.measure.simulate import SimulationError, simulate, write
from journeyql.workspace import analyse, discover
from test_responses import SPEC

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"

#: The committed example data: workspace, file, measurement plan (None: all), respondents, wave and the
#: drift per wave (docs/responses.md gives the commands); seed 2026.
ENERGIE_DRIFT = {"eindnota": 0.8, "telefonisch": -0.6}
CLAIM_DRIFT = {"repair_status": 0.7, "settlement_mail": -0.5}
SWITCH_DRIFT = {"bill": 0.6, "slot": -0.5}
EXAMPLES = [
    ("bank-mortgage", "responses/mortgage.csv", None, 300, 1, {}),
    ("energie-verhuizen", "responses/verhuizen-1.csv", None, 240, 1, ENERGIE_DRIFT),
    ("energie-verhuizen", "responses/verhuizen-2.csv", None, 240, 2, ENERGIE_DRIFT),
    ("insurer-claim", "responses/claims-1.csv", None, 250, 1, CLAIM_DRIFT),
    ("insurer-claim", "responses/claims-2.csv", None, 250, 2, CLAIM_DRIFT),
    ("telecom-switch", "responses/switch-1.csv", None, 150, 1, SWITCH_DRIFT),  # per organisation: the journey is shared
    ("telecom-switch", "responses/switch-2.csv", None, 150, 2, SWITCH_DRIFT),
]


def model(root: Path):
    analysis = analyse(discover([str(root)])[0], [])
    assert analysis.workspace is not None
    return analysis.workspace


@pytest.fixture
def ws(tmp_path):
    root = tmp_path / "ws"
    root.mkdir()
    (root / "spec.jql").write_text(SPEC, encoding="utf-8")
    return root


def test_same_seed_same_rows_other_seed_other_rows(ws):
    workspace = model(ws)
    first = list(simulate(workspace, respondents=50, seed=7))
    assert first == list(simulate(workspace, respondents=50, seed=7))
    assert first != list(simulate(workspace, respondents=50, seed=8))
    assert {r["respondent_id"] for r in first} == {f"m{i:04d}" for i in range(1, 51)}


def test_means_follow_the_expected_emotions(ws, tmp_path):
    workspace = model(ws)
    path = tmp_path / "sim.csv"
    write(simulate(workspace, respondents=3000, seed=1), path)
    loaded = load_responses(workspace, ws, [path], {}, cache_dir=tmp_path / "cache")
    assert loaded.rejected == {}
    means = dict(((tp, persona), mean) for tp, persona, mean in loaded.con.execute(
        "SELECT touchpoint, persona, avg(num) FROM responses WHERE item = 'valence' GROUP BY ALL").fetchall())
    # step a: expected 2 for everyone; step b: -2, but persona q expects 0 (rounding to the plan's
    # 1..5 points and clipping at the ends pull a little towards the middle)
    assert means[("t", "p")] == pytest.approx(2.0, abs=0.3)
    assert means[("t", "q")] == pytest.approx(2.0, abs=0.3)
    assert means[("u", "p")] == pytest.approx(-2.0, abs=0.3)
    assert means[("u", "q")] == pytest.approx(0.0, abs=0.2)
    shares = dict(loaded.con.execute("SELECT persona, count(DISTINCT respondent_id) / 3000 FROM responses "
                                     "GROUP BY ALL").fetchall())
    assert shares["p"] == pytest.approx(0.6, abs=0.03) and shares["q"] == pytest.approx(0.4, abs=0.03)
    reach = loaded.con.execute("SELECT count(DISTINCT respondent_id) / 3000 FROM responses "
                               "WHERE touchpoint = 'u'").fetchall()[0][0]
    assert reach == pytest.approx(0.5, abs=0.03)  # `reach 50%`
    emotions = dict(loaded.con.execute("SELECT item, count(*) FROM responses WHERE touchpoint = 't' "
                                       "AND item LIKE 'emotion.%' GROUP BY ALL").fetchall())
    assert max(emotions, key=emotions.get) == "emotion.joy"  # the step's expected emotion
    # NPS follows the touchpoints' valence, respondent by respondent
    correlation = loaded.con.execute("""
        WITH v AS (SELECT respondent_id, avg(num) AS v FROM responses WHERE item = 'valence' GROUP BY ALL),
             n AS (SELECT respondent_id, num AS n FROM responses WHERE item = 'nps')
        SELECT corr(v, n) FROM v JOIN n USING (respondent_id)""").fetchall()[0][0]
    assert correlation > 0.3
    intents = dict(loaded.con.execute("SELECT touchpoint, avg(num) FROM responses WHERE item = 'intent.complain' "
                                      "GROUP BY ALL").fetchall())
    assert intents["u"] > intents["t"] + 0.2  # complaining follows the bad moment


def test_an_effect_shifts_a_touchpoint(ws, tmp_path):
    workspace = model(ws)

    def mean_at_u(effects):
        rows = [r for r in simulate(workspace, respondents=2000, seed=3, effects=effects)
                if r["touchpoint"] == "u" and r["item"] == "valence"]
        return sum(int(r["value"]) for r in rows) / len(rows)  # on the plan's 1..5

    base, shifted = mean_at_u({}), mean_at_u({"u": 1.5})
    assert shifted - base == pytest.approx(1.5 * 4 / 6, abs=0.15)  # 1.5 on -3..3 is 1 on 1..5
    assert mean_at_u({"j.u": 1.5}) == shifted and mean_at_u({"j.b": 1.5}) == shifted
    with pytest.raises(SimulationError, match="--effect nope: no touchpoint or step"):
        list(simulate(workspace, effects={"nope": 1}))


def test_a_persona_that_skips_a_step_never_answers_there(tmp_path):
    root = tmp_path / "ws"
    root.mkdir()
    (root / "spec.jql").write_text(SPEC.replace("for q { expected 0, hope }", "for q { skips yes }"),
                                   encoding="utf-8")
    rows = list(simulate(model(root), respondents=300, seed=0))
    assert {r["persona"] for r in rows if r["touchpoint"] == "u"} == {"p"}
    assert {r["persona"] for r in rows if r["touchpoint"] == "t"} == {"p", "q"}


@pytest.mark.parametrize("workspace,name,plan,respondents,wave,drift", EXAMPLES, ids=[e[1] for e in EXAMPLES])
def test_example_data_is_reproducible_valid_and_small(workspace, name, plan, respondents, wave, drift, tmp_path):
    root = SPECS / workspace
    spec = model(root)
    committed = (root / name).read_bytes()
    assert len(committed) < 620_000
    again = tmp_path / "again.csv"
    write(simulate(spec, respondents=respondents, seed=2026, measurements=(plan,) if plan else (), wave=wave,
                   drift=drift), again)
    assert again.read_bytes() == committed, f"regenerate {workspace}/{name} (see docs/responses.md)"
    loaded = load_responses(spec, root, [root / name], {}, cache_dir=tmp_path / "cache")
    assert loaded.rejected == {} and loaded.rows == len(committed.decode().splitlines()) - 1


def test_cli_writes_csv_and_parquet(ws, tmp_path, capsys):
    out = tmp_path / "out" / "sim.csv"
    assert main(["simulate-responses", str(ws), "-o", str(out), "--respondents", "20", "--seed", "4",
                 "--effect", "u=+1.5"]) == 0
    err = capsys.readouterr().err
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert err == f"wrote {len(rows)} responses to {out}\n"
    assert list(rows[0]) == ["respondent_id", "journey", "touchpoint", "item", "value", "timestamp", "persona"]
    expected = list(simulate(model(ws), respondents=20, seed=4, effects={"u": 1.5}))
    assert [r["value"] for r in rows] == [r["value"] for r in expected]
    parquet = tmp_path / "sim.parquet"
    assert main(["simulate-responses", str(ws), "-o", str(parquet), "--respondents", "20", "--seed", "4",
                 "--effect", "u=+1.5"]) == 0
    import pyarrow.parquet as pq

    assert pq.read_table(str(parquet)).column("value").to_pylist() == [r["value"] for r in rows]


@pytest.mark.parametrize("args,message", [
    (["--effect", "nope=1"], "journeyql: error: --effect nope: no touchpoint or step of that name"),
    (["--effect", "u=big"], "journeyql: error: --effect u=big: write NAME=SHIFT, e.g. eindnota=+1.5"),
    (["--respondents", "0"], "journeyql: error: --respondents must be at least 1"),
    (["--measurement", "zz"], "journeyql: error: no measurement plan zz; plans: m"),
])
def test_cli_usage_errors_are_one_line(ws, tmp_path, capsys, args, message):
    code = main(["simulate-responses", str(ws), "-o", str(tmp_path / "x.csv"), *args])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith(message) and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.csv").exists()


def test_a_workspace_without_plan_cannot_be_simulated(tmp_path, capsys):
    root = tmp_path / "ws"
    root.mkdir()
    (root / "spec.jql").write_text(SPEC.split("measurement m")[0], encoding="utf-8")
    code = main(["simulate-responses", str(root), "-o", str(tmp_path / "x.csv")])
    assert code == 2
    assert capsys.readouterr().err == "journeyql: error: the workspace has no measurement plan to simulate\n"


def test_waves_drift_deterministically_and_wave_one_is_the_plain_simulation(ws):
    workspace = model(ws)
    plain = list(simulate(workspace, respondents=400, seed=3))
    assert list(simulate(workspace, respondents=400, seed=3, wave=1, drift={"u": 1.0})) == plain
    second = list(simulate(workspace, respondents=400, seed=3, wave=2, drift={"u": 1.0}))
    assert second == list(simulate(workspace, respondents=400, seed=3, wave=2, drift={"u": 1.0}))
    third = list(simulate(workspace, respondents=400, seed=3, wave=3, drift={"u": 1.0}))
    assert {r["respondent_id"] for r in second}.isdisjoint({r["respondent_id"] for r in plain})
    assert min(r["timestamp"] for r in second) > max(r["timestamp"] for r in plain)

    def mean(rows):
        values = [float(r["value"]) for r in rows if r["touchpoint"] == "u" and r["item"] == "valence"]
        return sum(values) / len(values)

    # the drift adds once per wave: about +1 and +2 points (less where the scale's end clips the answers)
    assert 0.6 < mean(second) - mean(plain) < 1.2
    assert 1.2 < mean(third) - mean(plain) < 2.2


def test_cli_writes_one_file_per_wave(ws, tmp_path, capsys):
    out = tmp_path / "answers-{wave}.csv"
    assert main(["simulate-responses", str(ws), "-o", str(out), "--respondents", "20", "--seed", "4",
                 "--waves", "3", "--drift", "t=+0.5"]) == 0
    written = [tmp_path / f"answers-{k}.csv" for k in (1, 2, 3)]
    assert all(path.is_file() for path in written)
    assert written[0].read_bytes() != written[1].read_bytes()
    plain = tmp_path / "plain.csv"
    assert main(["simulate-responses", str(ws), "-o", str(plain), "--respondents", "20", "--seed", "4"]) == 0
    assert plain.read_bytes() == written[0].read_bytes()
    assert main(["simulate-responses", str(ws), "-o", str(tmp_path / "x.csv"), "--waves", "2"]) == 0
    assert (tmp_path / "x-1.csv").is_file() and (tmp_path / "x-2.csv").is_file()
    assert main(["simulate-responses", str(ws), "-o", str(tmp_path / "y.csv"), "--drift", "t=1"]) == 2
    assert "--drift needs --waves 2" in capsys.readouterr().err


def test_simulate_writes_the_wave_files_a_spec_names_before_they_exist(tmp_path, capsys):
    root = tmp_path / "ws"
    root.mkdir()
    text = SPEC.replace('data "responses/answers.csv"', 'wave q1 {\n    data "responses/q1.csv"\n  }\n'
                        '  wave q2 {\n    data "responses/q2.csv"\n  }')
    assert text != SPEC
    (root / "spec.jql").write_text(text, encoding="utf-8")
    assert main(["check", str(root), "--format", "concise", "--strict"]) == 1  # JQL342: a warning
    assert "JQL342" in capsys.readouterr().out
    assert main(["simulate-responses", str(root), "-o", str(root / "responses" / "q{wave}.csv"), "--waves", "2",
                 "--respondents", "40", "--drift", "t=-1"]) == 0
    capsys.readouterr()
    main(["check", str(root), "--format", "concise"])
    assert "JQL342" not in capsys.readouterr().out


SHARED = """
organisation a "A" { sector telecom }
organisation b "B" { sector telecom }
stakeholder ad "A desk" { kind internal  organisation a }
stakeholder bd "B desk" { kind internal  organisation b }
channel web "Web" { kind web }
persona p "P" {}
journey j "J" {
  organisations a, b
  personas p
  stage s "S" {
    step x "X" {
      touchpoint t "T" { channel web  owner ad  for b { owner bd } }
      expected -2
      for b { expected 2 }
    }
    step y "Y" {
      touchpoint u "U" { channel web  owner ad  for b { skips yes } }
      expected 0
    }
  }
}
measurement m "M" {
  journey j
  valence -3..3
  sample t, u
}
"""


def test_a_shared_journey_gives_each_organisation_its_own_respondents_and_views(tmp_path):
    root = tmp_path / "ws"
    root.mkdir()
    (root / "spec.jql").write_text(SHARED, encoding="utf-8")
    rows = list(simulate(model(root), respondents=400, seed=3))
    assert {r["organisation"] for r in rows} == {"a", "b"}
    by_org = {o: {r["respondent_id"] for r in rows if r["organisation"] == o} for o in ("a", "b")}
    assert len(by_org["a"]) == len(by_org["b"]) == 400 and not by_org["a"] & by_org["b"]
    # b's view skips u; its expected emotion at x is +2 where a's is -2
    assert {r["organisation"] for r in rows if r["touchpoint"] == "u"} == {"a"}
    mean = {o: sum(int(r["value"]) for r in rows if r["organisation"] == o and r["touchpoint"] == "t")
            / sum(1 for r in rows if r["organisation"] == o and r["touchpoint"] == "t") for o in ("a", "b")}
    assert mean["a"] < -1.5 and mean["b"] > 1.5
    written = tmp_path / "out.csv"
    write(rows, written)
    assert written.read_text(encoding="utf-8").splitlines()[0].endswith(",organisation")
