"""A third-party plugin, built and installed into a throwaway virtualenv beside JourneyQL's wheel.

The wheels are built without network (`--no-build-isolation`, hatchling comes with the test
extra) and installed with `--no-deps --no-index`; the new environment sees this environment's
dependencies (lark, pydantic, ...) through a `.pth` file placed after its own site-packages, so
the freshly installed wheels are what runs.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "journeyql-example-plugin"


def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=300, **kwargs)
    assert result.returncode == 0, f"{args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def wheels(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheels")
    for project in (ROOT, EXAMPLE):
        _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", out, project)
    return out


@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheels) -> Path:
    env = tmp_path_factory.mktemp("venv") / "env"
    _run(sys.executable, "-m", "venv", "--without-pip", env)
    bin_dir = env / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    purelib = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()}
    # dependencies from this environment; the new site-packages comes first on sys.path
    (purelib / "zz_journeyql_test_deps.pth").write_text("\n".join(sorted(ours)) + "\n", encoding="utf-8")
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "-q",
         *sorted(wheels.glob("*.whl")))
    return bin_dir


def test_wheel_ships_no_generic_top_level_packages(wheels):
    wheel = next(wheels.glob("journeyql-*.whl"))
    top = {name.split("/", 1)[0] for name in zipfile.ZipFile(wheel).namelist()}
    assert "plugins" not in top and "templates" not in top
    assert {"journeyql", "journeyql_json", "journeyql_mermaid", "journeyql_markdown", "journeyql_templates"} <= top
    assert all(t.startswith("journeyql") for t in top), top
    names = zipfile.ZipFile(wheel).namelist()
    assert "journeyql/language/grammar.lark" in names and "journeyql_templates/markdown/journey.md.j2" in names


def test_installed_plugin_is_listed_and_renders(venv, tmp_path):
    journeyql = venv / "journeyql"
    listed = {p["name"]: p for p in json.loads(_run(journeyql, "plugins", "--format", "json", cwd=tmp_path).stdout)}
    assert listed["example"]["version"] == "1.0.0"
    assert listed["example"]["renderers"] == ["touchpoint-csv"] and listed["example"]["rules"] == ["EXA001"]
    assert listed["example"]["hooks"] == ["register_renderers", "register_rules"]
    assert listed["json"]["renderers"] == ["json"]
    where = _run(venv / "python", "-c", "import journeyql, journeyql_example_plugin as p; print(journeyql.__file__); "
                                        "print(p.__file__)", cwd=tmp_path).stdout
    assert str(ROOT) not in where  # the wheels run, not this checkout
    out = tmp_path / "out"
    _run(journeyql, "render", ROOT / "specs" / "bank-mortgage", "--to", "touchpoint-csv,json", "-o", out,
         "--set", "touchpoint-csv.delimiter=;", cwd=tmp_path)
    rows = (out / "touchpoints.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "journey;stage;step;touchpoint;channel;owner;moment"
    assert any("Mortgage calculator" in row for row in rows)
    assert (out / "workspace.json").is_file()


def test_plugin_rule_runs_in_check(venv, tmp_path):
    spec = tmp_path / "a.jql"
    spec.write_text('stakeholder ops "Ops" { kind internal }\nchannel web "Web" { kind web }\n'
                    'persona p "P" { prefers web }\njourney j "J" { personas p  stage s "S" { step a "A" {\n'
                    f'  touchpoint t "{"x" * 80}" {{ channel web  owner ops }} }} }} }}\n', encoding="utf-8")
    result = subprocess.run([str(venv / "journeyql"), "check", str(spec), "--format", "concise"],
                            capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0 and "EXA001" in result.stdout


def test_plugin_authors_tests_pass_with_journeyql_testing(venv, tmp_path):
    _run(venv / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", tmp_path, EXAMPLE / "tests",
         cwd=tmp_path)
