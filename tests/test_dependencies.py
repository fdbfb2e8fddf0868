"""What the code imports at run time is what `pip install .` installs.

The README's main command installs only the runtime dependencies; a module that imports a test
dependency (numpy once did) works in the test environment and fails on a user's machine.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _runtime_modules() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = [*project["dependencies"]]
    for extra, deps in project["optional-dependencies"].items():
        if extra != "test":  # the extras users install (measure, svg, all) are run-time code too
            runtime += deps
    names = {re.split(r"[<>=!~\[; ]", dep, maxsplit=1)[0].strip().lower() for dep in runtime}
    modules = {name.replace("-", "_") for name in names}
    # distributions whose import name differs from their own
    return modules | {IMPORT_NAMES[name] for name in names if name in IMPORT_NAMES}


#: distribution -> the module it installs, where the two names differ
IMPORT_NAMES = {"python-pptx": "pptx"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_runtime_code_imports_only_runtime_dependencies():
    allowed = _runtime_modules() | set(sys.stdlib_module_names) | {"journeyql", "__future__"}
    code = [*(ROOT / "journeyql").rglob("*.py"), *(ROOT / "plugins").rglob("*.py"), *(ROOT / "templates").rglob("*.py")]
    assert code
    problems = {}
    for path in code:
        foreign = {m for m in _imports(path) - allowed if not m.startswith("journeyql_")}
        if foreign:
            problems[str(path.relative_to(ROOT))] = sorted(foreign)
    assert problems == {}, f"imported at run time but not a runtime dependency in pyproject.toml: {problems}"
