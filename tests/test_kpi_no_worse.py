"""`kpi x.valence no worse than previous`: met unless the wave test (Welch's t on respondents' means, Holm)
says the metric declined since the previous wave; judged per wave, in the gate, and shown in words.

The expected decisions are computed here from the answers (scipy's Welch test and Holm by the book, in
test_waves), never read from the code under test.
"""

from __future__ import annotations

import json

import pytest

from journeyql.cli import main
from test_waves import W1, W2, W3, _holm, _welch, analyze, workspace

RELATIVE = ("  kpi t1.valence no worse than previous\n  kpi t2.valence no worse than previous\n"
            "  kpi t3.valence no worse than previous\n  kpi valence no worse than previous\n")


def _relative(root):
    spec = root / "spec.jql"
    text = spec.read_text(encoding="utf-8").replace("  kpi t1.valence >= 0\n  kpi t2.valence >= -1\n", RELATIVE)
    spec.write_text(text, encoding="utf-8")
    return root


def _status(wave: dict) -> dict:
    return {k["subject"]: k["status"] for k in wave["kpis"]}


def _expected(before: dict, after: dict) -> dict:
    """The status each touchpoint's KPI must have, decided by hand: tested when both waves have >= 30
    respondents, declined when Holm (over the tested touchpoints) keeps it and the change is negative."""
    tested = [t for t in ("t1", "t2", "t3") if len(before[t]) >= 30 and len(after[t]) >= 30]
    found = {t: _welch(before[t], after[t]) for t in tested}
    keep = dict(zip(tested, _holm([found[t][2] for t in tested])))
    out = {}
    for t in ("t1", "t2", "t3"):
        if t not in tested:
            out[f"j.{t}"] = "no_data"
        else:
            out[f"j.{t}"] = "missed" if keep[t] and found[t][0] < 0 else "met"
    return out, found


def test_first_wave_has_no_previous_a_rise_and_a_chance_dip_are_met_a_small_sample_is_no_data(tmp_path, capsys):
    code, report = analyze(_relative(workspace(tmp_path, {"w1": W1, "w2": W2})), capsys)
    assert code == 0
    first, second = report["waves"]
    # the first wave has no previous wave: nothing to be worse than, so no data (never missed)
    assert set(_status(first).values()) == {"no_data"}
    assert all(k["since"] == "previous" and k["compared_with"] is None and k["change"] is None for k in first["kpis"])
    expected, found = _expected(W1, W2)
    assert expected == {"j.t1": "met", "j.t2": "met", "j.t3": "no_data"}  # the hand computation's own verdict
    assert found["t1"][0] > 0 and found["t2"][0] < 0  # t1 rose; t2 dipped, not significantly
    status = _status(second)
    assert {k: status[k] for k in expected} == expected
    t2 = next(k for k in second["kpis"] if k["subject"] == "j.t2")
    assert t2["compared_with"] == "w1" and t2["change"] == pytest.approx(found["t2"][0], abs=1e-4)
    assert t2["ci"] == pytest.approx(found["t2"][1], abs=1e-4) and t2["op"] == ">=" and t2["target"] == 0
    # the journey's KPI follows the journey's change (every respondent's mean over the journey)
    journey = next(c for c in report["changes"] if c["level"] == "journeys" and c["since"] == "previous")
    assert status["j"] == ("missed" if journey["status"] == "declined" else "met")
    # the current KPIs are the latest wave's
    assert report["kpis"]["m"] == second["kpis"]


def test_a_significant_drop_misses_it(tmp_path, capsys):
    code, report = analyze(_relative(workspace(tmp_path, {"w2": W2, "w3": W3})), capsys)
    expected, found = _expected(W2, W3)
    assert expected["j.t1"] == "missed" and found["t1"][0] == pytest.approx(-1.0)
    status = _status(report["waves"][1])
    assert {k: status[k] for k in expected} == expected
    t1 = next(k for k in report["kpis"]["m"] if k["subject"] == "j.t1")
    assert t1["status"] == "missed" and t1["change"] == pytest.approx(-1.0, abs=1e-4) and t1["p_adjusted"] < 0.05


@pytest.mark.parametrize("fmt", ["human", "concise", "json", "github", "sarif"])
def test_the_gate_fails_on_it_in_every_format(tmp_path, fmt):
    from test_regression_gate import _codes, _gate, _line

    root = _relative(workspace(tmp_path, {"w2": W2, "w3": W3}))
    code, text = _gate(root, tmp_path, fmt)
    assert code == 1
    assert ("JQL401", _line(root, "kpi t1.valence no worse")) in _codes(fmt, text)
    assert ("JQL401", _line(root, "kpi t2.valence no worse")) not in _codes(fmt, text)
    if fmt == "concise":
        assert ("KPI `t1.valence no worse than previous` of `m` is missed in wave `w3`: -1.00 since wave `w2` "
                "(95% CI -1.32 to -0.68, Holm p = 4.1e-08)") in text  # as docs/ci.md quotes it


def test_the_gate_passes_when_nothing_dropped(tmp_path):
    from test_regression_gate import _gate

    code, text = _gate(_relative(workspace(tmp_path, {"w1": W1, "w2": W2})), tmp_path, "json")
    assert code == 0 and json.loads(text)["diagnostics"] == []


def test_markdown_report_shows_the_change_and_the_verdict_per_wave(tmp_path, capsys):
    root = _relative(workspace(tmp_path, {"w2": W2, "w3": W3}))
    code = main(["analyze", str(root), "--cache-dir", str(tmp_path / "cache"), "--format", "markdown"])
    out = capsys.readouterr().out
    assert code == 0
    row = next(line for line in out.splitlines() if "valence no worse than previous" in line and "T1" in line)
    assert "no data" in row and "-1.00 (missed)" in row.replace("−", "-")


def test_kpi_in_words_en_and_nl(tmp_path):
    import journeyql
    from journeyql.host.names import Names

    ws = journeyql.load(_relative(workspace(tmp_path, {"w1": W1, "w2": W2})))
    kpi = ws.measurements[0].kpis[0]
    assert kpi.since == "previous" and kpi.op == ">=" and kpi.value == 0 and kpi.metric == "valence"
    assert Names(ws, "en").kpi(kpi) == "Feeling no worse than in the previous wave"
    assert Names(ws, "en").kpi(kpi, subject=True) == "T1: Feeling no worse than in the previous wave"
    assert Names(ws, "nl").kpi(kpi) == "Gevoel niet slechter dan bij de vorige meting"
    assert Names(ws, "de").kpi(kpi).endswith(" no worse than in the previous wave")  # English where no words


def test_the_site_shows_it_in_words_per_wave_and_on_the_journey_page(tmp_path):
    import html
    import re

    from test_trend_view import _Tables

    root = _relative(workspace(tmp_path, {"w2": W2, "w3": W3}))
    out = tmp_path / "out"
    assert main(["render", str(root), "--to", "site", "-o", str(out)]) == 0
    page = (out / "journeys" / "j.html").read_text(encoding="utf-8")
    parser = _Tables()
    parser.feed(page)
    kpis = {row[0]: row[1:] for row in parser.tables[1][1:]}
    # per wave: the first has nothing to be worse than; in W3 T1 fell by one point, significantly
    assert kpis["T1: Feeling no worse than in the previous wave"] == ["not measured yet", "-1.00 (missed)"]
    assert kpis["T3: Feeling no worse than in the previous wave"] == ["not measured yet", "not measured yet"]
    # the plan's KPI table: the latest wave's verdict and the change since the previous wave
    rows = {tuple(html.unescape(cell) for cell in re.findall(r"<td>(?:<span[^>]*>)?([^<]*)", row))
            for row in re.findall(r'<tr class="kpi-[^"]*">.*?</tr>', page)}
    assert ("T1", "Feeling no worse than in the previous wave", "-1.00", "missed") in rows
    assert ("T3", "Feeling no worse than in the previous wave", "", "not measured yet") in rows
    assert "≥ 0" not in page
    dashboard = html.unescape((out / "index.html").read_text(encoding="utf-8"))
    assert "T1: mean emotion no worse than in the previous wave" in dashboard


def test_the_deck_shows_it_in_words(tmp_path):
    from pptx import Presentation

    root = _relative(workspace(tmp_path, {"w2": W2, "w3": W3}))
    out = tmp_path / "out"
    assert main(["render", str(root), "--to", "pptx", "-o", str(out)]) == 0
    [deck] = list((out / "deck").glob("*.pptx"))
    rows = [[c.text for c in row.cells] for slide in Presentation(str(deck)).slides
            for shape in slide.shapes if shape.has_table for row in shape.table.rows]
    [t1] = [r for r in rows if r[0].startswith("T1: ")]
    assert t1[0].endswith("no worse than in the previous wave") and t1[1:] == ["-1.00", "missed"]


def test_the_reports_kpi_table_says_it_in_words(tmp_path, capsys):
    root = _relative(workspace(tmp_path, {"w2": W2, "w3": W3}))
    assert main(["analyze", str(root), "--cache-dir", str(tmp_path / "cache"), "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "| T1 | mean valence | no worse than in the previous wave | -1.00 | missed |" in out.replace("−", "-")
    assert main(["analyze", str(root), "--cache-dir", str(tmp_path / "cache"), "--format", "markdown",
                 "--locale", "nl"]) == 0
    assert "| niet slechter dan bij de vorige meting | -1,00 | niet gehaald |" in capsys.readouterr().out
