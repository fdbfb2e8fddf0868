"""The standard renderers: golden files per example workspace, determinism, hostile labels,
and Mermaid output checked by Mermaid itself.

Regenerate the golden files after an intended change with
``JOURNEYQL_UPDATE_GOLDEN=1 python -m pytest tests/test_renderers.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from journeyql.cli import main
from journeyql.language.formatter import quote

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"
GOLDEN = Path(__file__).parent / "golden"
NODE_DIR = Path(__file__).parent / ".node"
WORKSPACES = sorted(p.parent.name for p in SPECS.glob("*/journeyql.toml"))
RENDERERS = ["json", "mermaid", "markdown"]


def render(path: Path, out: Path, renderers=RENDERERS, *extra) -> int:
    return main(["render", str(path), "--to", ",".join(renderers), "-o", str(out), "--force", *extra])


def files_of(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("workspace", WORKSPACES)
def test_golden_files(workspace, tmp_path, capsys):
    out = tmp_path / "out"
    assert render(SPECS / workspace, out) == 0, capsys.readouterr().err
    produced = files_of(out)
    # the manifest's fingerprints hash every template folder and the measured data, so it is
    # checked for what it lists, not byte for byte
    manifest = json.loads(produced.pop("manifest.json"))
    assert sorted(f["path"] for f in manifest["files"]) == sorted(produced)
    golden = GOLDEN / workspace
    if os.environ.get("JOURNEYQL_UPDATE_GOLDEN"):
        shutil.rmtree(golden, ignore_errors=True)
        for name, data in produced.items():
            (golden / name).parent.mkdir(parents=True, exist_ok=True)
            (golden / name).write_bytes(data)
    expected = files_of(golden)
    expected.pop("manifest.json", None)
    assert sorted(produced) == sorted(expected)
    for name in expected:
        assert produced[name] == expected[name], f"{workspace}/{name} differs from its golden file"


def test_output_is_deterministic(tmp_path, capsys):
    render(SPECS, tmp_path / "a")
    render(SPECS, tmp_path / "b")
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")
    # and independent of the directory JourneyQL runs in
    cwd = os.getcwd()
    try:
        os.chdir(SPECS)
        render(Path("."), tmp_path / "c")
    finally:
        os.chdir(cwd)
    assert files_of(tmp_path / "a") == files_of(tmp_path / "c")


HOSTILE = [
    'Colon: here; semi # hash',
    '"quoted" and \\ backslash',
    "<script>alert('x')</script>",
    "line one\nline two",
    "emoji 🙂 and مرحبا and ünïcödé",
    "%% not a comment",
    "commas, in, an, actor",
    "x" * 500,
    "| pipe | and *stars* and _under_ and [link](http://example.invalid)",
]


def hostile_workspace(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    lines = ['stakeholder owner "Owner" { kind internal }', 'channel web "Web" { kind web }']
    for i, label in enumerate(HOSTILE):
        lines.append(f"persona p{i} {quote(label)} {{ prefers web }}")
    personas = ", ".join(f"p{i}" for i in range(len(HOSTILE)))
    lines.append(f"journey j {quote(HOSTILE[0])} {{\n  personas {personas}")
    for s, label in enumerate(HOSTILE):
        lines.append(f"  stage s{s} {quote(label)} {{\n    step st{s} {quote(label)} {{")
        lines.append(f"      touchpoint t{s} {quote(label)} {{ channel web  owner owner }}")
        lines.append(f"      expected {s % 7 - 3}\n      target 3")
        lines.append(f"      moment negative, {quote(label)}\n    }}\n  }}")
    lines.append("}")
    lines.append('journey single "One step" { personas p0  stage s "S" { step only "Only" { expected 0 } } }')
    lines.append('persona nobody "Persona without journey" {}  # jql-ignore: unused-persona')
    (directory / "hostile.jql").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory


def test_hostile_labels_render(tmp_path, capsys):
    spec = hostile_workspace(tmp_path / "ws")
    out = tmp_path / "out"
    assert render(spec, out) == 0, capsys.readouterr()
    markdown = (out / "markdown" / "j.md").read_text(encoding="utf-8")
    assert "<script>" not in markdown and "\\<script\\>" in markdown
    assert "\\| pipe \\|" in markdown
    document = json.loads((out / "workspace.json").read_text(encoding="utf-8"))
    assert document["workspace"]["personas"][2]["label"] == HOSTILE[2]
    diagram = (out / "mermaid" / "j.mmd").read_text(encoding="utf-8")
    for line in diagram.splitlines()[2:]:
        if line.startswith("    "):
            name, score, actors = line.strip().rsplit(": ", 2)
            assert ":" not in name and ";" not in name and "#" not in name


def test_mermaid_scores_map_the_journey_scale(tmp_path, capsys):
    import journeyql_mermaid as m

    assert [m.to_mermaid_score(s, -3, 3) for s in (-3, -2, -1, 0, 1, 2, 3)] == [1, 2, 2, 3, 4, 4, 5]
    assert [m.to_mermaid_score(s, 1, 5) for s in (1, 2, 3, 4, 5)] == [1, 2, 3, 4, 5]


def test_renderer_options(tmp_path, capsys):
    spec = SPECS / "bank-mortgage"
    assert render(spec, tmp_path / "t", ["mermaid"], "--set", "mermaid.score=target", "--set",
                  "mermaid.personas=false") == 0
    names = sorted(files_of(tmp_path / "t"))
    assert names == ["journeys.md", "manifest.json", "mermaid/mortgage.mmd"]
    assert ": 5: " in (tmp_path / "t" / "mermaid" / "mortgage.mmd").read_text()  # the keys: target 3 -> 5
    assert render(spec, tmp_path / "j", ["json"], "--set", "json.indent=0", "--set", "json.spans=false") == 0
    text = (tmp_path / "j" / "workspace.json").read_text()
    assert text.count("\n") == 1 and '"span"' not in text


# --- Mermaid itself -----------------------------------------------------------------------

def _mermaid_checker() -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.fail("Node.js and npm are not installed: Mermaid's own parser cannot run (install nodejs and npm; "
                    "a check of the Mermaid output that silently does not run proves nothing)")
    script = NODE_DIR / "mermaid_check.mjs"
    if not (NODE_DIR / "node_modules" / "mermaid").is_dir() or not (NODE_DIR / "node_modules" / "jsdom").is_dir():
        NODE_DIR.mkdir(exist_ok=True)
        result = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(NODE_DIR),
                                 "mermaid@11", "jsdom@26"], capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr[-2000:]
    shutil.copy(Path(__file__).parent / "node" / "mermaid_check.mjs", script)
    return script


def mermaid_parse(files: list[Path]) -> dict:
    script = _mermaid_checker()
    result = subprocess.run(["node", str(script), *map(str, files)], capture_output=True, text=True, timeout=300,
                            cwd=NODE_DIR)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def test_mermaid_accepts_every_example_and_hostile_diagram(tmp_path, capsys):
    render(SPECS, tmp_path / "examples", ["mermaid"])
    render(hostile_workspace(tmp_path / "ws"), tmp_path / "hostile", ["mermaid"])
    files = sorted(tmp_path.glob("**/*.mmd"))
    assert len(files) > 15
    parsed = mermaid_parse(files)
    failures = {name: r["error"] for name, r in parsed.items() if not r["ok"]}
    assert failures == {}
    # Mermaid understood what was meant: every task has a 1..5 score and its actors
    for result in parsed.values():
        assert result["tasks"]
        for task in result["tasks"]:
            assert task["score"] in (1, 2, 3, 4, 5) and task["people"], task
    hostile = parsed[str(tmp_path / "hostile" / "mermaid" / "j.mmd")]
    tasks = [t["task"] for t in hostile["tasks"]]
    assert len(tasks) == len(HOSTILE)
    assert tasks[2] == "<script>alert('x')</script>"
    assert tasks[4] == "emoji 🙂 and مرحبا and ünïcödé"
    assert tasks[3] == "line one line two"
    assert tasks[5] == "％％ not a comment"
    assert [t["score"] for t in hostile["tasks"]][:7] == [1, 2, 2, 3, 4, 4, 5]


def test_fingerprint_ignores_bytecode_caches(tmp_path):
    """Template folders may hold __pycache__ on one machine and not on another: same fingerprint."""
    from types import SimpleNamespace

    from journeyql.host.rendering import fingerprint
    from journeyql.workspace import Source

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.md.j2").write_text("{{ x }}\n")
    renderer = SimpleNamespace(name="r", plugin="p", version="1")
    options = SimpleNamespace(model_dump=lambda mode: {})
    sources = [Source(str(tmp_path / "a.jql"), "x")]
    before = fingerprint(renderer, options, sources, "", [templates], tmp_path)
    (templates / "__pycache__").mkdir()
    (templates / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    (templates / ".DS_Store").write_bytes(b"\0")
    assert fingerprint(renderer, options, sources, "", [templates], tmp_path) == before
    (templates / "page.md.j2").write_text("{{ y }}\n")
    assert fingerprint(renderer, options, sources, "", [templates], tmp_path) != before


KEYWORD_LABELS = ["Title search", "title", "Section 2 review", "SECTION", "accTitle: x", "accDescr y",
                  "journey planning", "Journey", "title: colon", "Sectioned"]


def test_mermaid_keeps_step_labels_that_start_with_its_keywords(tmp_path, capsys):
    """A step called "Title search" (a real mortgage step) must stay a task, not become the title."""
    steps = "\n".join(f'    step s{i} {quote(label)} {{ expected {i % 7 - 3} }}' for i, label in enumerate(KEYWORD_LABELS))
    spec = tmp_path / "ws"
    spec.mkdir()
    (spec / "a.jql").write_text(
        'channel web "Web" { kind web }\n'
        'persona p "Sanne, 34, Utrecht" { prefers web }\n'
        f'journey j "Title: the journey" {{\n  personas p\n  stage st "section one" {{\n{steps}\n  }}\n'
        '  stage st2 "Title" { step last "Last" { expected 1 } }\n}\n', encoding="utf-8")
    out = tmp_path / "out"
    assert render(spec, out, ["mermaid"], "--set", "mermaid.personas=false") == 0, capsys.readouterr()
    text = (out / "mermaid" / "j.mmd").read_text(encoding="utf-8")
    # every character is one that DejaVu (and every common font) has: no fullwidth look-alikes
    assert not [ch for ch in text if 0xFF00 <= ord(ch) <= 0xFFEF], text
    parsed = mermaid_parse([out / "mermaid" / "j.mmd"])[str(out / "mermaid" / "j.mmd")]
    assert parsed["ok"], parsed

    def shown(s: str) -> str:  # what a reader sees: invisible joiners dropped, look-alikes read as the original
        return s.replace("\u200c", "").replace("\u2236", ":").replace("\u201a", ",")

    assert [shown(t["task"]) for t in parsed["tasks"]] == [*KEYWORD_LABELS, "Last"]
    assert [shown(s) for s in parsed["sections"]] == ["section one", "Title"]
    assert shown(parsed["title"]) == "Title: the journey"
    assert [shown(p) for p in parsed["tasks"][0]["people"]] == ["Sanne, 34, Utrecht"]

