"""Issue 13, item 7: findings are capped per code and file, with how many were left out.

A spec of 200,000 duplicate definitions made 400,000 findings; `check` lists the first 100 of each
code per file and one more finding per group saying how many were not listed. That finding keeps
the group's code and severity, so the verdict, `--strict` and `[rules]` settings are as before.
"""

from __future__ import annotations

import json

from journeyql.cli import main
from journeyql.diagnostics.cap import LIMIT
from journeyql.workspace import analyse, discover

DUPLICATES = 5_000


def _spec(tmp_path, config: str | None = None):
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "a.jql").write_text("".join(f'persona p "P{i}" {{}}\n' for i in range(DUPLICATES)), encoding="utf-8")
    (ws / "b.jql").write_text('persona p "Again" {}\n', encoding="utf-8")
    if config:
        (ws / "journeyql.toml").write_text(config, encoding="utf-8")
    return ws


def test_findings_are_capped_per_code_and_file_saying_how_many_were_left_out(tmp_path, capsys):
    ws = _spec(tmp_path)
    found = analyse(discover([str(ws)])[0]).diagnostics
    duplicates = [d for d in found if d.code == "JQL202" and d.span.path.endswith("a.jql")]
    # 5,000 definitions in a.jql: all but the first of them are duplicates (b.jql's is one more elsewhere)
    assert len(duplicates) == LIMIT + 1
    assert duplicates[-1].message == f"{DUPLICATES - 1 - LIMIT:,} more `duplicate-definition` findings in this " \
                                     f"file are not listed (at most {LIMIT} per code and file)"
    assert [d for d in found if d.span.path.endswith("b.jql") and d.code == "JQL202"]  # other files: their own cap
    assert main(["check", str(ws), "--format", "json"]) == 1
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert summary["errors"] == LIMIT + 2


def test_a_capped_group_keeps_its_settings(tmp_path, capsys):
    ws = _spec(tmp_path, '[rules]\nduplicate-definition = "warning"\nunused-persona = "off"\n')
    found = analyse(discover([str(ws)])[0]).diagnostics
    assert {d.code for d in found} == {"JQL202"}
    assert {d.severity.value for d in found} == {"warning"}
    assert main(["check", str(ws)]) == 0 and main(["check", str(ws), "--strict"]) == 1
