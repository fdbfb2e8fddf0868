"""`journeyql init` (the starter workspace) and the pre-commit hooks."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
import yaml

import journeyql
from journeyql.tools import starter
from journeyql.cli import init as init_command
from journeyql.cli import main

ROOT = Path(__file__).resolve().parents[1]


def init(directory: Path) -> int:
    """`journeyql init DIRECTORY` through the subcommand's own argument set-up."""
    parser = argparse.ArgumentParser(prog="journeyql init")
    init_command.add_arguments(parser)
    return init_command.run(parser.parse_args([str(directory)]))


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_init_writes_a_clean_canonical_workspace(tmp_path, capsys):
    target = tmp_path / "deep" / "new-workspace"  # missing parents are created
    assert init(target) == 0
    assert "created a starter workspace" in capsys.readouterr().out
    assert sorted(snapshot(target)) == sorted(starter.FILES)
    assert journeyql.check(target) == []  # no error, warning or info
    assert main(["fmt", "--check", str(target)]) == 0
    assert main(["check", "--strict", str(target)]) == 0  # with the installed plugins' rules too


def test_the_starter_has_one_of_everything(tmp_path):
    init(tmp_path / "ws")
    ws = journeyql.load(tmp_path / "ws")
    assert len(ws.organisations) == 1 and len(ws.personas) == 1 and len(ws.channels) >= 2
    assert {s.kind for s in ws.stakeholders} >= {"customer", "internal"} and ws.relations
    (journey,) = ws.journeys
    assert len(journey.stages) == 2 and len(journey.steps) == 4
    assert all(step.touchpoints and step.expected and step.target for step in journey.steps)
    owners = {tp.owner for tp in journey.touchpoints}
    assert owners <= {s.id for s in ws.stakeholders if s.kind == "internal"} and None not in owners
    moments = [tp.key for tp in journey.touchpoints if tp.moment is not None]
    assert moments
    (plan,) = ws.measurements
    assert set(moments) <= {key for sample in plan.samples for key in sample.after}
    assert ws.models and ws.models[0].links and ws.improvements


def test_the_starter_builds(tmp_path, capsys):
    init(tmp_path / "ws")
    assert main(["build", str(tmp_path / "ws"), "-o", str(tmp_path / "site")]) == 0
    assert any((tmp_path / "site").iterdir())


def test_init_never_overwrites(tmp_path, capsys):
    target = tmp_path / "ws"
    assert init(target) == 0
    (target / "journey.jql").write_text("# my own work\n", encoding="utf-8")
    before = snapshot(target)
    capsys.readouterr()
    assert init(target) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already has improve.jql, journey.jql, journeyql.toml, organisation.jql" in err
    assert snapshot(target) == before


def test_init_writes_nothing_when_one_file_is_in_the_way(tmp_path, capsys):
    target = tmp_path / "ws"
    target.mkdir()
    (target / "journeyql.toml").write_text("[workspace]\n", encoding="utf-8")
    assert init(target) == 2
    assert "already has journeyql.toml; nothing was written" in capsys.readouterr().err
    assert snapshot(target) == {"journeyql.toml": b"[workspace]\n"}


def test_init_refuses_a_directory_with_specs_that_would_join(tmp_path, capsys):
    target = tmp_path / "ws"
    (target / "more").mkdir(parents=True)
    (target / "more" / "extra.jql").write_text('persona alex "Alex" {}\n', encoding="utf-8")
    (target / "own").mkdir()
    (target / "own" / "journeyql.toml").write_text("", encoding="utf-8")
    (target / "own" / "separate.jql").write_text('persona bo "Bo" {}\n', encoding="utf-8")
    assert init(target) == 2
    err = capsys.readouterr().err
    assert "more/extra.jql" in err and "separate.jql" not in err
    (target / "more" / "extra.jql").unlink()
    assert init(target) == 0  # a workspace of its own below is fine


def test_init_on_a_file_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "file").write_text("", encoding="utf-8")
    assert init(tmp_path / "file") == 2
    assert "is not a directory" in capsys.readouterr().err


def test_the_cli_wires_init(tmp_path, capsys):
    assert main(["init", str(tmp_path / "ws")]) == 0
    assert main(["init", str(tmp_path / "ws")]) == 2


# --- pre-commit hooks -----------------------------------------------------------------------

def hooks() -> list[dict]:
    return yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def test_pre_commit_hooks_name_real_subcommands(capsys):
    found = hooks()
    assert [h["id"] for h in found] == ["journeyql-check", "journeyql-fmt"]
    for hook in found:
        assert hook["language"] == "python" and hook["name"] and hook["description"]
        program, command, *options = hook["entry"].split()
        assert program == "journeyql"  # the console script of this distribution
        with pytest.raises(SystemExit) as exited:
            main([command, *options, "--help"])
        assert exited.value.code == 0


def test_check_runs_on_whole_workspaces_and_fmt_on_the_changed_files():
    check, fmt = hooks()
    # names resolve across files: checking only the staged files would report every
    # reference to another file as undefined, so the check runs once, on the workspaces
    assert check["pass_filenames"] is False
    assert re.search(check["files"], "specs/a/journey.jql") and re.search(check["files"], "specs/a/journeyql.toml")
    assert fmt.get("pass_filenames", True) is True
    assert re.search(fmt["files"], "specs/a/journey.jql") and not re.search(fmt["files"], "specs/a/journeyql.toml")
    assert not re.search(fmt["files"], "notes.jql.md")


def test_pre_commit_check_of_one_file_would_be_wrong(tmp_path):
    """Why pass_filenames is false: one file of a workspace on its own does not resolve."""
    init(tmp_path / "ws")
    alone = journeyql.check(tmp_path / "ws" / "journey.jql")
    assert any(d.code == "JQL201" for d in alone)  # undefined names, defined in the other files
    assert journeyql.check(tmp_path / "ws") == []


# --- docs/ci.md ----------------------------------------------------------------------------------

def ci_commands() -> list[list[str]]:
    """Every `journeyql ...` command the CI examples run, with CI variables made plain words."""
    import shlex

    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 4
    commands = []
    for block in blocks:
        yaml.safe_load(block)  # every example is valid YAML
        code = re.sub(r"(^|\s)#.*", "", block)  # comments mention commands too
        for match in re.finditer(r"journeyql (?:check|fmt|build|render|diff|init)\b[^\n|>&]*", code):
            line = re.sub(r"\$\{\{[^}]*\}\}|\$\w+", "X", match.group(0))
            commands.append(shlex.split(line)[1:])
    return commands


def test_ci_examples_run_real_commands_with_real_options():
    from journeyql.cli import build_parser
    from journeyql.cli import diff as diff_command

    commands = ci_commands()
    assert {c[0] for c in commands} >= {"check", "fmt", "build", "diff"}
    for argv in commands:
        if argv[0] == "diff":
            parser = argparse.ArgumentParser()
            diff_command.add_arguments(parser)
            parser.parse_args(argv[1:])
        else:
            build_parser().parse_args(argv)
    formats = {c[c.index("--format") + 1] for c in commands if "--format" in c}
    assert formats >= {"github", "sarif", "markdown"}
