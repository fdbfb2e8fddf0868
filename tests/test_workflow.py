"""git and CI workflow: semantic diff, starter workspace, pre-commit hooks."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

import journeyql
from journeyql.cli import main

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def versions(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(SPECS / "bank-mortgage", old)
    shutil.copytree(SPECS / "bank-mortgage", new)
    spec = new / "mortgage.jql"
    edit(spec, "        channel calculator\n        owner digital", "        channel calculator\n        owner advice")
    edit(spec, "      expected -2, dissatisfaction\n      target 1, satisfaction\n      for yusuf",
         "      expected 0, dissatisfaction\n      target 1, satisfaction\n      for yusuf")
    edit(spec, '    step welcome "First months', '    step review "Annual review" {\n      touchpoint review_call '
               '"Review call" {\n        channel phone\n        owner advice\n      }\n    }\n\n    step welcome "First months')
    edit(spec, '      touchpoint welcome_mail "Welcome e-mail" {\n        channel mail\n        owner digital\n      }\n', "")
    edit(spec, 'persona yusuf "Yusuf, self-employed"', 'persona yusuf "Yusuf, entrepreneur"')
    edit(spec, "        expected -3, dissatisfaction\n        target 1, satisfaction\n        note",
         "        expected -1, dissatisfaction\n        target 1, satisfaction\n        note")
    return old, new


def test_diff_markdown(versions, capsys):
    old, new = versions
    assert main(["diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert "`mortgage.calc` Mortgage calculator: digital → advice" in out
    assert "expected -2 (dissatisfaction) → 0 (dissatisfaction) (+2)" in out
    assert "➕ added step `mortgage.review` Annual review" in out
    assert "➕ added touchpoint `mortgage.review_call` Review call" in out
    assert "➖ removed touchpoint `mortgage.welcome_mail`" in out
    assert "✏️ changed persona `yusuf`" in out and "label Yusuf, self-employed → Yusuf, entrepreneur" in out
    assert "expected for yusuf -3 (dissatisfaction) → -1 (dissatisfaction) (+2)" in out


def test_diff_json(versions, capsys):
    old, new = versions
    assert main(["diff", str(old), str(new), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["version"] == 1
    assert document["summary"] == {"added": 2, "removed": 1, "changed": 3}
    kinds = {(c["kind"], c["what"], c["key"]) for c in document["changes"]}
    assert ("changed", "touchpoint", "mortgage.calc") in kinds and ("removed", "touchpoint", "mortgage.welcome_mail") in kinds


def test_reformatting_is_no_change(tmp_path, capsys):
    shutil.copytree(SPECS / "bank-mortgage", tmp_path / "a")
    shutil.copytree(SPECS / "bank-mortgage", tmp_path / "b")
    spec = tmp_path / "b" / "mortgage.jql"
    spec.write_text(spec.read_text().replace("\n  ", "\n        ").replace(" {\n", "{\n"), encoding="utf-8")
    assert main(["diff", str(tmp_path / "a"), str(tmp_path / "b")]) == 0
    assert "No semantic changes." in capsys.readouterr().out


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.invalid", "PATH": "/usr/bin:/bin:/usr/local/bin",
                        "HOME": str(cwd)})


def test_diff_against_git_revisions(tmp_path, capsys, monkeypatch):
    repo = tmp_path / "repo"
    shutil.copytree(SPECS / "insurer-claim", repo / "specs" / "claim")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "first")
    edit(repo / "specs" / "claim" / "claim.jql", "        owner emergency\n        moment critical",
         "        owner claims\n        moment critical")
    monkeypatch.chdir(repo)
    assert main(["diff", "HEAD", "specs/claim"]) == 0
    out = capsys.readouterr().out
    assert "`car_claim.sos_call` Emergency call: emergency → claims" in out
    git(repo, "commit", "-q", "-am", "second")
    assert main(["diff", "HEAD~1", "HEAD", "specs/claim", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["changed"] == 1
    assert main(["diff", "no-such-revision", "specs/claim"]) == 2
    assert "unknown git revision" in capsys.readouterr().err


def test_diff_outside_git(tmp_path, capsys, monkeypatch):
    shutil.copytree(SPECS / "bank-mortgage", tmp_path / "ws")
    monkeypatch.chdir(tmp_path)
    assert main(["diff", "HEAD", "ws"]) == 2
    assert "not inside a git repository" in capsys.readouterr().err


def test_diff_of_a_broken_version(versions, capsys):
    old, new = versions
    (new / "mortgage.jql").write_text("journey {", encoding="utf-8")
    assert main(["diff", str(old), str(new)]) == 1
    assert "JQL" in capsys.readouterr().err


def test_init_makes_a_clean_formatted_workspace(tmp_path, capsys):
    target = tmp_path / "new-workspace"
    assert main(["init", str(target)]) == 0
    assert journeyql.check(target) == []
    assert main(["fmt", "--check", str(target)]) == 0
    assert main(["build", str(target), "-o", str(tmp_path / "site")]) == 0
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    capsys.readouterr()
    assert main(["init", str(target)]) == 2
    assert "already has" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before


def test_pre_commit_hooks_name_real_commands():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in hooks} == {"journeyql-check", "journeyql-fmt"}
    for hook in hooks:
        program, command = hook["entry"].split()[:2]
        assert program == "journeyql" and hook["language"] == "python"
        with pytest.raises(SystemExit) as exited:
            main([command, "--help"])
        assert exited.value.code == 0
    check = next(h for h in hooks if h["id"] == "journeyql-check")
    assert check["pass_filenames"] is False  # names resolve across files: check whole workspaces
