"""Data-driven diagnostic cases: the expected findings are written inline in the specs.

Each ``.jql`` file directly in ``tests/diagnostic_cases/`` and in its ``syntax/`` folder is a
one-file workspace; every other folder there is a workspace of its own (several files, a
``journeyql.toml``). A comment ``# E: JQL201`` on a line says an error with that code is
reported on that line; ``W:`` a warning and ``I:`` an info. An optional quoted text after the
code must occur in the message or hint: ``# E: JQL201 "did you mean"``. Several expectations may
stand on one line: ``# E: JQL308  # E: JQL307``. The findings of a case must equal its
expectations exactly, so line numbers never need updating by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import journeyql
from journeyql.diagnostics import all_codes

CASES = Path(__file__).parent / "diagnostic_cases"
EXPECT = re.compile(r'#\s*([EWI]):\s*([A-Z]+\d{3})(?:\s+"([^"]*)")?')
LETTER = {"error": "E", "warning": "W", "info": "I"}
# Files whose bytes cannot carry a comment: expectations stated here.
NOT_TEXT = {"syntax/latin1.jql": [(1, "E", "JQL004", "not UTF-8")],
            "empty_file/empty.jql": [(1, "W", "JQL011", "defines nothing")]}


def _cases() -> list[Path]:
    found = sorted(CASES.glob("*.jql")) + sorted((CASES / "syntax").glob("*.jql"))
    found += sorted(p for p in CASES.iterdir() if p.is_dir() and p.name != "syntax")
    return found


def _expectations(case: Path) -> set[tuple]:
    files = [case] if case.is_file() else sorted(case.glob("*.jql"))
    expected = set()
    for file in files:
        relative = file.relative_to(CASES).as_posix()
        if relative in NOT_TEXT:
            expected |= {(relative, *e) for e in NOT_TEXT[relative]}
            continue
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            for letter, code, text in EXPECT.findall(line):
                expected.add((relative, number, letter, code, text or None))
    return expected


def _found(case: Path) -> list:
    return journeyql.check(case)


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.relative_to(CASES).as_posix())
def test_case(case: Path):
    expected = _expectations(case)
    diagnostics = _found(case)
    actual = {(Path(d.span.path).resolve().relative_to(CASES.resolve()).as_posix(), d.span.line,
               LETTER[d.severity.value], d.code) for d in diagnostics}
    wanted = {e[:4] for e in expected}
    missing = sorted(wanted - actual)
    unexpected = sorted(actual - wanted)
    shown = "\n".join(f"  {d.span.path}:{d.span.line}:{d.span.column} {d.code} {d.message}" for d in diagnostics)
    assert not missing and not unexpected, (
        f"missing: {missing}\nunexpected: {unexpected}\nall findings:\n{shown}")
    for file, line, letter, code, text in expected:
        if text is None:
            continue
        messages = [f"{d.message} {d.hint or ''} {' '.join(str(r) for _, r in d.related)}" for d in diagnostics
                    if d.code == code and d.span.line == line
                    and Path(d.span.path).resolve() == (CASES / file).resolve()]
        assert any(text in m for m in messages), f"{file}:{line} {code}: {text!r} not in {messages}"


def test_every_code_has_a_case():
    covered = set()
    for case in _cases():
        covered |= {e[3] for e in _expectations(case)}
    # JQL000 needs a crashing rule, JQL006 a folder without specs, JQL007 a broken config and
    # JQL009 a broken plugin: tests/test_cli_and_input.py and tests/test_plugin_host.py cover them.
    # JQL401 and JQL402 come from `analyze --fail-on regression`: tests/test_regression_gate.py covers them.
    elsewhere = {"JQL000", "JQL005", "JQL006", "JQL007", "JQL009", "JQL401", "JQL402"}
    assert {c.code for c in all_codes()} - elsewhere <= covered, sorted(
        {c.code for c in all_codes()} - elsewhere - covered)


def test_a_crashing_rule_is_reported_and_the_others_still_run(tmp_path):
    from journeyql.diagnostics import Severity
    from journeyql.workspace.rules import Rule
    from journeyql.workspace import analyse, discover

    spec = tmp_path / "a.jql"
    spec.write_text('channel web "Web" { kind web }\n', encoding="utf-8")

    def boom(ws):
        raise RuntimeError("boom")

    rule = Rule("ACME001", "acme-boom", Severity.ERROR, "crashes", boom, plugin="acme 1.0")
    analysis = analyse(discover([str(tmp_path)])[0], [rule])
    codes = [d.code for d in analysis.diagnostics]
    assert "JQL000" in codes and "JQL304" in codes
    crashed = next(d for d in analysis.diagnostics if d.code == "JQL000")
    assert "acme 1.0" in crashed.message and "boom" in crashed.message


def test_a_rule_switched_off_is_not_run_and_one_switched_on_is(tmp_path):
    """Off by default (missing-translation) or by `[rules]`: the rule's findings would all be dropped,
    so it does not run at all (check time); set to a level, it runs and its findings count."""
    from journeyql.diagnostics import Severity
    from journeyql.workspace.rules import Rule
    from journeyql.workspace import analyse, discover

    (tmp_path / "a.jql").write_text('channel web "Web" { kind web }\n', encoding="utf-8")
    runs = []

    def counted(ws):
        runs.append(ws)
        yield from ()

    rule = Rule("ACME002", "acme-counted", Severity.WARNING, "counts its runs", counted, plugin="acme 1.0")
    (tmp_path / "journeyql.toml").write_text('[rules]\nacme-counted = "off"\n', encoding="utf-8")
    analyse(discover([str(tmp_path)])[0], [rule])
    assert runs == []
    (tmp_path / "journeyql.toml").write_text('[rules]\nACME002 = "info"\n', encoding="utf-8")
    analyse(discover([str(tmp_path)])[0], [rule])
    assert len(runs) == 1

    from journeyql.workspace import rules as core

    translated = next(r for r in core.core_rules() if r.name == "missing-translation")
    seen = []
    original = translated.check
    object.__setattr__(translated, "check", lambda ws: seen.append(ws) or original(ws))  # a frozen dataclass
    try:
        (tmp_path / "journeyql.toml").unlink()
        analyse(discover([str(tmp_path)])[0])
        assert seen == []  # off by default
        (tmp_path / "journeyql.toml").write_text('[rules]\nmissing-translation = "warning"\n', encoding="utf-8")
        analyse(discover([str(tmp_path)])[0])
        assert len(seen) == 1
    finally:
        object.__setattr__(translated, "check", original)


def test_the_first_definition_of_a_name_is_the_first_in_the_file_nested_or_not(tmp_path):
    """The binder lists definitions in file order (a block before the blocks inside it), and the
    resolver takes the first listed as the first definition: the duplicate is the later one."""
    from journeyql.workspace import analyse, discover

    (tmp_path / "a.jql").write_text(
        'journey j "J" {\n'
        '  stage x "S" {\n'
        '    step x "Inner" {\n'
        '      touchpoint x "T" { channel web }\n'
        '    }\n'
        '  }\n'
        '}\n'
        'channel web "Web" { kind web }\n', encoding="utf-8")
    (tmp_path / "b.jql").write_text('channel web "Again" { kind web }\n', encoding="utf-8")
    found = [d for d in analyse(discover([str(tmp_path)])[0]).diagnostics if d.code == "JQL202"]
    where = sorted((d.span.path.rsplit("/", 1)[-1], d.span.line, d.related[0][1].line) for d in found)
    assert where == [("a.jql", 3, 2), ("a.jql", 4, 2), ("b.jql", 1, 8)]
