"""The benchmark's generator makes valid workspaces, and the benchmark script runs (no timing asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import journeyql

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402


def test_generated_workspace_is_valid_and_yaml_equivalent():
    import yaml

    from journeyql.language.model import Workspace

    text = generate.workspace(30_000, seed=3)
    assert len(text) >= 30_000
    model = journeyql.parse(text, "bench.jql")
    assert model.journeys and model.measurements and model.improvements
    again = Workspace.model_validate(yaml.load(generate.as_yaml(text), Loader=yaml.CLoader))
    assert again.content() == model.content()
    assert journeyql.check  # the same text has no findings at all:
    from journeyql.workspace.config import Config
    from journeyql.workspace import Source, WorkspaceSources, analyse

    analysis = analyse(WorkspaceSources(Path("."), [Source("bench.jql", text)], Config()))
    assert [d for d in analysis.diagnostics if d.severity.value != "info"] == []


def test_benchmark_script_runs():
    result = subprocess.run([sys.executable, str(BENCH / "bench_parse.py"), "--quick"], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "check path" in result.stdout and "YAML+pydantic" in result.stdout and "MB/s" in result.stdout


def test_site_benchmark_runs_with_each_engine():
    result = subprocess.run([sys.executable, str(BENCH / "bench_site.py"), "--quick"], capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    for row in ("build (all renderers", "SVG by system dot", "SVG by WebAssembly graphviz", "DOT only",
                "site renderer, in-process: total"):
        assert row in result.stdout, result.stdout


def test_maps_benchmark_runs():
    result = subprocess.run([sys.executable, str(BENCH / "bench_maps.py"), "--runs", "1"], capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    assert "300" in result.stdout and "wasm" in result.stdout.lower(), result.stdout


def test_graphviz_start_benchmark_runs():
    result = subprocess.run([sys.executable, str(BENCH / "bench_graphviz_start.py"), "--runs", "1"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    for row in ("wasm, empty cache", "wasm, cached", "system dot"):
        assert row in result.stdout, result.stdout


def test_lsp_benchmark_runs():
    result = subprocess.run([sys.executable, str(BENCH / "bench_lsp.py"), "--quick"], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "latency median" in result.stdout and "baseline: check analysis CPU" in result.stdout
    assert "server RSS" in result.stdout


def test_scaling_benchmark_runs():
    result = subprocess.run([sys.executable, str(BENCH / "bench_scaling.py"), "--quick"], capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    for row in ("site", "plan", "(control: JSON)", "all renderers", "4x/1x"):
        assert row in result.stdout, result.stdout


def test_rebuild_benchmark_runs_against_the_baseline():
    result = subprocess.run([sys.executable, str(BENCH / "bench_rebuild.py"), "--quick"], capture_output=True,
                            text=True, timeout=1500)
    if "not a valid object name" in result.stderr or "unknown revision" in result.stderr:
        import pytest

        pytest.fail("bench_rebuild.py's baseline revision is missing from this clone: " + result.stderr[-500:])
    assert result.returncode == 0, result.stderr
    for row in ("unchanged rebuild", "comment-only change", "one label change", "cheaper than the baseline"):
        assert row in result.stdout, result.stdout


def test_startup_benchmark_prints_every_row():
    """bench_startup.py prints the baseline, `check` of every example workspace and the earlier
    commit's `check` (here: this checkout again) side by side; no timing asserted."""
    root = BENCH.parent
    result = subprocess.run([sys.executable, str(BENCH / "bench_startup.py"), "--runs", "1", "--workspaces",
                             "--before", str(root)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    for row in ("import lark, pydantic", "check, before", "check telecom-switch", "load average", "target"):
        assert row in result.stdout, row
