"""Issue 13, item 1: on an untrusted pull request a plugin can never change the verdict.

Whatever a plugin does at a boundary (load, hooks, rules, renderers, readers, options), even
``sys.exit(0)`` or ``GeneratorExit``, JourneyQL reports it naming the plugin and the other
plugins still run; a renderer that hangs is stopped after a configurable time limit.
"""

from __future__ import annotations

import json
import sys
import textwrap
import threading

import pytest

from journeyql.cli import main
from journeyql.host.plugins import PluginHost, reset_host

SPEC = textwrap.dedent('''
    stakeholder ops "Ops" { kind internal }
    channel web "Web" { kind web }
    persona p "P" { prefers web }
    journey j "J" { personas p  stage s "S" { step a "A" { touchpoint t "T" { channel web  owner ops } } } }
''')
BROKEN = SPEC.replace("owner ops", "owner nobody")


@pytest.fixture(autouse=True)
def fresh_host():
    reset_host()
    yield
    reset_host()


def install(tmp_path, monkeypatch, name: str, source: str, version="1.0"):
    """A plugin installed the way a third party's is: a module with an entry point on sys.path."""
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    info = site / f"{name}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[journeyql]\n{name} = {name}\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delitem(sys.modules, name, raising=False)  # each test imports its own version
    reset_host()


def workspace(tmp_path, spec=SPEC, config=None):
    ws = tmp_path / "ws"
    ws.mkdir(exist_ok=True)
    (ws / "a.jql").write_text(spec, encoding="utf-8")
    if config is not None:
        (ws / "journeyql.toml").write_text(config, encoding="utf-8")
    return ws


RULE_PLUGIN = '''
    import sys
    import journeyql
    from journeyql.diagnostics import Diagnostic, Severity

    def check(workspace):
        {body}

    @journeyql.hookimpl
    def register_rules(register):
        register(code="ACME001", name="acme-rule", severity="error", summary="s", check=check)
'''


@pytest.mark.parametrize("body", ["sys.exit(0)", "raise GeneratorExit()", "raise SystemExit('bye')"])
def test_a_rule_that_exits_cannot_turn_check_green(tmp_path, monkeypatch, capsys, body):
    install(tmp_path, monkeypatch, "exiting_rule", RULE_PLUGIN.format(body=body))
    code = main(["check", str(workspace(tmp_path)), "--format", "concise"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "JQL000" in out and "ACME001" in out and "exiting_rule 1.0" in out
    assert "Traceback" not in out + err


@pytest.mark.parametrize("body", ["sys.exit(0)", "raise GeneratorExit()"])
def test_a_hook_that_exits_leaves_the_broken_spec_red(tmp_path, monkeypatch, capsys, body):
    install(tmp_path, monkeypatch, "exiting_hook", f'''
        import sys
        import journeyql
        @journeyql.hookimpl
        def register_rules(register):
            {body}
    ''')
    code = main(["check", str(workspace(tmp_path, BROKEN)), "--format", "concise"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "JQL201" in out or "JQL309" in out or "nobody" in out  # the spec's own finding is still there
    assert "JQL009" in out and "exiting_hook 1.0" in out and "Traceback" not in out + err


def test_a_plugin_that_exits_on_import_is_reported(tmp_path, monkeypatch, capsys):
    install(tmp_path, monkeypatch, "exits_on_import", "raise GeneratorExit('at import')\n")
    code = main(["check", str(workspace(tmp_path)), "--format", "concise"])
    out, err = capsys.readouterr()
    assert code == 1 and "exits_on_import 1.0: failed to load: GeneratorExit" in out


@pytest.mark.parametrize("returned, said", [
    ("[1]", "returned int 1"),
    ('"x"', "returned str 'x'"),
    ('[Diagnostic("ACME001", "acme-rule", Severity.ERROR, "m", None)]', "without a valid span"),
    ('[Diagnostic("ACME001", "acme-rule", "error", "m", workspace.journeys[0].span)]', "wrong type"),
    ("None", "TypeError"),
])
def test_what_a_rule_returns_is_validated(tmp_path, monkeypatch, capsys, returned, said):
    install(tmp_path, monkeypatch, "sloppy_rule", RULE_PLUGIN.format(body=f"return {returned}"))
    ws = workspace(tmp_path, SPEC + 'persona unused "U" { prefers web }\n')
    for fmt in ("human", "json", "github", "sarif"):  # every view prints it
        code = main(["check", str(ws), "--format", fmt])
        out, err = capsys.readouterr()
        assert code == 1 and "Traceback" not in err and "internal error" not in err, fmt
        assert "sloppy_rule 1.0" in out and said in out, (fmt, out)
        assert "unused" in out  # the built-in rules still ran


RENDER_PLUGIN = '''
    import sys, time
    import journeyql

    def render(workspace, context):
        context.write_text("bad/first.txt", "one\\n")
        {body}

    @journeyql.hookimpl
    def register_renderers(register):
        register(name="bad", description="misbehaves", render=render)
'''


@pytest.mark.parametrize("body, said", [
    ("sys.exit(3)", "called sys.exit(3)"),
    ("sys.exit(0)", "called sys.exit(0)"),
    ("raise GeneratorExit('gone')", "GeneratorExit: gone"),
])
def test_a_renderer_that_exits_is_a_failed_renderer(tmp_path, monkeypatch, capsys, body, said):
    install(tmp_path, monkeypatch, "bad_renderer", RENDER_PLUGIN.format(body=body))
    out = tmp_path / "out"
    code = main(["render", str(workspace(tmp_path)), "--to", "bad,json", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert f"renderer bad (plugin bad_renderer 1.0) failed: {said}" in err
    manifest = json.loads((out / "manifest.json").read_text())
    assert [f["path"] for f in manifest["files"]] == ["workspace.json"]
    assert not (out / "bad").exists()


def test_ctrl_c_in_a_renderer_exits_130(tmp_path, monkeypatch, capsys):
    install(tmp_path, monkeypatch, "interrupted", RENDER_PLUGIN.format(body="raise KeyboardInterrupt"))
    code = main(["render", str(workspace(tmp_path)), "--to", "bad", "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 130 and "interrupted" in err and "Traceback" not in err
    assert not (tmp_path / "out" / "bad").exists()


HANGS = "while True:\n            pass"
SWALLOWS = "while True:\n            try:\n                time.sleep(5)\n            except Exception:\n                pass"


@pytest.mark.parametrize("body", [HANGS, SWALLOWS, "time.sleep(30)"])
def test_a_renderer_that_hangs_is_stopped_after_the_configured_limit(tmp_path, monkeypatch, capsys, body):
    install(tmp_path, monkeypatch, "hanging", RENDER_PLUGIN.format(body=body))
    ws = workspace(tmp_path, config="[build]\nrenderer_timeout = 0.3\n")
    out = tmp_path / "out"
    code = main(["render", str(ws), "--to", "bad,json", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "renderer bad (plugin hanging 1.0) failed: stopped after the time limit of 0.3 s" in err
    assert (out / "workspace.json").is_file() and not (out / "bad").exists()


def test_the_environment_sets_the_limit_over_the_configuration(tmp_path, monkeypatch, capsys):
    install(tmp_path, monkeypatch, "hanging", RENDER_PLUGIN.format(body=HANGS))
    monkeypatch.setenv("JOURNEYQL_RENDERER_TIMEOUT", "0.2")
    ws = workspace(tmp_path, config="[build]\nrenderer_timeout = 3600\n")
    assert main(["render", str(ws), "--to", "bad", "-o", str(tmp_path / "out")]) == 1
    assert "time limit of 0.2 s" in capsys.readouterr().err


def test_the_limit_holds_off_the_main_thread_and_a_stopped_renderer_writes_nothing(tmp_path, monkeypatch):
    """Where no timer signal can be used (a thread, Windows) the renderer is abandoned and muted."""
    from journeyql.host.testing import render

    import journeyql

    release = threading.Event()

    def slow(workspace, context):
        release.wait(10)
        context.write_text("late.txt", "too late\n")

    class Slow:
        __name__ = "slow_plugin"

        @journeyql.hookimpl
        def register_renderers(self, register):
            register(name="slow", description="slow", render=slow)

    monkeypatch.setenv("JOURNEYQL_RENDERER_TIMEOUT", "0.2")
    result = {}
    worker = threading.Thread(target=lambda: result.update(r=render(SPEC, "slow", plugins=[Slow()],
                                                                     installed=False)))
    worker.start()
    worker.join(20)
    release.set()
    assert result["r"].status == "failed" and "time limit of 0.2 s" in result["r"].message
    assert result["r"].files == {}


def test_a_third_party_plugin_cannot_take_a_standard_renderers_name(tmp_path, monkeypatch, capsys):
    # "aaa" sorts before "json": without the standard plugins going first it would win the name
    install(tmp_path, monkeypatch, "aaa_impostor", '''
        import journeyql
        def render(workspace, context):
            context.write_text("workspace.json", "{}")
        @journeyql.hookimpl
        def register_renderers(register):
            register(name="json", description="not the real one", render=render)
    ''')
    out = tmp_path / "out"
    code = main(["render", str(workspace(tmp_path)), "--to", "json", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "renderer `json` is the name of a standard renderer (plugin json" in err and "aaa_impostor" in err
    assert json.loads((out / "workspace.json").read_text()) != {}  # the standard renderer ran


@pytest.mark.parametrize("how", ["environment", "config"])
def test_build_with_every_renderer_disabled_says_so_and_exits_2(tmp_path, monkeypatch, capsys, how):
    if how == "environment":
        monkeypatch.setenv("JOURNEYQL_DISABLE_PLUGINS", "all")
        ws = workspace(tmp_path)
    else:
        ws = workspace(tmp_path, config="[build]\nrenderers = []\n")
    code = main(["build", str(ws), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and "no renderer to run" in err
    assert not (tmp_path / "out").exists()


def test_an_options_model_that_exits_is_reported(tmp_path, monkeypatch, capsys):
    install(tmp_path, monkeypatch, "bad_options", '''
        import sys
        import journeyql
        from pydantic import BaseModel, model_validator
        class Options(BaseModel):
            @model_validator(mode="before")
            @classmethod
            def leave(cls, data):
                sys.exit(0)
        @journeyql.hookimpl
        def register_renderers(register):
            register(name="opt", description="d", render=lambda w, c: None, options=Options)
    ''')
    code = main(["render", str(workspace(tmp_path)), "--to", "opt", "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and "renderer opt (plugin bad_options 1.0) failed to validate: called sys.exit(0)" in err


def test_a_register_call_that_exits_does_not_stop_the_other_plugins():
    import journeyql

    class Exits:
        __name__ = "exits"

        @journeyql.hookimpl
        def register_renderers(self, register):
            raise SystemExit(0)

    class Good:
        __name__ = "good"

        @journeyql.hookimpl
        def register_renderers(self, register):
            register(name="good", description="d", render=lambda w, c: None)

    host = PluginHost(entry_points=False, plugins=(Exits(), Good()))
    assert list(host.renderers) == ["good"]
    assert str(host.problems[0]) == "plugin exits 0: register_renderers failed: called sys.exit(0)"


def test_a_reader_that_exits_is_reported_naming_its_plugin(tmp_path, monkeypatch, capsys):
    pytest.importorskip("duckdb")
    install(tmp_path, monkeypatch, "exiting_reader", '''
        import sys
        import journeyql
        def read(path):
            sys.exit(0)
        @journeyql.hookimpl
        def register_readers(register):
            register(name="acme", description="d", suffixes=[".acme"], read=read)
    ''')
    ws = workspace(tmp_path)
    (ws / "answers.acme").write_text("anything\n", encoding="utf-8")
    code = main(["analyze", str(ws), "--responses", str(ws / "answers.acme"), "--cache-dir", str(tmp_path / "c")])
    err = capsys.readouterr().err
    assert code == 2 and "the acme reader (plugin exiting_reader 1.0) cannot read it: called sys.exit(0)" in err
