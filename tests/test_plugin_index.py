"""The plugin index (journeyql/host/plugin_index.py): `check` imports only the plugins that register
rules once the index knows the others, and any change to what is installed or to a plugin's files
falls back to loading every plugin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from journeyql.cli import main
from journeyql.host.plugins import PluginHost, reset_host

ROOT = Path(__file__).resolve().parents[1]
SPEC = textwrap.dedent('''
    stakeholder ops "Ops" { kind internal }
    channel web "Web" { kind web }
    persona p "P" { prefers web }
    journey j "J" { personas p  stage s "S" { step a "A" { touchpoint t "T" { channel web  owner ops } } } }
''')

RULE_PLUGIN = '''
import journeyql
from journeyql.diagnostics.span import Span

def check(workspace):
    yield journeyql.Diagnostic("ACME001", "acme-says", journeyql.Severity.ERROR, "ACME rule ran",
                               Span(workspace.files[0], 1, 1, 1, 2))

@journeyql.hookimpl
def register_rules(register):
    register("ACME001", "acme-says", "error", "always", check)
'''
QUIET_PLUGIN = '''
import journeyql

@journeyql.hookimpl
def register_template_dirs(register):
    pass
'''


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("JOURNEYQL_CACHE_DIR", str(tmp_path / "cache"))
    reset_host()
    yield
    reset_host()


def install(tmp_path, monkeypatch, name: str, source: str) -> Path:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    module = site / f"{name}.py"
    module.write_text(textwrap.dedent(source), encoding="utf-8")
    info = site / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[journeyql]\n{name} = {name}\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delitem(sys.modules, name, raising=False)
    return module


def workspace(tmp_path) -> Path:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "main.jql").write_text(SPEC, encoding="utf-8")
    return ws


def test_check_with_a_warm_index_imports_no_plugin_without_rules(tmp_path):
    probe = ("import json, sys\n"
             "from journeyql.cli import main\n"
             f"code = main(['check', {str(ROOT / 'specs' / 'bank-mortgage')!r}, '--format', 'concise'])\n"
             "print(json.dumps([code, sorted(m for m in sys.modules if m.startswith('journeyql_')"
             " or m == 'importlib.metadata')]))")
    env = {**os.environ, "JOURNEYQL_CACHE_DIR": str(tmp_path / "fresh")}
    runs = [json.loads(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env,
                                      timeout=120, check=True).stdout.strip().splitlines()[-1]) for _ in range(2)]
    first, second = runs
    assert first[0] == second[0] == 0
    assert "journeyql_site" in first[1] and "importlib.metadata" in first[1]  # no index yet: everything loads
    assert second[1] == []  # none of the standard plugins registers a rule


def test_a_plugins_rule_still_runs_with_a_warm_index(tmp_path, monkeypatch, capsys):
    install(tmp_path, monkeypatch, "acme_rules", RULE_PLUGIN)
    install(tmp_path, monkeypatch, "acme_quiet", QUIET_PLUGIN)
    ws = workspace(tmp_path)
    for _ in range(2):  # the first run writes the index, the second loads through it
        reset_host()
        sys.modules.pop("acme_quiet", None)
        assert main(["check", str(ws), "--format", "concise"]) == 1
        assert "ACME001" in capsys.readouterr().out
    assert "acme_quiet" not in sys.modules  # known from the index: not imported for check
    infos = PluginHost(needs=("register_rules",)).infos
    assert infos["acme_quiet"].hooks == ["register_template_dirs"] and infos["acme_rules"].hooks == ["register_rules"]


def test_a_plugin_that_gains_a_rule_is_loaded_again(tmp_path, monkeypatch, capsys):
    module = install(tmp_path, monkeypatch, "acme_later", QUIET_PLUGIN)
    ws = workspace(tmp_path)
    assert main(["check", str(ws), "--format", "concise"]) == 0
    capsys.readouterr()
    module.write_text(textwrap.dedent(RULE_PLUGIN), encoding="utf-8")  # edited in place: sys.path unchanged
    sys.modules.pop("acme_later", None)
    reset_host()
    assert main(["check", str(ws), "--format", "concise"]) == 1
    assert "ACME001" in capsys.readouterr().out
    # the index of these installed packages was written again for the edited plugin: the next run uses it
    from journeyql.host import plugin_index

    entries = plugin_index.read(plugin_index.index_key())
    assert entries is not None and [e["hooks"] for e in entries if e["name"] == "acme_later"] == [["register_rules"]]


def test_a_plugin_that_fails_to_load_is_reported_every_time(tmp_path, monkeypatch, capsys):
    install(tmp_path, monkeypatch, "acme_broken", "raise RuntimeError('broken on purpose')\n")
    ws = workspace(tmp_path)
    for _ in range(2):
        reset_host()
        sys.modules.pop("acme_broken", None)
        assert main(["check", str(ws), "--format", "concise"]) == 1
        assert "acme_broken" in capsys.readouterr().out
    assert not list((tmp_path / "cache").glob("plugins/index-*.json"))  # a failed load writes no index


def test_an_entry_point_added_to_an_installed_distribution_is_found(tmp_path, monkeypatch, capsys):
    install(tmp_path, monkeypatch, "acme_first", QUIET_PLUGIN)
    ws = workspace(tmp_path)
    assert main(["check", str(ws), "--format", "concise"]) == 0
    site = tmp_path / "site"
    (site / "acme_second.py").write_text(textwrap.dedent(RULE_PLUGIN), encoding="utf-8")
    # the same distribution gains an entry point: its folder and sys.path stay as they were
    (site / "acme_first-1.0.dist-info" / "entry_points.txt").write_text(
        "[journeyql]\nacme_first = acme_first\nacme_second = acme_second\n", encoding="utf-8")
    reset_host()
    capsys.readouterr()
    assert main(["check", str(ws), "--format", "concise"]) == 1
    assert "ACME001" in capsys.readouterr().out


def test_only_the_newest_indexes_are_kept(tmp_path, monkeypatch):
    from journeyql.host import plugin_index

    for number in range(12):
        plugin_index.write(f"key{number:02d}", [])
        path = tmp_path / "cache" / "plugins" / f"index-key{number:02d}.json"
        os.utime(path, ns=(number * 10**9, number * 10**9))  # written in this order
    left = sorted(p.name for p in (tmp_path / "cache" / "plugins").glob("index-*.json"))
    assert left == [f"index-key{n:02d}.json" for n in range(4, 12)]


def test_saving_a_file_in_the_working_folder_keeps_the_index(tmp_path, monkeypatch):
    from journeyql.host import plugin_index

    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend("")  # what `python -m` and `python -c` put first
    key = plugin_index.index_key()
    (tmp_path / "spec.jql").write_text("# saved\n", encoding="utf-8")
    assert plugin_index.index_key() == key


def test_a_build_with_a_warm_index_loads_every_plugin_without_scanning_the_installed_distributions(tmp_path):
    """A build needs every plugin, but no scan of the installed distributions for them: the index names
    them (a plugin edited since, or anything installed, makes the next build scan again: tests above)."""
    out = tmp_path / "out"
    probe = ("import importlib.metadata as metadata, json, sys\n"
             "groups, scan = [], metadata.entry_points\n"
             "metadata.entry_points = lambda **k: groups.append(k.get('group')) or scan(**k)\n"
             "from journeyql.cli import main\n"
             f"code = main(['build', {str(ROOT / 'specs' / 'bank-mortgage')!r}, '-o', {str(out)!r}, '--force',"
             " '--set', 'blueprint.svg=false'])\n"
             "from journeyql.host.plugins import get_host\n"
             "print(json.dumps([code, 'journeyql' in groups, sorted(get_host().renderers),"
             " sorted(get_host().infos)]))")
    env = {**os.environ, "JOURNEYQL_CACHE_DIR": str(tmp_path / "fresh"), "JOURNEYQL_GRAPHVIZ": "none"}
    runs = [json.loads(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env,
                                      timeout=300, check=True).stdout.strip().splitlines()[-1]) for _ in range(2)]
    (first_code, first_scanned, *first), (second_code, second_scanned, *second) = runs
    assert first_code == second_code == 0
    assert first_scanned and not second_scanned  # the second build found its plugins through the index
    assert first == second and "site" in first[0] and "pptx" in first[0]  # and every renderer, as the first
