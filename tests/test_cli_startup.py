"""Building the argument parser imports nothing heavy (issue 10, issue 14's cold start).

Each case runs in a fresh interpreter, so modules another test imported do not hide an import.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: top-level packages the parser must never load, and the diff's comparison modules
HEAVY = ("pydantic", "lark", "jinja2", "pluggy", "duckdb", "pyarrow", "numpy", "graphviz")
DIFF_MODULES = ("journeyql.tools.diff", "journeyql.tools.diff.compare", "journeyql.tools.diff.changes",
                "journeyql.tools.diff.versions", "journeyql.tools.diff.markdown")

PROBE = """
import json, sys
from journeyql.cli import main
try:
    code = main(%r)
except SystemExit as done:  # argparse's --help
    code = done.code
sys.stderr.write(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def loaded_by(argv: list[str]) -> tuple[int, list[str], str]:
    done = subprocess.run([sys.executable, "-c", PROBE % (argv,)], capture_output=True, text=True, timeout=120)
    record = json.loads(done.stderr.strip().splitlines()[-1])
    return record["code"], record["modules"], done.stdout


@pytest.mark.parametrize("argv", [["--help"], ["check", "--help"], ["fmt", "--help"], ["diff", "--help"],
                                  ["build", "--help"], ["--version"]])
def test_building_the_parser_loads_nothing_heavy(argv):
    code, modules, out = loaded_by(argv)
    assert code == 0 and "journeyql" in out
    heavy = [m for m in modules if m.split(".")[0] in HEAVY]
    plugins = [m for m in modules if m.startswith("journeyql_")]
    diff = [m for m in modules if m in DIFF_MODULES]
    implementation = [m for m in modules if m.startswith("journeyql.")
                      and m.split(".")[1] not in ("cli", "extras")]
    assert heavy == [] and plugins == [] and diff == [] and implementation == []


def test_the_probe_sees_what_a_command_loads():
    """The same probe on a real `check` does see the language and the plugins: the test above can fail."""
    code, modules, _ = loaded_by(["check", str(ROOT / "specs" / "bank-mortgage"), "--format", "concise"])
    assert code == 0
    assert "journeyql.language.binder" in modules and "journeyql.language.light_model" in modules
    assert "journeyql.language.scanner" in modules
    # a spec without syntax errors is read by the statement scanner alone: lark's grammar is never loaded
    assert "lark" not in modules


def test_check_loads_no_plugin_renderer_modules():
    """`check` asks the plugins for rules only: with the plugin index (tests/test_plugin_index.py) it
    imports none of the standard plugins, and without it their packages but never the renderers'
    modules (pages, drawings, survey plans, teaser material), which load only when something renders."""
    code, modules, _ = loaded_by(["check", str(ROOT / "specs" / "bank-mortgage"), "--format", "concise"])
    assert code == 0
    plugins = [m for m in modules if m.startswith("journeyql_") and m != "journeyql_templates"]
    submodules = [m for m in plugins if "." in m and m.split(".")[0] in
                  ("journeyql_site", "journeyql_surveys", "journeyql_teasers", "journeyql_curve")]
    assert submodules == []
    assert not [m for m in modules if m in DIFF_MODULES]


def test_python_dash_m_runs_the_cli():
    done = subprocess.run([sys.executable, "-m", "journeyql.cli", "--version"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and done.stdout.startswith("journeyql ")
