"""Incremental builds: nothing changed -> nothing done; a change redoes what depends on it, and only that.

Every case ends with the same check: the output is byte for byte what a build from scratch
makes. Builds run the real CLI in-process on a copy of the municipality-services example (two
journeys, two measurement plans, response data).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from journeyql.cli import main
from journeyql.host import planning, templates
from journeyql.host.plugins import reset_host

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "specs" / "municipality-services"
SPEC = "services.jql"
A, B = "address_change", "parking_permit"


@pytest.fixture
def ws(tmp_path):
    target = tmp_path / "municipality"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns(".journeyql-cache"))
    reset_host()
    yield target
    reset_host()


def build(ws: Path, out: Path, capsys, *extra) -> str:
    code = main(["build", str(ws), "-o", str(out), *extra])
    err = capsys.readouterr().err
    assert code == 0, err
    return err


def snapshot(out: Path) -> dict[str, tuple[int, bytes]]:
    return {p.relative_to(out).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(out.rglob("*")) if p.is_file()}


def contents(out: Path) -> dict[str, bytes]:
    return {path: data for path, (_mtime, data) in snapshot(out).items() if path != "manifest.json"}


def assert_as_from_scratch(ws: Path, out: Path, tmp_path: Path, capsys) -> None:
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    build(ws, fresh, capsys, "--force")
    assert contents(out) == contents(fresh)
    listed = lambda d: [{k: v for k, v in f.items() if k != "journey"}  # noqa: E731
                        for f in json.loads((d / "manifest.json").read_text())["files"]]
    assert listed(out) == listed(fresh)


def forbid_analysis(monkeypatch) -> None:
    """Make parsing, plugin loading and response reading fail: a build that needs them breaks."""
    import journeyql.host.plugins as plugins
    import journeyql.workspace as workspace

    def refuse(*args, **kwargs):
        raise AssertionError("the build analysed the workspace or loaded plugins")

    monkeypatch.setattr(workspace, "analyse", refuse)
    monkeypatch.setattr(workspace, "discover", refuse)
    monkeypatch.setattr(plugins, "get_host", refuse)


def edit(ws: Path, old: str, new: str) -> None:
    path = ws / SPEC
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_unchanged_rebuild_writes_nothing_keeps_the_manifest_and_analyses_nothing(ws, tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    build(ws, out, capsys)
    before = snapshot(out)
    forbid_analysis(monkeypatch)
    err = build(ws, out, capsys)
    assert snapshot(out) == before  # bytes and mtimes: not one file written, the manifest included
    assert "up to date" in err and "wrote" not in err


def test_comment_only_change_rebuilds_nothing(ws, tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    build(ws, out, capsys)
    before = snapshot(out)
    text = (ws / SPEC).read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith("#")
    # a comment's words changed, a comment added at the end, layout of white space at line ends
    (ws / SPEC).write_text(text.replace(first, "# quite another remark", 1) + "# and one more\n", encoding="utf-8")
    forbid_analysis(monkeypatch)
    build(ws, out, capsys)
    assert snapshot(out) == before
    monkeypatch.undo()
    assert_as_from_scratch(ws, out, tmp_path, capsys)


def test_comment_that_moves_lines_rewrites_only_the_outputs_with_source_positions(ws, tmp_path, capsys):
    out = tmp_path / "out"
    build(ws, out, capsys)
    before = snapshot(out)
    edit(ws, f"journey {A} ", f"# a new line above the journey\njourney {A} ")
    err = build(ws, out, capsys)
    after = snapshot(out)
    changed = sorted(p for p in after if after[p] != before.get(p))
    assert changed == ["manifest.json", "workspace.json"]  # json writes spans; nothing else moved
    assert "json: wrote" in err
    assert_as_from_scratch(ws, out, tmp_path, capsys)


def test_label_change_in_one_journey_redoes_only_that_journeys_outputs(ws, tmp_path, capsys, monkeypatch):
    import journeyql_maps.blueprint as blueprint
    import journeyql_surveys.xlsform as xlsform
    import journeyql_teasers as teasers

    out = tmp_path / "out"
    build(ws, out, capsys)
    before = snapshot(out)
    drawn, workbooks, kits = [], [], []
    real_graph, real_workbook, real_kit = blueprint.blueprint_graph, xlsform.workbook_bytes, teasers._render_journey
    monkeypatch.setattr(teasers, "_render_journey",
                        lambda context, voice, material, *a: kits.append(material.journey.id)
                        or real_kit(context, voice, material, *a))
    monkeypatch.setattr(blueprint, "blueprint_graph",
                        lambda workspace, journey, *a, **k: drawn.append(journey.id) or real_graph(workspace, journey, *a, **k))
    monkeypatch.setattr(xlsform, "workbook_bytes", lambda plan: workbooks.append(plan.journey) or real_workbook(plan))
    edit(ws, f'journey {A} "Reporting a new address"', f'journey {A} "Lumen: the new label"')
    build(ws, out, capsys)
    assert set(drawn) == {A} and set(workbooks) == {A}  # B's blueprints and survey were not made again
    assert set(kits) == {A}  # nor B's teaser material
    after = snapshot(out)
    assert "Lumen: the new label" in after["teasers/index.en.html"][1].decode()  # the index lists every journey
    teaser_files = [p for p in before if p.startswith(f"teasers/{B}/")]
    assert teaser_files and all(after[p] == before[p] for p in teaser_files)
    assert "Lumen: the new label" in after[f"markdown/{A}.md"][1].decode()
    for path in (f"markdown/{B}.md", f"blueprint/{B}.dot", f"touchpoint-matrix/{B}.html", f"emotion-curve/{B}.svg"):
        assert after[path] == before[path], path  # untouched: same bytes, same mtime
    assert after[f"markdown/{A}.md"] != before[f"markdown/{A}.md"]
    monkeypatch.undo()
    assert_as_from_scratch(ws, out, tmp_path, capsys)


@pytest.mark.parametrize("change", ["responses", "template", "config"])
def test_a_changed_input_rebuilds(ws, tmp_path, capsys, change):
    out = tmp_path / "out"
    build(ws, out, capsys)
    before = contents(out)
    if change == "responses":
        data = ws / "responses" / "permit.csv"
        lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
        data.write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")
        moved = "site"
    elif change == "template":
        override = ws / "templates" / "markdown" / "journey.md.j2"
        override.parent.mkdir(parents=True)
        override.write_text("Overridden: {{ label(journey) }}\n", encoding="utf-8")
        moved = "markdown"
    else:
        with (ws / "journeyql.toml").open("a", encoding="utf-8") as handle:
            handle.write('\n[render.json]\nindent = 4\n')
        moved = "json"
    err = build(ws, out, capsys)
    assert f"{moved}: wrote" in err
    assert contents(out) != before
    assert_as_from_scratch(ws, out, tmp_path, capsys)


# --- a third party's renderer, made per journey ------------------------------------------------------

PLUGIN = '''
import journeyql

__version__ = "{version}"
CALLS = []


def render(workspace, context):
    for journey in context.each_journey(workspace.journeys):
        CALLS.append(journey.id)
        context.write_text(f"acme/{{journey.id}}.txt", journey.label + " {version}\\n")
    context.write_text("acme/all.txt", ", ".join(j.label for j in workspace.journeys) + "\\n")


@journeyql.hookimpl
def register_renderers(register):
    register(name="acme", description="One file per journey", render=render)
'''


def install(site: Path, version: str) -> None:
    """A plugin installed the way pip would: its module and a dist-info folder with the entry point."""
    for old in site.glob("acme_plugin-*.dist-info"):
        shutil.rmtree(old)
    (site / "acme_plugin.py").write_text(PLUGIN.format(version=version), encoding="utf-8")
    info = site / f"acme_plugin-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: acme-plugin\nVersion: {version}\n")
    (info / "entry_points.txt").write_text("[journeyql]\nacme = acme_plugin\n")


def test_third_party_renderer_per_journey_and_a_new_plugin_version(ws, tmp_path, capsys, monkeypatch):
    import importlib
    import sys

    site = tmp_path / "site-packages"
    site.mkdir()
    install(site, "1.0")
    monkeypatch.syspath_prepend(str(site))
    (ws / "journeyql.toml").write_text((ws / "journeyql.toml").read_text() + '\n[build]\nrenderers = ["acme", "json"]\n')
    out = tmp_path / "out"
    build(ws, out, capsys)
    plugin = sys.modules["acme_plugin"]
    journeys = sorted(plugin.CALLS)
    assert A in journeys and B in journeys  # every journey of the example, each once
    assert len(journeys) == len(set(journeys))
    plugin.CALLS.clear()
    edit(ws, f'journey {A} "Reporting a new address"', f'journey {A} "Lumen renamed"')
    build(ws, out, capsys)
    assert plugin.CALLS == [A]  # only the changed journey was rendered again
    assert (out / "acme" / f"{A}.txt").read_text() == "Lumen renamed 1.0\n"
    assert (out / "acme" / f"{B}.txt").read_text() == "Getting a parking permit 1.0\n"
    assert "Lumen renamed" in (out / "acme" / "all.txt").read_text()
    manifest = json.loads((out / "manifest.json").read_text())
    assert {f["path"]: f.get("journey") for f in manifest["files"] if f["renderer"] == "acme"} == {
        **{f"acme/{j}.txt": j for j in journeys}, "acme/all.txt": None}
    # a new version of the plugin, installed as pip would: everything it made is made again
    install(site, "1.1")
    del sys.modules["acme_plugin"]
    importlib.invalidate_caches()
    reset_host()
    build(ws, out, capsys)
    assert (out / "acme" / f"{B}.txt").read_text() == "Getting a parking permit 1.1\n"


# --- the keys -------------------------------------------------------------------------------

def test_tokens_key_ignores_comments_and_layout_but_not_strings():
    key = planning.tokens_key
    assert key('journey a "A" {\n  # note\n}\n') == key('journey a "A" { }  # other note')
    assert key('label "a # b"') != key('label "a # c"')  # a hash sign inside a string is text
    assert key("a b") != key("ab")
    assert planning.positions_key("a\n# x\nb") == planning.positions_key("a\n# y z\nb")
    assert planning.positions_key("a\nb") != planning.positions_key("a\n# new line\nb")


def test_the_planner_finds_spec_files_as_discovery_does(tmp_path):
    from journeyql.workspace import sources

    assert planning.SKIPPED_DIRS == sources.SKIPPED_DIRS and planning.SPEC_SUFFIX == sources.SPEC_SUFFIX
    (tmp_path / "a.jql").write_text("")
    for skipped in ("templates", ".hidden", "out"):
        (tmp_path / skipped).mkdir()
        (tmp_path / skipped / "x.jql").write_text("")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.jql").write_text("")
    found = [f for f in planning.spec_files(tmp_path) if f.endswith(".jql")]
    assert found == [str(p) for p in sources.spec_files(tmp_path)]


# --- templates: one environment per run, compiled once across runs ---------------------------------------

def test_templates_compile_once_per_run_and_not_again_in_the_next_process(ws, tmp_path, capsys, monkeypatch):
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    compiled = []
    real = ImmutableSandboxedEnvironment._parse
    monkeypatch.setattr(ImmutableSandboxedEnvironment, "_parse",
                        lambda self, source, name, filename: compiled.append(name) or real(self, source, name, filename))
    templates._ENVIRONMENTS.clear()
    shutil.rmtree(templates.bytecode_folder(ws), ignore_errors=True)
    build(ws, tmp_path / "out", capsys, "--force")
    assert compiled and len(compiled) == len(set(compiled))  # each template compiled once in the run
    assert any(templates.bytecode_folder(ws).iterdir())  # in the user's cache: never the workspace's
    compiled.clear()
    templates._ENVIRONMENTS.clear()  # as in a new process
    build(ws, tmp_path / "again", capsys, "--force")
    assert compiled == []  # read back from jinja2's bytecode cache
    assert contents(tmp_path / "again") == contents(tmp_path / "out")


def test_a_workspace_whose_cache_cannot_be_written_still_builds(ws, tmp_path, capsys):
    shutil.rmtree(ws / "responses")  # response data needs the cache folder; templates do not
    (ws / ".journeyql-cache").write_text("not a folder")  # nothing can be made inside it
    templates._ENVIRONMENTS.clear()
    build(ws, tmp_path / "out", capsys, "--force")
    assert (tmp_path / "out" / "markdown" / f"{A}.md").is_file()


def test_bytecode_cache_that_fails_to_write_costs_a_compile_not_the_build(tmp_path):
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "page.txt").write_text("{{ 1 + 1 }}")
    folder = tmp_path / "cache"
    folder.mkdir()
    env = templates.template_environment([tmp_path / "t"], folder)
    folder.rmdir()  # gone under the run's feet
    assert env.get_template("page.txt").render() == "2"


def test_measured_results_are_kept_across_a_label_change(ws, tmp_path, capsys):
    """The results do not depend on texts: after a label change they come from the cache, equal."""
    from journeyql.measure.analysis import compute
    from journeyql.measure.responses import load_responses
    from journeyql.host.plugins import get_host
    from journeyql.workspace import analyse, discover

    def results():
        source = discover([str(ws)])[0]
        workspace = analyse(source, get_host().rules).workspace
        loaded = load_responses(workspace, ws, [ws / "responses" / "moving.csv", ws / "responses" / "permit.csv"],
                                get_host().readers)
        try:
            return planning.structure_key(workspace), compute(workspace, loaded.con)
        finally:
            loaded.con.close()

    key, before = results()
    edit(ws, f'journey {A} "Reporting a new address"', f'journey {A} "Another label"')
    text = (ws / SPEC).read_text(encoding="utf-8")
    (ws / SPEC).write_text(text.replace('description "', 'description "Changed: ', 1), encoding="utf-8")
    key_after, after = results()
    assert key_after == key and repr(after) == repr(before)
    out = tmp_path / "out"
    err = build(ws, out, capsys)
    assert "responses:" in err
    assert_as_from_scratch(ws, out, tmp_path, capsys)


def test_missing_response_file_is_still_reported_by_an_up_to_date_build(ws, tmp_path, capsys):
    (ws / "responses" / "permit.csv").unlink()
    out = tmp_path / "out"
    assert "permit.csv not found" in build(ws, out, capsys)
    assert "permit.csv not found" in build(ws, out, capsys)


def test_the_planner_reads_templates_as_the_template_loader_does(tmp_path):
    import os

    from journeyql.host.template_loader import readable_template

    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "page.html.j2").write_text("x")
    (tmp_path / "secret.txt").write_text("outside")
    (folder / "link.html.j2").symlink_to(tmp_path / "secret.txt")
    os.mkfifo(folder / "pipe.html.j2")
    for name in ("page.html.j2", "link.html.j2", "pipe.html.j2"):
        assert planning._readable_template(folder / name, folder) == readable_template(folder / name, folder), name
    assert planning._readable_template(folder / "page.html.j2", folder)
    assert not planning._readable_template(folder / "link.html.j2", folder)


def test_a_map_whose_dot_did_not_change_is_not_laid_out_again(ws, tmp_path, capsys, monkeypatch):
    """The stakeholder map shows no journey label: after a label change its DOT is the same and graphviz
    is not run for it; the blueprint of the relabelled journey is laid out again, and --force lays out all."""
    import journeyql_maps.graphs as graphs

    out = tmp_path / "out"
    build(ws, out, capsys)
    before = snapshot(out)
    laid_out = []
    real = graphs.dot_to_svg
    monkeypatch.setattr(graphs, "dot_to_svg", lambda source, **k: laid_out.append(source) or real(source, **k))
    edit(ws, f'journey {A} "Reporting a new address"', f'journey {A} "Lumen: the new label"')
    err = build(ws, out, capsys)
    assert "stakeholder-map: wrote" in err  # it ran (it is not made per journey) ...
    assert len(laid_out) == 1 and "Lumen: the new label" in laid_out[0]  # ... but only A's blueprint was laid out
    after = snapshot(out)
    maps = [p for p in before if p.startswith("stakeholder-map/") and p.endswith(".svg")]
    assert maps and all(after[p] == before[p] for p in maps)  # same bytes, not even rewritten
    assert after[f"blueprint/{A}.svg"][1] != before[f"blueprint/{A}.svg"][1]
    # a stakeholder's label is in the map's DOT: laid out again
    laid_out.clear()
    edit(ws, 'stakeholder parking "Parking department"', 'stakeholder parking "Parking office"')
    build(ws, out, capsys)
    assert any("Parking office" in source for source in laid_out)
    assert "Parking office" in (out / "stakeholder-map" / "stakeholders.svg").read_text(encoding="utf-8")
    # a tampered SVG is not the file the manifest recorded: never copied forward
    svg = out / "stakeholder-map" / "stakeholders.svg"
    svg.write_text("<svg>tampered</svg>", encoding="utf-8")
    edit(ws, f'"Lumen: the new label"', '"Lumen: another label"')
    build(ws, out, capsys)
    assert "tampered" not in svg.read_text(encoding="utf-8")
    laid_out.clear()
    build(ws, out, capsys, "--force")
    assert len(laid_out) == len([p for p in snapshot(out) if p.endswith(".svg") and ("blueprint/" in p
                                                                                      or "stakeholder-map/" in p)])
    monkeypatch.undo()
    assert_as_from_scratch(ws, out, tmp_path, capsys)


def test_the_results_key_and_the_model_keys_share_one_dump_and_neither_changes_it(ws):
    """One dump of the model serves both keys; each must be what a dump of its own gives, in either order."""
    import hashlib

    from journeyql.host.plugins import get_host
    from journeyql.workspace import analyse, discover

    (sources,) = discover([str(ws)])
    first = analyse(sources, get_host().rules, validate=None).workspace
    second = analyse(sources, get_host().rules, validate=None).workspace
    assert first is not second

    def alone_structure(workspace):
        data = planning._without_texts(workspace.model_dump(mode="json", exclude={"root", "files"}))
        text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def alone_model_keys(workspace):
        rest = workspace.model_dump(mode="json", exclude={"root", "files", "journeys"})
        rest["journey_ids"] = [j.id for j in workspace.journeys]
        return planning._key(rest), {j.id: planning._key(j.model_dump(mode="json")) for j in workspace.journeys}

    assert planning.model_keys(first) == alone_model_keys(first)
    assert planning.structure_key(first) == alone_structure(first)
    assert planning.structure_key(second) == alone_structure(second)
    assert planning.model_keys(second) == alone_model_keys(second)
    assert planning.model_keys(first) == alone_model_keys(first)  # after another workspace's dump


def test_outputs_hashed_by_the_stamp_are_not_hashed_again_by_the_build_plans(tmp_path, capsys, monkeypatch):
    """Two workspaces built together; the second changed: the stamp's replay checks the first's files, the
    build plan trusts that check (same manifest) instead of hashing them again; a changed file is still found."""
    folder = tmp_path / "specs"
    for name in ("a", "b"):
        shutil.copytree(EXAMPLE, folder / name, ignore=shutil.ignore_patterns(".journeyql-cache"))
    reset_host()
    out = tmp_path / "out"
    build(folder, out, capsys, "--set", "blueprint.svg=false", "--set", "stakeholder-map.svg=false")
    checked = []
    real = planning.outputs_intact
    monkeypatch.setattr(planning, "outputs_intact", lambda target, files: checked.append(Path(target).name)
                        or real(target, files))
    edit(folder / "b", f'journey {A} "Reporting a new address"', f'journey {A} "Lumen: the new label"')
    err = build(folder, out, capsys, "--set", "blueprint.svg=false", "--set", "stakeholder-map.svg=false")
    assert checked.count("a") == 1  # by the replay only
    assert "a: json: up to date" in err and "b: json: wrote" in err
    # a file of the up-to-date workspace changed behind the build's back: found, and made again
    checked.clear()
    (out / "a" / "workspace.json").write_text("{}", encoding="utf-8")
    edit(folder / "b", '"Lumen: the new label"', '"Lumen: another label"')
    err = build(folder, out, capsys, "--set", "blueprint.svg=false", "--set", "stakeholder-map.svg=false")
    assert "a: json: wrote" in err and (out / "a" / "workspace.json").read_text(encoding="utf-8") != "{}"
