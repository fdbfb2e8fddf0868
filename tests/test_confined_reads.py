"""Issue 13, item 2 (and item 5's bad paths): reads stay inside the workspace.

Specs, journeyql.toml, templates and response paths of a pull request from a fork are untrusted:
nothing they name or link to outside the workspace is read, quoted or copied into the output,
and a device or FIFO named like a spec is refused without reading it.
"""

from __future__ import annotations

import os
import textwrap

import pytest

from journeyql.cli import main
from journeyql.host.plugins import reset_host

SPEC = textwrap.dedent('''
    stakeholder ops "Ops" { kind internal }
    channel web "Web" { kind web }
    persona p "P" { prefers web }
    journey j "J" { personas p  stage s "S" { step a "A" { touchpoint t "T" { channel web  owner ops } } } }
''')
SECRET = "root:x:0:0:root:/root:/bin/bash\n"


@pytest.fixture(autouse=True)
def fresh_host():
    reset_host()
    yield
    reset_host()


def measured(data: str) -> str:
    return SPEC + textwrap.dedent(f'''
        measurement m "M" {{
          journey j
          sample t
          valence {{ scale -3..3  question "How?" }}
          data "{data}"
        }}
    ''')


def workspace(tmp_path, spec=SPEC, config=None):
    ws = tmp_path / "ws"
    ws.mkdir(exist_ok=True)
    (ws / "a.jql").write_text(spec, encoding="utf-8")
    if config is not None:
        (ws / "journeyql.toml").write_text(config, encoding="utf-8")
    return ws


@pytest.mark.parametrize("data, said", [
    ("../secret.csv", "leads outside the workspace"),
    ("SECRET_ABSOLUTE", "absolute path"),
    ("a[1].csv", "pattern character"),
    ("*.csv", "pattern character"),
    ("link.csv", "leads outside the workspace"),
])
def test_data_paths_stay_inside_the_workspace(tmp_path, capsys, data, said):
    (tmp_path / "secret.csv").write_text(SECRET, encoding="utf-8")
    data = data.replace("SECRET_ABSOLUTE", str(tmp_path / "secret.csv"))
    ws = workspace(tmp_path, measured(data))
    (ws / "a1.csv").write_text(SECRET, encoding="utf-8")
    os.symlink(tmp_path / "secret.csv", ws / "link.csv")
    code = main(["check", str(ws), "--format", "concise"])
    out = capsys.readouterr().out
    assert code == 1 and "JQL010" in out and said in out
    assert "a.jql:7:1: JQL010" in out  # at the measurement plan
    code = main(["build", str(ws), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1 and "root:x" not in err and "not rendered" in err


def test_a_missing_data_file_outside_is_no_internal_error(tmp_path, capsys):
    ws = workspace(tmp_path, measured("../../nowhere/missing.csv"))
    for command in (["check", str(ws)], ["build", str(ws), "-o", str(tmp_path / "out")], ["analyze", str(ws)]):
        code = main(command)
        captured = capsys.readouterr()
        assert code == 1 and "internal error" not in captured.err and "JQL010" in captured.out + captured.err


def test_response_file_names_are_never_patterns(tmp_path, capsys):
    pytest.importorskip("duckdb")
    ws = workspace(tmp_path, measured("responses.csv"))
    (ws / "a1.csv").write_text("respondent_id,journey,touchpoint,item,value,timestamp\n", encoding="utf-8")
    code = main(["analyze", str(ws), "--responses", str(ws / "a[1].csv"), "--cache-dir", str(tmp_path / "c")])
    err = capsys.readouterr().err
    assert code == 2 and "is not read (it would be taken as a pattern)" in err


def test_a_linked_spec_outside_is_not_read_or_quoted(tmp_path, capsys):
    (tmp_path / "outside.jql").write_text('persona leaked "TOP SECRET TEXT" {\n', encoding="utf-8")
    ws = workspace(tmp_path)
    os.symlink(tmp_path / "outside.jql", ws / "link.jql")
    code = main(["check", str(ws)])
    out = capsys.readouterr().out
    assert code == 1 and "JQL010" in out and "symbolic link to a file outside the workspace" in out
    assert "TOP SECRET" not in out


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_fifo_or_device_named_like_a_spec_is_refused_unread(tmp_path, capsys, kind):
    ws = workspace(tmp_path)
    if kind == "fifo":
        os.mkfifo(ws / "pipe.jql")  # opening it would block until a writer came
    else:
        os.symlink("/dev/zero", ws / "zero.jql")  # reading it would never end
    code = main(["check", str(ws), "--format", "concise"])
    out = capsys.readouterr().out
    assert code == 1 and "JQL010" in out
    assert ("a FIFO, not a regular file" in out) if kind == "fifo" else ("outside the workspace" in out)
    code = main(["fmt", "--check", str(ws)])
    assert code == 1 and "JQL010" in capsys.readouterr().err


def test_a_fifo_inside_the_workspace_named_by_path_is_refused(tmp_path, capsys):
    ws = workspace(tmp_path)
    os.mkfifo(ws / "pipe.jql")
    assert main(["check", str(ws / "pipe.jql"), "--format", "concise"]) == 1
    assert "a FIFO" in capsys.readouterr().out


def test_a_configuration_linked_from_outside_is_not_read(tmp_path, capsys):
    (tmp_path / "elsewhere.toml").write_text("[workspace]\nlocale = 'nl'\n", encoding="utf-8")
    ws = workspace(tmp_path)
    os.symlink(tmp_path / "elsewhere.toml", ws / "journeyql.toml")
    assert main(["check", str(ws), "--format", "concise"]) == 1
    assert "JQL010" in capsys.readouterr().out


@pytest.mark.parametrize("setting", ['locale = "../../../evil"', 'locales = ["nl", "../x"]', 'locale = "en/../x"'])
def test_locales_are_validated_at_check(tmp_path, capsys, setting):
    ws = workspace(tmp_path, config=f"[workspace]\n{setting}\n")
    assert main(["check", str(ws), "--format", "concise"]) == 1
    out = capsys.readouterr().out
    assert "JQL007" in out and "locale" in out


def test_good_locales_still_pass(tmp_path, capsys):
    ws = workspace(tmp_path, config='[workspace]\nlocale = "nl"\nlocales = ["nl", "en-GB", "zh-Hant-TW"]\n')
    assert main(["check", str(ws)]) == 0


def test_a_deeply_nested_configuration_is_a_finding_not_a_crash(tmp_path, capsys):
    ws = workspace(tmp_path)
    (ws / "journeyql.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    assert main(["check", str(ws), "--format", "concise"]) == 1
    captured = capsys.readouterr()
    assert "JQL007" in captured.out and "nested too deep" in captured.out and "internal" not in captured.err


@pytest.mark.parametrize("how", ["override", "include"])
def test_templates_linked_from_outside_are_refused(tmp_path, capsys, how):
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    ws = workspace(tmp_path)
    folder = ws / "templates" / "markdown"
    folder.mkdir(parents=True)
    if how == "override":
        os.symlink(tmp_path / "secret.txt", folder / "index.md.j2")
    else:
        (folder / "index.md.j2").write_text('{% include "markdown/leak.txt" %}\n', encoding="utf-8")
        os.symlink(tmp_path / "secret.txt", folder / "leak.txt")
    out = tmp_path / "out"
    code = main(["render", str(ws), "--to", "markdown", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and "is not read: it is a symbolic link to a file outside the workspace" in err
    assert not any("root:x" in p.read_text() for p in out.rglob("*") if p.is_file())


def test_a_fifo_template_does_not_hang_the_build(tmp_path, capsys):
    ws = workspace(tmp_path)
    folder = ws / "templates" / "markdown"
    folder.mkdir(parents=True)
    os.mkfifo(folder / "index.md.j2")
    code = main(["render", str(ws), "--to", "markdown", "-o", str(tmp_path / "out")])
    assert code == 1 and "a FIFO, not a regular file" in capsys.readouterr().err


def test_fmt_on_a_read_only_file_reports_the_failure(tmp_path, capsys):
    ws = workspace(tmp_path, SPEC.replace("  stage", "     stage"))
    spec = ws / "a.jql"
    before = spec.read_text()
    spec.chmod(0o444)
    try:
        code = main(["fmt", str(ws)])
    finally:
        spec.chmod(0o644)
    err = capsys.readouterr().err
    assert code == 1 and "cannot write" in err and "read-only" in err
    assert "0 files reformatted" in err and "1 not formatted" in err
    assert spec.read_text() == before
