"""The command line and bad input: exit codes, report formats, and never a traceback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import journeyql
from journeyql.cli import main

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"
BAD = 'stakeholder billing "Billing" { kind internal }\nchannel web "Web" { kind web }\nchannel fax "Fax" { kind paper }\npersona p "P" { prefers wbe }\n'


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# --- exit codes ---------------------------------------------------------------------

def test_examples_are_clean(capsys):
    code, out, _ = run(capsys, "check", str(SPECS), "--strict")
    assert code == 0, out
    assert "All checks passed" in out


def test_findings_exit_1_and_warnings_only_with_strict(tmp_path, capsys):
    spec = write(tmp_path, "a.jql", BAD)
    assert run(capsys, "check", str(spec))[0] == 1
    warn_only = write(tmp_path / "w", "a.jql", 'channel fax "Fax" { kind paper }\n')
    assert run(capsys, "check", str(warn_only))[0] == 0
    assert run(capsys, "check", str(warn_only), "--strict")[0] == 1


@pytest.mark.parametrize("args", [["check", "/no/such/path"], ["check", "--format", "xml", "."], [],
                                  ["fmt", "/no/such/path"], ["frobnicate"]])
def test_usage_errors_exit_2(args, capsys):
    code, _, err = run(capsys, *args)
    assert code == 2
    assert "Traceback" not in err


# --- formats -------------------------------------------------------------------------

def test_json_format_shape(tmp_path, capsys):
    spec = write(tmp_path, "a.jql", BAD)
    code, out, _ = run(capsys, "check", str(spec), "--format", "json")
    document = json.loads(out)
    assert code == 1
    assert set(document) == {"version", "diagnostics", "summary"} and document["version"] == 1
    assert set(document["summary"]) >= {"errors", "warnings", "files"}
    assert document["summary"]["files"] == 1
    assert document["summary"]["errors"] == sum(d["severity"] == "error" for d in document["diagnostics"])
    for d in document["diagnostics"]:
        assert {"code", "name", "severity", "message", "file", "line", "column", "end_line", "end_column",
                "hint"} <= set(d)
        assert d["line"] >= 1 and d["column"] >= 1 and (d["end_line"], d["end_column"]) >= (d["line"], d["column"])
    undefined = next(d for d in document["diagnostics"] if d["code"] == "JQL201")
    assert (undefined["line"], undefined["column"]) == (4, 25)
    assert undefined["hint"] == "did you mean `web`?"


def test_concise_format(tmp_path, capsys):
    spec = write(tmp_path, "a.jql", BAD)
    _, out, _ = run(capsys, "check", str(spec), "--format", "concise")
    lines = out.splitlines()
    assert lines
    for line in lines:
        assert re.fullmatch(r"(.+):(\d+):(\d+): (JQL\d{3}) (.+)", line), line


def test_github_format_escapes(tmp_path, capsys):
    spec = write(tmp_path, "odd, name: 100%.jql", BAD)
    _, out, _ = run(capsys, "check", str(spec), "--format", "github")
    lines = out.splitlines()
    assert lines
    for line in lines:
        m = re.fullmatch(r"::(error|warning|notice) (file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[^,:]+)::(.*)", line)
        assert m, line
        assert "odd%2C name%3A 100%25.jql" in m.group(2)
        assert "\n" not in m.group(3)


def test_sarif_format(tmp_path, capsys):
    spec = write(tmp_path, "a.jql", BAD)
    _, out, _ = run(capsys, "check", str(spec), "--format", "sarif")
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0" and "sarif" in sarif["$schema"]
    run0 = sarif["runs"][0]
    rules = run0["tool"]["driver"]["rules"]
    assert run0["tool"]["driver"]["name"] == "journeyql"
    assert run0["results"]
    for result in run0["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"].endswith("a.jql")
        assert location["region"]["startLine"] >= 1


def test_human_format_shows_source_and_caret(tmp_path, capsys):
    spec = write(tmp_path, "a.jql", BAD)
    _, out, _ = run(capsys, "check", str(spec))
    assert "error[JQL201]: `wbe` is not defined" in out
    assert '4 | persona p "P" { prefers wbe }' in out
    lines = out.splitlines()
    start = lines.index("error[JQL201]: `wbe` is not defined")
    source = lines.index('4 | persona p "P" { prefers wbe }', start)
    assert lines[source + 1] == "  | " + " " * 24 + "^^^"
    assert "= hint: did you mean `web`?" in out


def test_check_output_file_is_written_atomically(tmp_path, capsys):
    spec = write(tmp_path, "a.jql", BAD)
    report = tmp_path / "report.json"
    code, out, _ = run(capsys, "check", str(spec), "--format", "json", "-o", str(report))
    assert code == 1 and out == ""
    assert json.loads(report.read_text())["version"] == 1


def test_schema_command(capsys):
    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0 and "journeys" in schema["properties"] and "$defs" in schema
    assert schema["$defs"]["Touchpoint"]["properties"]["span"]


# --- fmt -----------------------------------------------------------------------------------

UGLY = 'persona  p   "P"{goal "a"   # why\n}\n'
PRETTY = 'persona p "P" {\n  goal "a"  # why\n}\n'


def test_fmt_check_diff_and_write(tmp_path, capsys):
    spec = write(tmp_path, "a.jql", UGLY)
    code, out, err = run(capsys, "fmt", "--check", str(spec))
    assert code == 1 and "would reformat" in out and spec.read_text() == UGLY
    code, out, _ = run(capsys, "fmt", "--diff", str(spec))
    assert code == 1 and out.startswith("---") and "+  goal" in out and spec.read_text() == UGLY
    code, _, _ = run(capsys, "fmt", str(spec))
    assert code == 0 and spec.read_text() == PRETTY
    assert run(capsys, "fmt", "--check", str(spec))[0] == 0


def test_fmt_leaves_a_broken_file_alone(tmp_path, capsys):
    text = 'persona p "P" {\n  goal "unterminated\n}\n'
    spec = write(tmp_path, "a.jql", text)
    code, _, err = run(capsys, "fmt", str(spec))
    assert code == 1 and "JQL002" in err
    assert spec.read_text() == text
    assert [p.name for p in tmp_path.iterdir()] == ["a.jql"]  # no temp file left behind


def test_examples_are_formatted(capsys):
    assert run(capsys, "fmt", "--check", str(SPECS))[0] == 0


def test_check_changes_nothing(tmp_path, capsys):
    spec = write(tmp_path, "a.jql", BAD)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.rglob("*")}
    run(capsys, "check", str(tmp_path), "--format", "sarif")
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.rglob("*")}
    assert before == after


# --- bad input -------------------------------------------------------------------------------

def _no_crash(tmp_path, capsys, name: str, data, expect_codes=(), exit_codes=(1,)):
    spec = write(tmp_path, name, data)
    diagnostics = journeyql.check(spec)
    for d in diagnostics:
        assert d.span.line >= 1 and d.span.column >= 1
    codes = {d.code for d in diagnostics}
    assert set(expect_codes) <= codes, codes
    try:
        journeyql.parse(spec.read_text(encoding="utf-8", errors="replace"), name)
    except journeyql.SpecError:
        pass
    code, out, err = run(capsys, "check", str(spec))
    assert code in exit_codes and "Traceback" not in err + out
    return diagnostics, out


def test_empty_and_comment_only_files(tmp_path, capsys):
    _no_crash(tmp_path, capsys, "empty.jql", "", exit_codes=(0,))
    _no_crash(tmp_path / "c", capsys, "comments.jql", "# nothing here\n\n   # still nothing\n", exit_codes=(0,))


def test_binary_and_non_utf8_files(tmp_path, capsys):
    diagnostics, _ = _no_crash(tmp_path, capsys, "binary.jql", b"\x00\x01\x02PNG\x00", ["JQL004"])
    diagnostics, _ = _no_crash(tmp_path / "l", capsys, "latin1.jql", b'persona p "P" {\n  goal "caf\xe9"\n}\n',
                               ["JQL004"])
    d = diagnostics[0]
    assert (d.span.line, d.span.column) == (2, 12) and "0xe9" in d.message


def test_utf8_bom_is_accepted(tmp_path, capsys):
    _no_crash(tmp_path, capsys, "bom.jql", "\ufeffchannel web \"Web\" { kind web }\n".encode("utf-8"),
              exit_codes=(0,))


def test_truncated_example(tmp_path, capsys):
    text = (SPECS / "bank-mortgage" / "mortgage.jql").read_text(encoding="utf-8")
    diagnostics, _ = _no_crash(tmp_path, capsys, "cut.jql", text[: len(text) // 2])
    assert {d.code for d in diagnostics} & {"JQL001", "JQL002", "JQL003"}
    diagnostics, _ = _no_crash(tmp_path / "b", capsys, "cut.jql", text[: text.index("stage advise")])
    assert [d.code for d in diagnostics] == ["JQL003"]


def test_ten_thousand_nested_braces(tmp_path, capsys):
    text = "journey j {" * 10000 + "}" * 10000
    _no_crash(tmp_path, capsys, "deep.jql", text, ["JQL005"])


def test_five_megabyte_line(tmp_path, capsys):
    text = 'persona p "P" { goal "' + "x" * 5_000_000 + '" }\nchannel c "C" { kind nonsense }\n'
    diagnostics, out = _no_crash(tmp_path, capsys, "long.jql", text, ["JQL106"])
    text2 = 'persona p "' + "y" * 5_000_000 + '\n'
    _, out2 = _no_crash(tmp_path / "u", capsys, "long.jql", text2, ["JQL002"])
    assert len(out2) < 5000  # the report shows an excerpt, not the 5 MB line


def test_missing_path_and_folder_without_specs(tmp_path, capsys):
    code, _, err = run(capsys, "check", str(tmp_path / "nope"))
    assert code == 2 and err.count("\n") == 1 and "no such file or directory" in err
    (tmp_path / "empty").mkdir()
    code, out, _ = run(capsys, "check", str(tmp_path / "empty"))
    assert code == 1 and "JQL006" in out


@pytest.mark.parametrize("config, needle", [
    ("[workspace\nlocale = 'nl'\n", "not valid TOML"),
    ("[workspace]\nlocale = 5\n", "workspace.locale"),
    ("[rules]\nno-such-rule = 'off'\n", "names no known rule"),
    ("[rules]\nunused-channel = 'loud'\n", "rules.unused-channel"),
])
def test_broken_config(tmp_path, capsys, config, needle):
    write(tmp_path, "journeyql.toml", config)
    write(tmp_path, "a.jql", 'channel web "Web" { kind web }\n')
    code, out, err = run(capsys, "check", str(tmp_path), "--format", "concise")
    assert code == 1 and "JQL007" in out and needle in out and "journeyql.toml" in out


def test_hostile_labels_round_trip(tmp_path):
    label = '<script>alert("x")</script> \\ {braces} # not a comment ; 🙂 مرحبا \u202e \x01'
    from journeyql.language.formatter import format_source, quote

    text = f'persona p {quote(label)} {{\n  goal {quote(label)}\n}}\n'
    ws = journeyql.parse(text)
    assert ws.personas[0].label == label and ws.personas[0].goals == (label,)
    again = journeyql.parse(format_source(text))
    assert again.content() == ws.content()


def test_no_traceback_from_the_console_script(tmp_path):
    spec = write(tmp_path, "a.jql", b"\xff\xfe\x00garbage{{{")
    result = subprocess.run([sys.executable, "-m", "journeyql.cli", "check", str(spec)],
                            capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
