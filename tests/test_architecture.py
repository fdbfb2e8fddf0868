"""The one-way flow between the subpackages (docs/architecture.md), and a core free of the extras.

Every import inside ``journeyql/`` is read from the source (function-level imports included, since
the package imports lazily): a subpackage may import itself, the root package and ``extras``, and
any subpackage of a lower layer, never one of its own layer or above.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from journeyql.extras import EXTRAS

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "journeyql"

#: lowest first; a module may import only from its own subpackage or from earlier layers
LAYERS = [
    {"extras"},
    {"diagnostics"},
    {"language"},
    {"workspace"},
    {"host"},
    {"graphviz", "measure", "tools"},
    {"api", "lsp"},
    {"cli"},
]
LAYER = {name: index for index, names in enumerate(LAYERS) for name in names}
#: where an optional extra's packages may be imported (subpackage, or subpackage.module)
EXTRA_HOMES = {"measure": {"measure"}, "svg": {"graphviz.wasm"}, "lsp": {"lsp.server"},
               "highlight": {"lsp.pygments_lexer"}, "serve": {"tools.preview"}}


def _part(module: str) -> str:
    """The subpackage (or top-level module) of a dotted module name inside journeyql."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in the file."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            if node.level and not node.module:  # from . import a, b: each may be a module
                found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names
                          if (ROOT / Path(*target.split(".")) / alias.name).exists()
                          or (ROOT / Path(*target.split(".")) / f"{alias.name}.py").exists()]
    return found


def _modules():
    return sorted(PACKAGE.rglob("*.py"))


def test_every_subpackage_has_a_layer():
    parts = {_part(_module_name(p)) for p in _modules()} - {""}
    assert parts <= set(LAYER), f"subpackages without a place in the flow: {sorted(parts - set(LAYER))}"


def test_subpackages_import_only_their_own_layer_or_below():
    problems = []
    for path in _modules():
        here = _part(_module_name(path))
        if not here:
            continue  # journeyql/__init__.py: the lazy public facade
        for line, target in _imports(path):
            if not target.startswith("journeyql.") or target == "journeyql":
                continue
            there = _part(target)
            if there == here or there == "extras":
                continue
            if LAYER[there] >= LAYER[here]:
                problems.append(f"{path.relative_to(ROOT)}:{line}: {here} imports {target} ({there} is not below it)")
    assert problems == []


def test_the_core_never_imports_an_optional_extra():
    heavy = {module: extra for extra, modules in EXTRAS.items() for module in modules}
    problems = []
    for path in _modules():
        name = _module_name(path)
        for line, target in _imports(path):
            extra = heavy.get(target.split(".")[0])
            if extra is None:
                continue
            homes = EXTRA_HOMES[extra]
            if not any(name == f"journeyql.{home}" or name.startswith(f"journeyql.{home}.") for home in homes):
                problems.append(f"{path.relative_to(ROOT)}:{line}: imports {target} (journeyql[{extra}])")
    assert problems == []


def test_the_test_finds_a_backward_import(tmp_path):
    """The checker itself: an import of a higher layer is reported."""
    module = PACKAGE / "language" / "_probe_for_test.py"
    module.write_text("from ..host import rendering\n", encoding="utf-8")
    try:
        with pytest.raises(AssertionError, match="language imports journeyql.host"):
            test_subpackages_import_only_their_own_layer_or_below()
    finally:
        module.unlink()


@pytest.mark.parametrize("command", [["check", "specs"], ["fmt", "--check", "specs"], ["plugins"]])
def test_light_commands_load_no_extra(command):
    heavy = sorted({m for modules in EXTRAS.values() for m in modules})
    code = ("import sys; from journeyql.cli import main; code = main(%r); "
            "print(sorted(m for m in %r if m in sys.modules)); sys.exit(code)") % (command, heavy)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
