"""The plugin host and the render pipeline: guarded loading, validated registration,
confined and atomic output, incremental builds, options and templates."""

from __future__ import annotations

import json
import os
import sys
import textwrap
from pathlib import Path

import pytest
from pydantic import BaseModel

import journeyql
import journeyql.host.testing
from journeyql.cli import main
from journeyql.host.plugins import PluginHost, reset_host

SPEC = textwrap.dedent('''
    stakeholder ops "Ops" { kind internal }
    channel web "Web" { kind web }
    persona p "P" { prefers web }
    journey j "J" { personas p  stage s "S" { step a "A" { touchpoint t "T" { channel web  owner ops } } } }
''')


class Plugin:
    """An in-process plugin built from functions, as tests need them."""

    def __init__(self, name, **hooks):
        self.__name__ = name
        for hook, function in hooks.items():
            setattr(self, hook, journeyql.hookimpl(function))


def renderer_plugin(name, render, options=None, plugin_name=None):
    def register_renderers(register):
        register(name=name, description=f"{name} renderer", render=render, outputs=[f"{name}.txt"], options=options)
    return Plugin(plugin_name or f"plugin_{name.replace('-', '_')}", register_renderers=register_renderers)


def write_text(path):
    def render(workspace, context):
        context.write_text(path, "x\n")
    return render


@pytest.fixture(autouse=True)
def fresh_host():
    reset_host()
    yield
    reset_host()


# --- registration ------------------------------------------------------------------------

@pytest.mark.parametrize("register_call, message", [
    (lambda r: r(name="Bad Name", description="d", render=print), "must be lower-case"),
    (lambda r: r(name="ok", description="d", render="not callable"), "must be callable"),
    (lambda r: r(name="ok", description="d", render=print, options=dict), "pydantic model"),
    (lambda r: r(name="ok", description="d", render=print, colour="red"), "unexpected keyword"),
])
def test_bad_registration_is_reported_and_others_still_work(register_call, message):
    bad = Plugin("bad_plugin", register_renderers=lambda register: register_call(register))
    good = renderer_plugin("good", write_text("good.txt"))
    host = PluginHost(entry_points=False, plugins=(bad, good))
    assert "good" in host.renderers and "ok" not in host.renderers
    assert [p.plugin for p in host.problems] == ["bad_plugin"]
    assert message in host.problems[0].message


def test_duplicate_renderer_is_reported():
    host = PluginHost(entry_points=False, plugins=(renderer_plugin("same", print, plugin_name="first"),
                                                   renderer_plugin("same", print, plugin_name="second")))
    assert host.renderers["same"].plugin == "first"
    assert "already registered by plugin first" in host.problems[0].message


def test_rule_codes_must_be_the_plugins_own():
    def register_rules(register):
        register(code="JQL999", name="mine", severity="error", summary="s", check=lambda ws: [])
    host = PluginHost(entry_points=False, plugins=(Plugin("rules_plugin", register_rules=register_rules),))
    assert host.rules == [] and "must look like ACME001" in host.problems[0].message


def test_plugin_rules_run_in_check_with_config_and_suppression(tmp_path):
    from journeyql.diagnostics import Diagnostic

    def long_labels(workspace):
        for journey in workspace.journeys:
            for tp in journey.touchpoints:
                if len(tp.label) > 3:
                    yield Diagnostic("ACME001", "long-label", journeyql.Severity.WARNING, "label too long", tp.span)

    def register_rules(register):
        register(code="ACME001", name="long-label", severity="warning", summary="Long labels", check=long_labels)

    plugin = Plugin("acme", register_rules=register_rules)
    spec = SPEC.replace('"T"', '"A long label"')
    found = journeyql.host.testing.check(spec, plugins=[plugin], installed=False)
    assert [d.code for d in found] == ["ACME001"]
    assert journeyql.host.testing.check(spec.replace("} } } }", "} } } }  # jql-ignore: long-label"),
                                   plugins=[plugin], installed=False) == []
    assert journeyql.host.testing.check(spec, plugins=[plugin], installed=False,
                                   config="[rules]\nACME001 = 'off'\n") == []


def test_hook_that_raises_is_reported():
    def register_renderers(register):
        raise RuntimeError("kaput")
    host = PluginHost(entry_points=False, plugins=(Plugin("explodes", register_renderers=register_renderers),))
    assert host.renderers == {} and "RuntimeError: kaput" in host.problems[0].message


# --- entry points: a broken installed plugin -------------------------------------------------

def install_fake_plugin(tmp_path, monkeypatch, name: str, source: str, version="1.2.3"):
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / f"{name}.py").write_text(source, encoding="utf-8")
    info = site / f"{name}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[journeyql]\n{name} = {name}\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    reset_host()


def test_plugin_that_fails_to_import(tmp_path, monkeypatch, capsys):
    install_fake_plugin(tmp_path, monkeypatch, "broken_plugin", "raise ImportError('missing dependency')\n")
    code = main(["plugins", "--format", "json"])
    out, err = capsys.readouterr()
    listed = {p["name"]: p for p in json.loads(out)}
    assert code == 1
    assert "missing dependency" in listed["broken_plugin"]["error"] and listed["broken_plugin"]["version"] == "1.2.3"
    assert "json" in listed and listed["json"]["renderers"] == ["json"]
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "a.jql").write_text(SPEC, encoding="utf-8")
    code = main(["render", str(ws), "--to", "json", "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1 and "broken_plugin 1.2.3" in err and "Traceback" not in err
    assert (tmp_path / "out" / "workspace.json").is_file()
    code = main(["check", str(ws), "--format", "concise"])
    out = capsys.readouterr().out
    assert code == 1 and "JQL009" in out


def test_renderer_that_raises_leaves_nothing_half_written(tmp_path, monkeypatch, capsys):
    install_fake_plugin(tmp_path, monkeypatch, "flaky_plugin", textwrap.dedent('''
        import os
        import journeyql
        def render(workspace, context):
            context.write_text("flaky/first.txt", "one\\n")
            if os.environ.get("FLAKY_FAIL"):
                raise ValueError("halfway")
            context.write_text("flaky/second.txt", "two\\n")
        @journeyql.hookimpl
        def register_renderers(register):
            register(name="flaky", description="sometimes fails", render=render)
    '''))
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "a.jql").write_text(SPEC, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["render", str(ws), "--to", "flaky,json", "-o", str(out)]) == 0
    before = {p.name: p.read_text() for p in (out / "flaky").iterdir()}
    (ws / "a.jql").write_text(SPEC.replace('"P"', '"Changed"'), encoding="utf-8")
    monkeypatch.setenv("FLAKY_FAIL", "1")
    assert main(["render", str(ws), "--to", "flaky,json", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "renderer flaky (plugin flaky_plugin 1.2.3) failed: ValueError: halfway" in err
    assert {p.name: p.read_text() for p in (out / "flaky").iterdir()} == before  # the previous run's files
    assert "Changed" in (out / "workspace.json").read_text()  # the other renderer still wrote
    assert not [p for p in out.rglob("*.tmp")]
    manifest = json.loads((out / "manifest.json").read_text())
    assert {f["path"] for f in manifest["files"]} >= {"flaky/first.txt", "flaky/second.txt", "workspace.json"}


def test_disable_and_load_only(tmp_path, monkeypatch, capsys):
    main(["plugins", "--format", "json"])
    every = [p["name"] for p in json.loads(capsys.readouterr().out)]
    reset_host()
    monkeypatch.setenv("JOURNEYQL_DISABLE_PLUGINS", ",".join(n for n in every if n != "json"))
    main(["plugins", "--format", "json"])
    assert [p["name"] for p in json.loads(capsys.readouterr().out)] == ["json"]
    reset_host()
    monkeypatch.delenv("JOURNEYQL_DISABLE_PLUGINS")
    monkeypatch.setenv("JOURNEYQL_LOAD_PLUGINS", "markdown")
    main(["plugins", "--format", "json"])
    assert [p["name"] for p in json.loads(capsys.readouterr().out)] == ["markdown"]


# --- the output sink ---------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["../evil.txt", "/etc/evil", "a/../../evil", "C:\\evil", "a//b", "", "x\x00y",
                                  "manifest.json", ".journeyql-staging/x"])
def test_writes_outside_the_output_directory_are_refused(tmp_path, path):
    plugin = renderer_plugin("evil", write_text(path))
    result = journeyql.host.testing.render(SPEC, "evil", plugins=[plugin], installed=False)
    assert result.status == "failed" and result.files == {}
    assert not (tmp_path.parent / "evil.txt").exists()


def test_symlink_in_the_output_directory_cannot_lead_outside(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "link").symlink_to(outside, target_is_directory=True)
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "a.jql").write_text(SPEC, encoding="utf-8")
    host = PluginHost(entry_points=False, plugins=(renderer_plugin("linker", write_text("link/x.txt")),))
    from journeyql.host.rendering import run_renderers
    from journeyql.workspace import analyse, discover

    sources = discover([str(ws)])[0]
    outcome = run_renderers(analyse(sources).workspace, sources, [host.renderers["linker"]], out, {},
                            incremental=False, template_dirs=[])[0]
    assert outcome.status == "failed" and "outside the output directory" in outcome.message
    assert list(outside.iterdir()) == []


def test_unknown_renderer_and_invalid_options_exit_2(tmp_path, capsys):
    (tmp_path / "a.jql").write_text(SPEC, encoding="utf-8")
    assert main(["render", str(tmp_path), "--to", "nope", "-o", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "unknown renderer nope; available: " in err
    listed = [name.strip() for name in err.split("available: ", 1)[1].splitlines()[0].split(",")]
    assert {"json", "markdown", "mermaid"} <= set(listed) and listed == sorted(listed)
    assert main(["render", str(tmp_path), "--to", "json", "-o", str(tmp_path / "o"), "--set", "json.indent=99"]) == 2
    assert "json.indent" in capsys.readouterr().err
    (tmp_path / "journeyql.toml").write_text("[render.json]\ncolour = 'red'\n", encoding="utf-8")
    assert main(["render", str(tmp_path), "--to", "json", "-o", str(tmp_path / "o")]) == 2
    assert "json.colour" in capsys.readouterr().err
    assert main(["render", str(tmp_path), "--to", "json", "-o", str(tmp_path / "o"), "--set", "oops"]) == 2
    assert not (tmp_path / "o").exists()


def test_spec_with_errors_is_not_rendered(tmp_path, capsys):
    (tmp_path / "a.jql").write_text(SPEC.replace("owner ops", "owner nobody"), encoding="utf-8")
    assert main(["render", str(tmp_path), "--to", "json", "-o", str(tmp_path / "o")]) == 1
    assert "JQL201" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_output_path_that_is_a_file(tmp_path, capsys):
    """An output directory that cannot be created (root ignores permissions, so a file blocks it)."""
    (tmp_path / "a.jql").write_text(SPEC, encoding="utf-8")
    blocker = tmp_path / "blocker"
    blocker.write_text("not a directory")
    code = main(["render", str(tmp_path / "a.jql"), "--to", "json", "-o", str(blocker / "out")])
    err = capsys.readouterr().err
    assert code == 2 and "cannot write" in err and "Traceback" not in err


def test_incremental_build(tmp_path, capsys):
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "a.jql").write_text(SPEC, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(ws), "-o", str(out)]) == 0
    first = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    built = capsys.readouterr().err.count(": wrote ")
    assert built >= 3
    assert main(["build", str(ws), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert err.count("up to date") == built and ": wrote " not in err
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.name != "manifest.json"} == {
        p: t for p, t in first.items() if p.name != "manifest.json"}
    (ws / "a.jql").write_text(SPEC.replace('"P"', '"Persona"'), encoding="utf-8")
    assert main(["build", str(ws), "-o", str(out)]) == 0
    assert "up to date" not in capsys.readouterr().err
    assert "Persona" in (out / "workspace.json").read_text()
    (out / "workspace.json").write_text("tampered")
    assert main(["build", str(ws), "-o", str(out)]) == 0
    assert "json: wrote" in capsys.readouterr().err and "tampered" not in (out / "workspace.json").read_text()


def test_stale_files_of_a_renderer_are_removed(tmp_path, capsys):
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "a.jql").write_text(SPEC, encoding="utf-8")
    out = tmp_path / "out"
    main(["render", str(ws), "--to", "markdown", "-o", str(out)])
    assert (out / "markdown" / "j.md").is_file()
    (ws / "a.jql").write_text(SPEC.replace("journey j ", "journey k "), encoding="utf-8")
    main(["render", str(ws), "--to", "markdown", "-o", str(out)])
    assert not (out / "markdown" / "j.md").exists() and (out / "markdown" / "k.md").is_file()


# --- templates ----------------------------------------------------------------------------------

def test_workspace_template_overrides_the_plugins(tmp_path):
    files = {"a.jql": SPEC, "templates/markdown/journey.md.j2": "Custom page for {{ md(label(journey)) }}\n"}
    result = journeyql.host.testing.render(None, "markdown", files=files)
    assert result.text("markdown/j.md") == "Custom page for J\n"


def test_template_errors_name_the_template_and_line(tmp_path):
    files = {"a.jql": SPEC, "templates/markdown/journey.md.j2": "line one\n{% if %}\n"}
    result = journeyql.host.testing.render(None, "markdown", files=files)
    assert result.status == "failed"
    assert "markdown/journey.md.j2" in result.message and "line 2" in result.message


def test_templates_are_sandboxed(tmp_path):
    files = {"a.jql": SPEC, "templates/markdown/journey.md.j2": "{{ ''.__class__.__mro__[1].__subclasses__() }}\n"}
    result = journeyql.host.testing.render(None, "markdown", files=files)
    assert result.status == "failed" and "unsafe" in result.message.lower()


def test_html_templates_autoescape(tmp_path):
    def render(workspace, context):
        context.write_text("page.html", context.render_template("page.html.j2", name=workspace.personas[0].label))

    def register_template_dirs(register):
        register(tmp_path / "tpl")

    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "page.html.j2").write_text("<p>{{ name }}</p>\n")
    plugin = Plugin("html_plugin", register_template_dirs=register_template_dirs,
                    register_renderers=lambda register: register(name="html", description="d", render=render))
    result = journeyql.host.testing.render(SPEC.replace('"P"', '"<script>x</script>"'), "html", plugins=[plugin],
                                      installed=False)
    assert result.text("page.html") == "<p>&lt;script&gt;x&lt;/script&gt;</p>\n"


def test_options_model_reaches_the_renderer():
    class Options(BaseModel):
        greeting: str = "hello"

    def render(workspace, context):
        context.write_text("greeting.txt", context.options.greeting)

    plugin = renderer_plugin("greet", render, options=Options)
    assert journeyql.host.testing.render(SPEC, "greet", plugins=[plugin], installed=False).text("greeting.txt") == "hello"
    assert journeyql.host.testing.render(SPEC, "greet", plugins=[plugin], installed=False,
                                    options={"greeting": "hoi"}).text("greeting.txt") == "hoi"


# --- warnings, collecting renderers, measured results -------------------------------------------

def test_a_renderer_warns_without_failing(tmp_path, monkeypatch, capsys):
    def render(workspace, context):
        context.write_text("w.txt", "x\n")
        context.warn("SVG skipped: install graphviz")
        context.warn("SVG skipped: install graphviz")  # said once

    result = journeyql.host.testing.render(SPEC, "warner", plugins=[renderer_plugin("warner", render)], installed=False)
    assert result.ok and result.warnings == ["SVG skipped: install graphviz"] and "w.txt" in result.files
    spec = tmp_path / "ws" / "a.jql"
    spec.parent.mkdir()
    spec.write_text(SPEC, encoding="utf-8")
    monkeypatch.setattr("journeyql.host.plugins._HOST", PluginHost(entry_points=False, plugins=[renderer_plugin("warner", render)]))
    assert main(["render", str(spec.parent), "--to", "warner", "-o", str(tmp_path / "out")]) == 0
    assert "warning: renderer warner: SVG skipped: install graphviz" in capsys.readouterr().err


def test_collecting_renderers_run_last_and_see_the_others_files(tmp_path, monkeypatch):
    seen = {}

    def collect(workspace, context):
        seen.update(context.outputs)
        context.write_text("index.txt", "\n".join(p for files in context.outputs.values() for p in files) + "\n")

    class Plugins:
        __name__ = "pair"

        @journeyql.hookimpl
        def register_renderers(self, register):
            register(name="a-collector", description="collects", render=collect, collects=True)
            register(name="z-writer", description="writes", render=write_text("z/file.txt"))

    monkeypatch.setattr("journeyql.host.plugins._HOST", PluginHost(entry_points=False, plugins=[Plugins()]))
    spec = tmp_path / "ws" / "a.jql"
    spec.parent.mkdir()
    spec.write_text(SPEC, encoding="utf-8")
    assert main(["render", str(spec.parent), "--to", "a-collector,z-writer", "-o", str(tmp_path / "out")]) == 0
    assert seen == {"z-writer": ("z/file.txt",)}
    assert (tmp_path / "out" / "index.txt").read_text() == "z/file.txt\n"


def test_renderers_get_the_measured_results():
    from journeyql.measure.results import Metrics, Results

    got = []
    plugin = renderer_plugin("peek", lambda ws, ctx: got.append(ctx.results))
    assert journeyql.host.testing.render(SPEC, "peek", plugins=[plugin], installed=False).ok
    results = Results(journeys={"j": Metrics(n=3, nps=20.0)})
    assert journeyql.host.testing.render(SPEC, "peek", plugins=[plugin], installed=False, results=results).ok
    assert got == [None, results]


def test_a_renderer_that_warned_runs_again_next_build(tmp_path, monkeypatch, capsys):
    def render(workspace, context):
        context.write_text("w.txt", "x\n")
        context.warn("SVG skipped")

    monkeypatch.setattr("journeyql.host.plugins._HOST", PluginHost(entry_points=False, plugins=[renderer_plugin("warner", render)]))
    spec = tmp_path / "ws" / "a.jql"
    spec.parent.mkdir()
    spec.write_text(SPEC, encoding="utf-8")
    for _ in range(2):
        assert main(["render", str(spec.parent), "--to", "warner", "-o", str(tmp_path / "out")]) == 0
        err = capsys.readouterr().err
        assert "warner: wrote 1 file" in err and "up to date" not in err


def test_a_template_folder_registered_by_several_plugins_is_searched_once(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()

    def plugin(name):
        return Plugin(name, register_template_dirs=lambda register: register(folder))

    host = PluginHost(entry_points=False, plugins=[plugin("one"), plugin("two")])
    assert host.template_dirs == [folder] and host.problems == []
    # the standard plugins all register journeyql_templates: it is in the search path once
    installed = PluginHost().template_dirs
    assert len(installed) == len({d.resolve() for d in installed})
