"""`journeyql diff`: semantic changes between two versions, from paths or git revisions."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import journeyql
from journeyql.cli import diff as diff_command
from journeyql.tools import diff as diffing
from journeyql.tools.starter import FILES

ROOT = Path(__file__).resolve().parents[1]

# Only in the old version: a journey and a channel that the new version removes.
OLD_ONLY = '''channel letter "Letter" {
  kind paper
}

journey complaint "Complaining" {
  organisation acme
  personas alex

  stage file "File a complaint" {
    step write "Write a letter" {
      touchpoint complaint_letter "Complaint letter" {
        channel letter
        owner service
      }
    }
  }
}
'''

# Only in the new version: a journey, a persona, a stakeholder with a relation, a channel, an improvement.
NEW_ONLY = '''journey renewal "Renewing the contract" {
  organisation acme
  personas alex

  stage offer "The offer" {
    step read "Read the renewal offer" {
      touchpoint offer_mail "Renewal e-mail" {
        channel email
        owner billing
      }
    }
  }
}

persona sam "Sam, student" {
  prefers email
}

stakeholder billing "Billing" {
  kind internal
  organisation acme
}

relation billing -> customer "sends the bill" {
  flows money
}

channel email "E-mail" {
  kind email
}

improvement bill_explained "Explain the final bill line by line" {
  changes bill_page
  owner service
  horizon mid_term
}
'''

# (file, old text, new text): every kind of change the diff reports
NEW_EDITS = [
    ("journey.jql", "  personas alex\n", "  personas alex, sam\n"),
    ("journey.jql", 'stage settle "Settle up"', 'stage settle "Settle the bill"'),
    ("journey.jql", '''    step call "Call to check" {
      action "Calls to check the move was registered"
      touchpoint check_call "Phone call" {
        channel phone
        owner service
      }
      expected -1, fear
      target 1, satisfaction
    }
''', '''    step confirm "Read the confirmation" {
      touchpoint confirm_page "Confirmation page" {
        channel website
        owner online
        moment positive, "Everything is arranged in one go"
      }
      expected 1, joy
      target 2, joy
    }
'''),
    ("journey.jql", '''      touchpoint bill_page "Final bill in the account" {
        channel website
        owner service''', '''      touchpoint bill_page "Final bill in the account" {
        channel phone
        owner online'''),
    ("journey.jql", "moment negative, ", "moment critical, "),
    ("journey.jql", "      expected -2, dissatisfaction\n      target 2, satisfaction\n      for alex {\n        expected -3\n      }\n",
     "      expected 0, dissatisfaction\n      target 3, satisfaction\n"),
    ("journey.jql", 'step welcome "First month at the new address"', 'step welcome "First month in the new home"'),
    ("journey.jql", "      expected 1, joy\n      target 2, joy\n    }\n  }\n}\n",
     '''      expected 1, joy
      target 2, joy
      for sam {
        skips yes
      }
    }
  }

  stage aftercare "After the move" {
    step survey "Answer the survey" {
      touchpoint survey_mail "Survey e-mail" {
        channel email
        owner online
      }
    }
  }
}
'''),
    ("organisation.jql", 'persona alex "Alex, moving house"', 'persona alex "Alex | moving <soon>"'),
    ("organisation.jql", 'stakeholder service "Customer service" {\n  kind internal\n',
     'stakeholder service "Customer service" {\n  kind internal\n  role "Answers calls and e-mails"\n'),
    ("organisation.jql", 'relation service -> customer "answers questions" {\n  flows information\n',
     'relation service -> customer "answers questions" {\n  flows information, trust\n'),
    ("improve.jql", "  sample move_form\n", "  sample move_form, confirm_page\n"),
    ("improve.jql", "  kpi move_form.valence >= 1\n}\n\nmodel", "  kpi move_form.valence >= 2\n}\n\nmodel"),
    ("improve.jql", "  status planned\n", "  status in_progress\n"),
]

# The old version has persona views that the new one changes and removes.
OLD_EDITS = [
    ("journey.jql", "      expected -2, dissatisfaction\n      target 2, satisfaction\n",
     "      expected -2, dissatisfaction\n      target 2, satisfaction\n      for alex {\n        expected -3\n      }\n"),
    ("journey.jql", "      expected -1, dissatisfaction\n      target 1, satisfaction\n",
     '      expected -1, dissatisfaction\n      target 1, satisfaction\n      for alex {\n        expected -2\n'
     '        note "Alex expected a refund"\n      }\n'),
]
NEW_VIEW_EDIT = ("journey.jql", '      for alex {\n        expected -2\n        note "Alex expected a refund"\n      }\n',
                 '      for alex {\n        expected -1\n        note "Alex expected a refund | soon"\n      }\n')


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def starter(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name, text in FILES.items():
        (path / name).write_text(text, encoding="utf-8")
    return path


def old_version(path: Path) -> Path:
    starter(path)
    for name, before, after in OLD_EDITS:
        edit(path / name, before, after)
    (path / "old_only.jql").write_text(OLD_ONLY, encoding="utf-8")
    return path


def new_version(path: Path) -> Path:
    old_version(path)
    (path / "old_only.jql").unlink()
    (path / "new_only.jql").write_text(NEW_ONLY, encoding="utf-8")
    for name, before, after in [*NEW_EDITS, NEW_VIEW_EDIT]:
        edit(path / name, before, after)
    return path


def diff(*argv: str) -> int:
    """`journeyql diff ARGV` through the subcommand's own argument set-up."""
    parser = argparse.ArgumentParser(prog="journeyql diff")
    diff_command.add_arguments(parser)
    return diff_command.run(parser.parse_args(list(argv)))


@pytest.fixture
def versions(tmp_path):
    return old_version(tmp_path / "old"), new_version(tmp_path / "new")


def test_both_versions_are_valid(versions):
    for version in versions:
        assert [d for d in journeyql.check(version) if d.severity.value == "error"] == []


def test_markdown_reports_every_kind_of_change(versions, capsys):
    old, new = versions
    assert diff(str(old), str(new)) == 0
    out = capsys.readouterr().out
    expected = f"""## Journey changes: `{old}` -> `{new}`

**Summary:** journeys: 1 added, 1 removed, 1 changed; stages: 1 added, 1 changed; steps: 2 added, 1 removed, 1 changed; touchpoints: 2 added, 1 removed, 1 changed; moments of truth: 1 added, 1 changed; emotion scores: 1 added, 1 removed, 1 moved; persona views: 1 added, 1 removed, 1 changed; stakeholders: 1 added, 1 changed; relations: 1 added, 1 changed; channels: 1 added, 1 removed; personas: 1 added, 1 changed; measurement plans: 1 changed; improvements: 1 added, 1 changed.

### Journeys

- removed `complaint` Complaining (1 stage, 1 step, 1 touchpoint)
- changed `moving` Moving house
- added `renewal` Renewing the contract (1 stage, 1 step, 1 touchpoint)

### Journey `moving`: Moving house

- personas: added `sam`

#### Stages

- renamed `moving.settle`: "Settle up" -> "Settle the bill"
- added `moving.aftercare` After the move

#### Steps

- added `moving.confirm` Read the confirmation (stage `moving.report`)
- renamed `moving.welcome`: "First month at the new address" -> "First month in the new home"
- added `moving.survey` Answer the survey (stage `moving.aftercare`)
- removed `moving.call` Call to check (stage `moving.report`)

#### Touchpoints

- added `moving.confirm_page` Confirmation page (step `moving.confirm`, channel `website`, owner `online`)
- changed `moving.bill_page` Final bill in the account
  - channel: `website` -> `phone`
  - owner: `service` -> `online`
- added `moving.survey_mail` Survey e-mail (step `moving.survey`, channel `email`, owner `online`)
- removed `moving.check_call` Phone call (step `moving.call`, channel `phone`, owner `service`)

#### Owners

- `moving.bill_page` Final bill in the account: `service` -> `online`

#### Moments of truth

- changed `moving.move_form` Online moving form: polarity: negative -> critical
- added `moving.confirm_page` Confirmation page: positive "Everything is arranged in one go"

#### Emotions

| Step | Expected | Target |
|---|---|---|
| `moving.form` Fill in the moving form | -2 -> 0 (+2) | 2 -> 3 (+1) |
| `moving.confirm` Read the confirmation (new step) | none -> 1 (joy) | none -> 2 (joy) |
| `moving.call` Call to check (step removed) | -1 (fear) -> none | 1 (satisfaction) -> none |

#### Persona views

- removed view of `alex` on `moving.form` Fill in the moving form (expected -3)
- changed view of `alex` on `moving.final_bill` Receive the final bill: expected: -2 -> -1 (+1); note: "Alex expected a refund" -> "Alex expected a refund \\| soon"
- added view of `sam` on `moving.welcome` First month in the new home (skips yes)

### Stakeholders

- added `billing` Billing (kind internal)
- changed `service` Customer service: role: none -> "Answers calls and e-mails"

### Stakeholder relations

- added `billing -> customer` sends the bill (flows money)
- changed `service -> customer` answers questions: flows: added trust

### Channels

- added `email` E-mail (kind email)
- removed `letter` Letter (kind paper)

### Personas

- added `sam` Sam, student
- renamed `alex`: "Alex, moving house" -> "Alex \\| moving \\<soon\\>"

### Measurement plans

- changed `pulse` Moving pulse
  - samples: "after moving.move\\_form" -> "after moving.move\\_form, moving.confirm\\_page"
  - kpis: "moving.move\\_form.valence \\>= 1" -> "moving.move\\_form.valence \\>= 2"

### Improvements

- added `bill_explained` Explain the final bill line by line (horizon mid\\_term, owner `service`)
- changed `date_ahead` Accept moving dates six months ahead: status: planned -> in\\_progress
"""
    assert out == expected


def test_json_has_stable_documented_keys(versions, capsys):
    old, new = versions
    assert diff(str(old), str(new), "--format", "json") == 0
    document = json.loads(capsys.readouterr().out)
    assert list(document) == ["version", "old", "new", "summary", "workspaces", "changes"]
    assert document["version"] == 1 and document["workspaces"] == ["."]
    assert document["summary"] == {"added": 14, "removed": 6, "changed": 12}
    for record in document["changes"]:
        assert list(record) == ["kind", "what", "key", "label", "journey", "persona", "workspace", "fields"]
        assert record["kind"] in diffing.KINDS and record["what"] in diffing.WHATS
        for change in record["fields"]:
            assert list(change) == ["field", "old", "new", "delta"]
    by_key = {(r["what"], r["key"], r["persona"]): r for r in document["changes"]}
    owner = by_key[("touchpoint", "moving.bill_page", None)]
    assert owner["kind"] == "changed" and owner["journey"] == "moving"
    assert {"field": "owner", "old": "service", "new": "online", "delta": None} in owner["fields"]
    emotion = by_key[("emotion", "moving.form", None)]
    assert emotion["fields"] == [{"field": "expected", "old": -2, "new": 0, "delta": 2},
                                 {"field": "target", "old": 2, "new": 3, "delta": 1}]
    view = by_key[("persona_view", "moving.final_bill", "alex")]
    assert view["fields"][0] == {"field": "expected", "old": -2, "new": -1, "delta": 1}
    assert by_key[("journey", "complaint", None)]["kind"] == "removed"
    assert by_key[("moment", "moving.confirm_page", None)]["fields"] == [
        {"field": "polarity", "old": None, "new": "positive", "delta": None},
        {"field": "text", "old": None, "new": "Everything is arranged in one go", "delta": None}]
    assert by_key[("persona", "alex", None)]["fields"] == [
        {"field": "label", "old": "Alex, moving house", "new": "Alex | moving <soon>", "delta": None}]


def test_the_output_is_deterministic(versions, capsys):
    old, new = versions
    outputs = set()
    for _ in range(2):
        for fmt in ("markdown", "json"):
            assert diff(str(old), str(new), "--format", fmt) == 0
            outputs.add(capsys.readouterr().out)
    assert len(outputs) == 2


def test_diff_the_other_way_round_swaps_added_and_removed(versions):
    old, new = versions
    forward = diffing.diff_workspaces(journeyql.load(old), journeyql.load(new))
    backward = diffing.diff_workspaces(journeyql.load(new), journeyql.load(old))
    assert forward.summary()["added"] == backward.summary()["removed"]
    assert forward.summary()["removed"] == backward.summary()["added"]


def test_reformatting_and_moving_definitions_are_no_change(tmp_path, capsys):
    old = starter(tmp_path / "old")
    new = starter(tmp_path / "new")
    journey = new / "journey.jql"
    # another layout, comments, and the persona moved to a file of its own
    journey.write_text("# reformatted\n" + journey.read_text().replace("\n  ", "\n      ").replace(" {\n", "   {\n\n"),
                       encoding="utf-8")
    organisation = (new / "organisation.jql").read_text()
    channel = organisation[organisation.index("channel website"):organisation.index("channel phone")]
    persona = organisation[organisation.index("persona alex"):]
    moved = channel + persona
    (new / "organisation.jql").write_text(organisation.replace(channel, "").replace(persona, ""), encoding="utf-8")
    (new / "people.jql").write_text("# moved here\n" + moved, encoding="utf-8")
    # content() sorts definitions by name, and the diff pairs them by name: moving changes nothing
    assert journeyql.load(old).content() == journeyql.load(new).content()
    assert diff(str(old), str(new)) == 0
    assert capsys.readouterr().out == f"## Journey changes: `{old}` -> `{new}`\n\nNo semantic changes.\n"
    assert diff(str(old), str(new), "--format", "json") == 0
    document = json.loads(capsys.readouterr().out)
    assert document["changes"] == [] and document["summary"] == {"added": 0, "removed": 0, "changed": 0}


def test_reordering_steps_is_a_change(tmp_path):
    old = journeyql.load(starter(tmp_path / "old"))
    new_path = starter(tmp_path / "new")
    text = (new_path / "journey.jql").read_text()
    form = text[text.index('    step form'):text.index('    step call')]
    call = text[text.index('    step call'):text.index('  }\n\n  stage settle')]
    (new_path / "journey.jql").write_text(text.replace(form + call, call + form), encoding="utf-8")
    result = diffing.diff_workspaces(old, journeyql.load(new_path))
    (journey,) = result.changes
    assert journey.what == "journey" and journey.fields == (diffing.FieldChange(
        "step order", ["moving.form", "moving.call", "moving.final_bill", "moving.welcome"],
        ["moving.call", "moving.form", "moving.final_bill", "moving.welcome"]),)
    assert "- step order: `moving.form`, `moving.call`" in diffing.as_markdown(result)


def test_markdown_escapes_spec_text(tmp_path):
    old = journeyql.load(starter(tmp_path / "old"))
    new_path = starter(tmp_path / "new")
    edit(new_path / "journey.jql", '"Fill in the moving form"', r'"<script>x</script> | **bold** [link](http://x) `c`"')
    text = diffing.as_markdown(diffing.diff_workspaces(old, journeyql.load(new_path)))
    line = next(line for line in text.splitlines() if "moving.form" in line)
    assert re.findall(r"(?<!\\)[<>|*\[`]", line.replace(" -> ", " ").replace("`moving.form`", "")) == []
    assert r"\<script\>" in line and r"\*\*bold\*\*" in line and r"\[link\]" in line and r"\`c\`" in line


def test_an_empty_version_makes_everything_added(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    new = starter(tmp_path / "new")
    result = diffing.diff_workspaces(journeyql.language.model.Workspace(), journeyql.load(new))
    assert {c.kind for c in result.changes} == {"added"}
    assert diff(str(empty), str(new)) == 0
    assert "has no specs here: everything is new" in capsys.readouterr().out


def test_spec_errors_in_a_version_exit_1_with_concise_diagnostics(versions, capsys):
    old, new = versions
    (new / "broken.jql").write_text("journey {", encoding="utf-8")
    assert diff(str(old), str(new)) == 1
    err = capsys.readouterr().err
    assert "broken.jql:1:" in err and "JQL" in err
    assert f"the new version ({new}) has errors" in err


@pytest.mark.parametrize("argv, message", [
    (["one", "two", "three", "four"], "give OLD NEW"),
    (["--", "-x"], "neither a path nor a git revision"),
])
def test_usage_errors_exit_2(argv, message, capsys):
    assert diff(*argv) == 2
    assert message in capsys.readouterr().err


def test_a_single_path_is_not_a_revision(versions, capsys):
    old, _new = versions
    assert diff(str(old)) == 2
    assert "is a path" in capsys.readouterr().err


def test_load_version_reads_paths(versions):
    old, _new = versions
    assert diffing.load_version(str(old)).content() == journeyql.load(old).content()


# --- git revisions ---------------------------------------------------------------------------

def git(cwd: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid", "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "HOME": str(cwd), "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env).stdout


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A git repository with the old version committed at specs/demo, then the new version committed."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    old_version(root / "specs" / "demo")
    (root / "README.md").write_text("not a spec\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "old")
    monkeypatch.chdir(root)
    return root


def test_revision_against_the_working_tree(repo, capsys):
    shutil.rmtree(repo / "specs" / "demo")
    new_version(repo / "specs" / "demo")
    assert diff("HEAD", "specs/demo") == 0
    out = capsys.readouterr().out
    assert out.startswith("## Journey changes in `specs/demo`: `HEAD` -> working tree\n")
    assert "- `moving.bill_page` Final bill in the account: `service` -> `online`" in out
    assert "| `moving.form` Fill in the moving form | -2 -> 0 (+2) | 2 -> 3 (+1) |" in out
    # the same as comparing the two directories
    (repo.parent / "old").mkdir()
    old_version(repo.parent / "old")
    assert diff(str(repo.parent / "old"), "specs/demo") == 0
    body = capsys.readouterr().out.split("\n", 1)[1]
    assert out.split("\n", 1)[1] == body
    assert sorted(git(repo, "status", "--porcelain", "--untracked-files=no").splitlines()) == [
        " D specs/demo/old_only.jql", " M specs/demo/improve.jql", " M specs/demo/journey.jql",
        " M specs/demo/organisation.jql"]


def test_two_revisions_and_nothing_written_in_the_repository(repo, capsys):
    shutil.rmtree(repo / "specs" / "demo")
    new_version(repo / "specs" / "demo")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "new")
    assert diff("HEAD~1", "HEAD", "specs/demo", "--format", "json") == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["old"], document["new"]) == ("HEAD~1", "HEAD")
    assert document["summary"] == {"added": 14, "removed": 6, "changed": 12}
    # two revisions and no path: the repository's top, from a subdirectory too
    os.chdir(repo / "specs")
    assert diff("HEAD~1", "HEAD") == 0
    assert "### Workspace `demo`" in capsys.readouterr().out
    assert diff("HEAD", "HEAD", "demo") == 0
    assert "No semantic changes." in capsys.readouterr().out
    assert git(repo, "status", "--porcelain", "--ignored") == ""


def test_diagnostics_of_a_revision_name_the_revision(repo, capsys):
    (repo / "specs" / "demo" / "broken.jql").write_text("journey {", encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "broken")
    assert diff("HEAD", "specs/demo") == 1
    err = capsys.readouterr().err
    assert "HEAD:specs/demo/broken.jql:1:" in err
    assert "the old version (HEAD) has errors" in err and "the new version (working tree) has errors" in err


def test_a_workspace_added_since_the_revision(repo, capsys):
    starter(repo / "specs" / "fresh")
    assert diff("HEAD", "specs") == 0
    out = capsys.readouterr().out
    assert "### Workspace `fresh`" in out and "- added `moving` Moving house" in out
    assert "### Workspace `demo`" not in out  # unchanged
    assert diff("HEAD", "specs/fresh") == 0
    assert "HEAD has no specs here: everything is new" in capsys.readouterr().out


def test_load_version_reads_revisions(repo):
    workspace = diffing.load_version("HEAD", "specs/demo")
    assert workspace.content() == journeyql.load(repo / "specs" / "demo").content()


def test_unknown_revision_exits_2(repo, capsys):
    assert diff("no-such-revision", "specs/demo") == 2
    assert "unknown git revision `no-such-revision`" in capsys.readouterr().err
    assert diff("no-such-revision") == 2
    assert "unknown git revision" in capsys.readouterr().err


def test_outside_a_git_repository_exits_2(tmp_path, monkeypatch, capsys):
    starter(tmp_path / "ws")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    assert diff("HEAD", "ws") == 2
    assert "not inside a git repository" in capsys.readouterr().err


def test_the_cli_wires_diff(versions, capsys):
    old, new = versions
    from journeyql.cli import main

    assert main(["diff", str(old), str(new), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["added"] == 14


# --- the example specs -----------------------------------------------------------------------

EXAMPLES = sorted(p for p in (ROOT / "specs").iterdir() if (p / "journeyql.toml").is_file())


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_examples_against_themselves_and_nothing(example):
    from journeyql.language.model import Workspace

    workspace = journeyql.load(example)
    assert diffing.diff_workspaces(workspace, workspace).empty
    nothing = Workspace(locale=workspace.locale)
    created = diffing.diff_workspaces(nothing, workspace)
    deleted = diffing.diff_workspaces(workspace, nothing)
    assert {c.kind for c in created.changes} == {"added"} and {c.kind for c in deleted.changes} == {"removed"}
    assert created.summary()["added"] == deleted.summary()["removed"]
    for result in (created, deleted):
        text = diffing.as_markdown(result)
        assert "<" not in text.replace("\\<", "")
        json.loads(diffing.as_json(result))


def test_two_examples_differ_in_everything(capsys):
    first, second = EXAMPLES[:2]
    assert diff(str(first), str(second)) == 0
    out = capsys.readouterr().out
    assert "### Journeys" in out and "- removed" in out and "- added" in out


def test_output_file_and_length_limit(versions, tmp_path, capsys):
    old, new = versions
    assert diff(str(old), str(new), "-o", str(tmp_path / "diff.md")) == 0
    assert capsys.readouterr().out == ""
    full = (tmp_path / "diff.md").read_text(encoding="utf-8")
    assert diff(str(old), str(new), "--max-length", "1000") == 0
    cut = capsys.readouterr().out
    assert len(cut) <= 1000 and full.startswith(cut.rsplit("\n\n_", 1)[0])
    assert re.search(r"_\d+ more lines not shown; `journeyql diff` prints them all\._\n$", cut)
    assert diff(str(old), str(new), "--max-length", str(len(full))) == 0
    assert capsys.readouterr().out == full
