"""Issue 13, item 3: a build is atomic as a whole.

Killed at any point (kill -9 at several moments), the output directory is the complete old state
or the complete new state, and the next build recovers; two builds of one directory never mix;
`render --to json` into a built directory keeps every file in the manifest; the top-level
index.html of a multi-workspace build is listed in a manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from journeyql.cli import main
from journeyql.host.plugins import reset_host
from journeyql.host.staging import build_lock, recover
from test_confined_reads import SPEC

KILL_POINTS = (0.4, 0.8, 1.2, 1.6, 2.4)  # seconds into a build of the new version


@pytest.fixture(autouse=True)
def fresh_host():
    reset_host()
    yield
    reset_host()


def _workspace(root: Path, label: str) -> Path:
    root.mkdir(parents=True)
    (root / "a.jql").write_text(SPEC.replace('"J"', f'"{label}"').replace('"P"', f'"{label} persona"'),
                                encoding="utf-8")
    return root


def _state(out: Path) -> dict[str, str]:
    """Every file with its hash, after checking the manifest lists exactly these with these hashes."""
    files = {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in out.rglob("*") if p.is_file() and p.name != "manifest.json"}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {f["path"]: f["sha256"] for f in manifest["files"]} == files
    return files


def _build(ws: Path, out: Path, **env) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "journeyql.cli", "build", str(ws), "-o", str(out), "--force"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **env})


@pytest.fixture
def versions(tmp_path):
    old, new = _workspace(tmp_path / "old", "Old"), _workspace(tmp_path / "new", "New")
    states = {}
    for name, ws in (("old", old), ("new", new)):
        assert main(["build", str(ws), "-o", str(tmp_path / f"ref-{name}")]) == 0
        states[name] = _state(tmp_path / f"ref-{name}")
    assert states["old"] != states["new"]
    return old, new, states


def test_a_build_killed_at_any_point_leaves_the_old_or_the_new_state(tmp_path, versions):
    old, new, states = versions
    out = tmp_path / "out"
    seen = set()
    for delay in KILL_POINTS:
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(tmp_path / "ref-old", out)
        build = _build(new, out)
        time.sleep(delay)
        build.send_signal(signal.SIGKILL)
        _, err = build.communicate()
        assert build.returncode in (-signal.SIGKILL, 0), err  # killed, or finished before the kill
        seen.add("killed" if build.returncode else "finished")
        recover(out)  # what the next build does first (a kill between the two renames of the swap)
        state = _state(out)
        assert state in (states["old"], states["new"]), f"mixed state after a kill at {delay}s"
        seen.add("old state" if state == states["old"] else "new state")
        assert main(["build", str(new), "-o", str(out)]) == 0  # the next build recovers
        assert _state(out) == states["new"]
        assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.journeyql-") and "lock" not in p.name]
    assert {"killed", "old state"} <= seen  # the early kill points stop the build before its swap


def test_concurrent_builds_of_two_versions_never_mix(tmp_path, versions):
    old, new, states = versions
    out = tmp_path / "out"
    builds = [_build(old, out), _build(new, out)]
    results = [b.communicate() for b in builds]
    assert [b.returncode for b in builds] == [0, 0], results
    assert _state(out) in (states["old"], states["new"])


def test_a_second_build_waits_then_fails_clearly(tmp_path, versions, capsys):
    old, _, states = versions
    out = tmp_path / "out"
    shutil.copytree(tmp_path / "ref-old", out)
    with build_lock(out):
        build = _build(old, out, JOURNEYQL_BUILD_WAIT="0.5")
        _, err = build.communicate()
    assert build.returncode == 2
    assert f"another build of {out} is running (pid {os.getpid()})" in err and "JOURNEYQL_BUILD_WAIT=0.5" in err
    assert _state(out) == states["old"]


def _failing_renderer_plugin():
    from test_plugin_host import Plugin

    def render(workspace, context):
        context.write_text("half/one.txt", "1\n")
        context.write_text("half/two.txt", "2\n")
        raise RuntimeError("broken halfway")

    def register_renderers(register):
        register(name="halfway", description="fails halfway", render=render, outputs=["half/"])
    return Plugin("plugin_halfway", register_renderers=register_renderers)


def test_a_failing_renderer_leaves_none_of_its_files_and_no_manifest_entries(tmp_path):
    from journeyql.host.plugins import PluginHost
    from journeyql.host.rendering import run_renderers
    from journeyql.workspace import analyse, discover

    ws = _workspace(tmp_path / "ws", "W")
    host = PluginHost(entry_points=False, plugins=(_failing_renderer_plugin(),))
    sources = discover([str(ws)])[0]
    out = tmp_path / "out"
    outcome = run_renderers(analyse(sources).workspace, sources, [host.renderers["halfway"]], out, {},
                            incremental=False, template_dirs=[])[0]
    assert outcome.status == "failed" and "broken halfway" in outcome.message
    assert not (out / "half").exists()
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"] == []


def test_render_into_a_built_directory_keeps_every_file_in_the_manifest(tmp_path, versions, capsys):
    old, _, states = versions
    out = tmp_path / "out"
    assert main(["build", str(old), "-o", str(out)]) == 0
    assert main(["render", str(old), "--to", "json", "-o", str(out), "--force"]) == 0
    assert _state(out) == states["old"]


def test_the_top_level_index_is_listed_in_a_manifest(tmp_path):
    first, second = _workspace(tmp_path / "specs" / "first", "First"), _workspace(tmp_path / "specs" / "second", "Second")
    out = tmp_path / "site"
    assert main(["build", str(first), str(second), "-o", str(out)]) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entry = next(f for f in manifest["files"] if f["path"] == "index.html")
    assert entry["sha256"] == hashlib.sha256((out / "index.html").read_bytes()).hexdigest()
    assert entry["renderer"] == "workspace-index"
    for ws in ("first", "second"):
        _state(out / ws)


def test_no_directory_is_made_through_a_link_before_the_write_is_refused(tmp_path):
    from test_plugin_host import renderer_plugin, write_text

    from journeyql.host.plugins import PluginHost
    from journeyql.host.rendering import run_renderers
    from journeyql.workspace import analyse, discover

    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "link").symlink_to(outside, target_is_directory=True)
    ws = _workspace(tmp_path / "ws", "W")
    host = PluginHost(entry_points=False, plugins=(renderer_plugin("deep", write_text("link/a/b/x.txt")),))
    sources = discover([str(ws)])[0]
    outcome = run_renderers(analyse(sources).workspace, sources, [host.renderers["deep"]], out, {},
                            incremental=False, template_dirs=[])[0]
    assert outcome.status == "failed" and "outside the output directory" in outcome.message
    assert list(outside.iterdir()) == []
