"""The maps renderers: blueprint, stakeholder-map, touchpoint-matrix.

Golden DOT/Markdown/HTML per example workspace (regenerate after an intended change with
``JOURNEYQL_UPDATE_GOLDEN=1 python -m pytest tests/test_maps.py`` and review the diff); every DOT
is read by the real graphviz, both the system ``dot`` and the WebAssembly one, without errors or
warnings; every SVG is well-formed XML holding the spec's text; hostile labels stay text.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

import journeyql.host.testing
from journeyql.cli import main
from journeyql.language.formatter import quote
from journeyql.graphviz import dot_to_svg
from journeyql.measure.results import Metrics, Results

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"
GOLDEN = Path(__file__).parent / "golden_maps"
WORKSPACES = sorted(p.parent.name for p in SPECS.glob("*/journeyql.toml"))
RENDERERS = "blueprint,stakeholder-map,touchpoint-matrix"
INSTALL_HINT = ("install graphviz (apt install graphviz / brew install graphviz) "
                "or `pip install 'journeyql[svg]'` (graphviz compiled to WebAssembly)")
#: the layout program each map is drawn with
LAYOUT = {"blueprint": "nop", "stakeholder-map": "dot"}
# ColorBrewer RdBu, as the blueprint colours steps
PALETTE = ("#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac")


@pytest.fixture(autouse=True)
def default_engine(monkeypatch):
    monkeypatch.delenv("JOURNEYQL_GRAPHVIZ", raising=False)


def files_of(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def svg_texts(svg: str) -> list[str]:
    """The text of every <text> element (the XML parser unescapes what graphviz escaped)."""
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return [el.text or "" for el in root.iter() if el.tag.endswith("}text")]


def element_names(svg: str) -> set[str]:
    return {el.tag.split("}")[-1] for el in ET.fromstring(svg).iter()}


def has_node(dot: str, key: str) -> bool:
    """Whether the DOT has a node statement for ``key`` (bare, or quoted when DOT needs it)."""
    return re.search(rf'^\s*(?:{re.escape(key)}|"{re.escape(key)}") \[', dot, re.M) is not None


def check_with_graphviz(name: str, source: str) -> None:
    """The DOT is read by the system dot without any error or warning, and by the wasm graphviz."""
    layout = LAYOUT[name.split("/")[0]]
    done = subprocess.run(["dot", f"-K{layout}", "-Tsvg"], input=source.encode("utf-8"), capture_output=True,
                          timeout=120, check=False)
    assert done.returncode == 0 and done.stderr == b"", f"{name}: {done.stderr.decode()}"
    svg_texts(done.stdout.decode("utf-8"))
    svg_texts(dot_to_svg(source, engine="wasm", layout=layout))


def render_cli(path: Path, out: Path, *extra) -> int:
    return main(["render", str(path), "--to", RENDERERS, "-o", str(out), "--force", *extra])


# --- the example workspaces ------------------------------------------------------------------

@pytest.mark.parametrize("workspace", WORKSPACES)
def test_golden_files(workspace):
    # from the specs alone (no measured results), so the golden files change only when the specs
    # or the maps do; the SVG depends on the engine's version and is checked by the tests below
    produced = {}
    for renderer in RENDERERS.split(","):
        result = journeyql.host.testing.render(SPECS / workspace, renderer)
        assert result.ok, result.message
        produced.update({name: data for name, data in result.files.items() if not name.endswith(".svg")})
    golden = GOLDEN / workspace
    if os.environ.get("JOURNEYQL_UPDATE_GOLDEN"):
        shutil.rmtree(golden, ignore_errors=True)
        for name, data in produced.items():
            (golden / name).parent.mkdir(parents=True, exist_ok=True)
            (golden / name).write_bytes(data)
    expected = files_of(golden)
    assert sorted(produced) == sorted(expected)
    for name in expected:
        assert produced[name] == expected[name], f"{workspace}/{name} differs from its golden file"


@pytest.mark.parametrize("workspace", WORKSPACES)
def test_every_map_is_read_by_graphviz_and_every_svg_is_well_formed(workspace, tmp_path, capsys):
    out = tmp_path / "out"
    assert render_cli(SPECS / workspace, out) == 0, capsys.readouterr().err
    files = files_of(out)
    dots = sorted(name for name in files if name.endswith(".dot"))
    assert any(n.startswith("blueprint/") for n in dots) and "stakeholder-map/stakeholders.dot" in dots
    for name in dots:
        check_with_graphviz(name, files[name].decode("utf-8"))
        svg = files[name[:-4] + ".svg"].decode("utf-8")
        assert {"script", "foreignObject"}.isdisjoint(element_names(svg))
        assert svg_texts(svg)


def test_output_is_deterministic(tmp_path, capsys):
    render_cli(SPECS / "energie-verhuizen", tmp_path / "a")
    render_cli(SPECS / "energie-verhuizen", tmp_path / "b")
    # the manifest's fingerprints cover every installed template, which other work may change meanwhile
    maps = [{n: d for n, d in files_of(tmp_path / run).items() if n != "manifest.json"} for run in "ab"]
    assert maps[0] == maps[1] and any(name.endswith(".svg") for name in maps[0])


def test_example_blueprint_shows_lanes_lines_and_markers(tmp_path, capsys):
    result = journeyql.host.testing.render(SPECS / "energie-verhuizen", "blueprint")
    assert result.ok, result.message
    # the workspace's locale (nl) without a suffix, its further locale (en) with one
    assert sorted(result.files) == ["blueprint/verhuizen--henk.dot", "blueprint/verhuizen--henk.en.dot",
                                    "blueprint/verhuizen--henk.en.svg", "blueprint/verhuizen--henk.svg",
                                    "blueprint/verhuizen.dot", "blueprint/verhuizen.en.dot",
                                    "blueprint/verhuizen.en.svg", "blueprint/verhuizen.svg"]
    english = " ".join(svg_texts(result.text("blueprint/verhuizen.en.svg")))
    assert "Physical evidence" in english or "physical evidence" in english.lower()
    assert "Fysiek bewijs" not in english and "Moving house" in english
    texts = " ".join(svg_texts(result.text("blueprint/verhuizen.svg")))
    for expected in ("Service blueprint: Verhuizen", "Oriëntatie", "Fysiek bewijs", "Klantacties", "Frontstage",
                     "Backstage", "Ondersteunende", "interactielijn", "zichtbaarheidslijn",
                     "lijn van interne interactie", "★▼ Moment van de waarheid (negatief)", "⚠ Faalpunt",
                     "◷ Wachten 2 dagen", "-3 verwacht", "Verhuisformulier invullen"):
        assert expected in texts, expected
    # Henk skips the moving form: his blueprint does not have that step
    henk = " ".join(svg_texts(result.text("blueprint/verhuizen--henk.svg")))
    assert "(voor Henk, senior)" in henk and "Verhuisformulier invullen" not in henk
    assert "Bellen met de klantenservice" in henk


def test_locale_option_gives_english_maps(capsys):
    blueprint = journeyql.host.testing.render(SPECS / "energie-verhuizen", "blueprint", options={"locale": "en"})
    texts = " ".join(svg_texts(blueprint.text("blueprint/verhuizen.svg")))
    assert "Service blueprint: Moving house" in texts and "Physical evidence" in texts
    assert "line of visibility" in texts and "Orientation" in texts
    matrix = journeyql.host.testing.render(SPECS / "energie-verhuizen", "touchpoint-matrix", options={"locale": "en"})
    markdown = matrix.text("touchpoint-matrix/verhuizen.md")
    assert markdown.startswith("# Touchpoint matrix: Moving house") and "## Ownership coverage" in markdown
    assert '<html lang="en">' in matrix.text("touchpoint-matrix/verhuizen.html")


def test_stakeholder_map_per_organisation(capsys):
    result = journeyql.host.testing.render(SPECS / "telecom-switch", "stakeholder-map")
    assert result.ok, result.message
    assert sorted(n for n in result.files if n.endswith(".dot")) == [
        "stakeholder-map/lumen.dot", "stakeholder-map/signal.dot", "stakeholder-map/stakeholders.dot"]
    lumen = result.text("stakeholder-map/lumen.dot")
    assert has_node(lumen, "lumen_sales") and not has_node(lumen, "signal_sales") and has_node(lumen, "subscriber")
    everything = result.text("stakeholder-map/stakeholders.dot")
    assert has_node(everything, "lumen_sales") and has_node(everything, "signal_sales")


# --- hand-written specs ------------------------------------------------------------------------

HOSTILE = [
    '"quoted" and \\ backslash \\N \\l',
    "{braces} [brackets] <angle> & ampersand",
    "<script>alert('x')</script>",
    "line one\nline two",
    "emoji 🙂 and مرحبا and ünïcödé",
    "x" * 500,
    "-- <!-- not a comment --> ]]>",
]


def hostile_spec() -> str:
    q = quote
    lines = [f'organisation org {q(HOSTILE[0])} {{}}',
             f'stakeholder owner {q(HOSTILE[1])} {{ kind internal  organisation org  role {q(HOSTILE[2])} }}',
             f'stakeholder buyer {q(HOSTILE[2])} {{ kind customer }}',
             f'stakeholder partner {q(HOSTILE[4])} {{ kind external  role {q(HOSTILE[5])} }}',
             f'stakeholder loner {q(HOSTILE[6])} {{ kind external }}',
             f'relation buyer -> owner {q(HOSTILE[3])} {{ flows money, {q(HOSTILE[2])} }}',
             f'relation partner -> buyer {q(HOSTILE[0])} {{ flows information, trust }}',
             'channel web "Web" { kind web }',
             f'persona p {q(HOSTILE[2])} {{ prefers web }}',
             'persona nobody "Persona without a journey" {}  # jql-ignore: unused-persona',
             f'journey j {q(HOSTILE[1])} {{', '  personas p']
    for s, text in enumerate(HOSTILE):
        lines += [f"  stage s{s} {q(text)} {{", f"    step st{s} {q(text)} {{", f"      action {q(text)}",
                  f"      touchpoint t{s} {q(text)} {{ channel web  owner owner  moment critical, {q(text)} }}",
                  f"      frontstage {q(text)}", f"      backstage {q(text)} {{ owner owner  system {q(text)} }}",
                  f"      support {q(text)}", f"      evidence {q(text)}", f"      fail {q(text)}",
                  f"      wait 3d, {q(text)}", f"      expected {s % 7 - 3}, irritation",
                  f"      for p {{ expected {3 - s % 7}\n        note {q(text)} }}", "    }", "  }"]
    lines += ["}", 'journey single "One step" { personas p  stage s "S" { step only "Only" { expected 0 } } }']
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def hostile_maps():
    return {renderer: journeyql.host.testing.render(hostile_spec(), renderer)
            for renderer in ("blueprint", "stakeholder-map", "touchpoint-matrix")}


def test_hostile_labels_give_valid_dot_and_svg(hostile_maps):
    for renderer in ("blueprint", "stakeholder-map"):
        result = hostile_maps[renderer]
        assert result.ok, result.message
        for name in sorted(result.files):
            if name.endswith(".dot"):
                check_with_graphviz(name, result.text(name))
                svg = result.text(name[:-4] + ".svg")
                assert "script" not in element_names(svg) and "<script" not in svg
                if name == "blueprint/single.dot":  # the one-step journey has no hostile text
                    continue
                assert "&lt;script&gt;" in svg
                texts = "\n".join(svg_texts(svg))
                # a blueprint wraps at 25 characters: the 27 of the script tag run on over two lines
                assert "<script>alert('x')</script>" in texts.replace("\n", "")
                assert "🙂" in texts and "مرحبا" in texts


def test_hostile_labels_keep_their_text_in_the_blueprint(hostile_maps):
    svg = hostile_maps["blueprint"].text("blueprint/j.svg")
    texts = svg_texts(svg)
    joined = "\n".join(texts)
    spaced = " ".join(texts)  # lines of a wrapped cell, as the words run on
    assert '"quoted" and \\ backslash \\N' in spaced and "\\l" in spaced  # backslash escapes stay literal text
    assert "{braces} [brackets] <angle> & ampersand" in joined
    assert "line one" in texts and "line two" in texts
    # the 500-character label is wrapped into lines that fit a column, and nothing is lost
    runs = [t for t in texts if t and set(t) == {"x"}]
    assert max(len(t) for t in runs) <= 27 and sum(len(t) for t in runs) >= 500
    assert "-- <!-- not a comment -->" in texts and "]]>" in joined  # graphviz comments were removed, not this


def test_hostile_labels_in_the_touchpoint_matrix(hostile_maps):
    result = hostile_maps["touchpoint-matrix"]
    assert result.ok, result.message
    page = result.text("touchpoint-matrix/j.html")
    started = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            started.append(tag)

    Tags().feed(page)
    assert "script" not in started and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert not any(t.startswith("http") for t in page.split('"'))  # no external assets
    markdown = result.text("touchpoint-matrix/j.md")
    assert "\\<script\\>" in markdown and "<script>" not in markdown
    assert "line one line two" in markdown  # a newline cannot break a table row


KEYWORD_SPEC = """
organisation strict "strict" {}
stakeholder node "node" { kind internal  organisation strict  role "edge -> node" }
stakeholder edge "Tom &amp; Jerry & co" { kind customer }
stakeholder subgraph "subgraph { x }" { kind external  role "\\G \\N ]" }
stakeholder digraph "<b>digraph</b>" { kind external }
relation edge -> node "graph" { flows money }
relation subgraph -> edge "strict digraph" { flows information }
relation digraph -> node "node [label=x]" { flows trust }
"""


def test_dot_keywords_and_entities_as_ids_and_labels():
    result = journeyql.host.testing.render(KEYWORD_SPEC, "stakeholder-map")
    assert result.ok, result.message
    source = result.text("stakeholder-map/stakeholders.dot")
    check_with_graphviz("stakeholder-map/stakeholders.dot", source)
    svg = ET.fromstring(result.text("stakeholder-map/stakeholders.svg"))
    ns = "{http://www.w3.org/2000/svg}"
    nodes = {g.find(f"{ns}title").text: [t.text for t in g.iter(f"{ns}text")]
             for g in svg.iter(f"{ns}g") if g.get("class") == "node"}
    assert sorted(nodes) == ["digraph", "edge", "node", "strict", "subgraph"]  # no node made by a misread id
    assert nodes["edge"] == ["Tom &amp; Jerry & co"] and nodes["subgraph"] == ["subgraph { x }", "\\G \\N ]"]
    assert nodes["node"] == ["node", "edge -> node"] and nodes["digraph"] == ["<b>digraph</b>"]
    edges = [[t.text for t in g.iter(f"{ns}text")] for g in svg.iter(f"{ns}g") if g.get("class") == "edge"]
    assert sorted(e[0] for e in edges if e) == ["graph", "node [label=x]", "strict digraph"]


def test_persona_without_journey_and_stakeholder_without_relations(hostile_maps):
    result = hostile_maps["stakeholder-map"]
    dot = result.text("stakeholder-map/stakeholders.dot")
    texts = svg_texts(result.text("stakeholder-map/stakeholders.svg"))
    assert has_node(dot, "nobody") and "Persona without a journey" in texts
    assert has_node(dot, "loner") and "-- <!-- not a comment --> ]]>" in texts
    assert not any(name.endswith("--nobody.dot") for name in hostile_maps["blueprint"].files)


def test_one_step_journey(hostile_maps):
    texts = svg_texts(hostile_maps["blueprint"].text("blueprint/single.svg"))
    assert "Only" in texts and "0 expected" in texts


def test_persona_blueprint_uses_the_persona_view(hostile_maps):
    # p expects the mirror image of the journey's emotion on every step
    dot = hostile_maps["blueprint"].text("blueprint/j--p.dot")
    assert "pos=" in step_line(dot, "step_0") and "+3 expected" in step_line(dot, "step_0")
    assert f'fillcolor="{PALETTE[-1]}"' in step_line(dot, "step_0")


STAKEHOLDERS = '''
stakeholder ops "Ops" { kind internal }
stakeholder cust "Customer" { kind customer }
channel web "Web" { kind web }
channel phone "Phone" { kind phone }
persona p "P" { prefers web }
persona q "Q" { prefers phone }
'''


def small_journey(expected: int = -3) -> str:
    return STAKEHOLDERS + f'''
journey j "J" {{
  personas p, q
  stage s1 "First" {{
    step a "Apply" {{
      touchpoint form "Form" {{ channel web  owner ops }}
      touchpoint call "Call" {{ channel phone }}
      expected {expected}
      for q {{ skips yes }}
    }}
  }}
  stage s2 "Second" {{
    step b "Wait" {{
      touchpoint letter "Letter" {{ channel web }}
      expected 1
    }}
  }}
}}
'''


#: touchpoints without an owner are an error by default; a team mapping its gaps turns that off
UNOWNED_ALLOWED = '[workspace]\nlocale = "en"\n[rules]\ntouchpoint-owner = "off"\n'


def render_small(renderer: str, expected: int = -3, **kwargs):
    return journeyql.host.testing.render(small_journey(expected), renderer, config=UNOWNED_ALLOWED, **kwargs)


def step_line(dot: str, node: str) -> str:
    """The attributes of ``node``'s statement (the graphviz package indents statements with a tab)."""
    return dot.split(f"\n\t{node} [", 1)[1].split("\n", 1)[0]


def test_measured_valence_colours_the_step():
    results = Results(steps={"j.a": Metrics(n=40, valence_mean=2.5, valence_n=38)})
    measured = render_small("blueprint", results=results)
    assert measured.ok, measured.message
    line = step_line(measured.text("blueprint/j.dot"), "step_0")
    assert "+2.5 measured (n=38)" in line and "-3 expected" not in line
    assert f'fillcolor="{PALETTE[6]}"' in line  # +2.5 on -3..3: the most positive colour
    assert "+2.5 measured (n=38)" in svg_texts(measured.text("blueprint/j.svg"))
    # the step without answers still shows what was expected
    assert "+1 expected" in step_line(measured.text("blueprint/j.dot"), "step_1")
    expected = render_small("blueprint")
    line = step_line(expected.text("blueprint/j.dot"), "step_0")
    assert "-3 expected" in line and f'fillcolor="{PALETTE[0]}"' in line


def test_measured_valence_per_persona():
    results = Results(persona_steps={("q", "j.b"): Metrics(n=5, valence_mean=-2.0, valence_n=5)},
                      steps={"j.b": Metrics(n=9, valence_mean=1.0, valence_n=9)})
    result = render_small("blueprint", results=results)
    persona = result.text("blueprint/j--q.dot")
    assert "-2.0 measured (n=5)" in persona and "Apply" not in persona  # q skips "Apply"
    assert "+1.0 measured (n=9)" in step_line(result.text("blueprint/j.dot"), "step_1")


def test_persona_blueprints_can_be_switched_off():
    on = render_small("blueprint")
    assert "blueprint/j--q.dot" in on.files and "blueprint/j--p.dot" not in on.files  # p's journey is the same
    off = render_small("blueprint", options={"personas": False})
    assert sorted(off.files) == ["blueprint/j.dot", "blueprint/j.svg"]


def test_touchpoint_matrix_cells_and_ownership():
    result = render_small("touchpoint-matrix")
    assert result.ok, result.message
    markdown = result.text("touchpoint-matrix/j.md")
    assert "| Stage | Web | Phone |" in markdown
    assert "| First | Form (Ops) | Call (**no owner**) |" in markdown
    assert "| Second | Letter (**no owner**) |  |" in markdown
    assert "| Ops | 1 | Form |" in markdown
    unowned = markdown.split("## Touchpoints without an owner", 1)[1]
    assert "- **Call**" in unowned and "- **Letter**" in unowned
    page = result.text("touchpoint-matrix/j.html")
    assert '<span class="unowned">owner: no owner</span>' in page and "<h2>Ownership coverage</h2>" in page


@pytest.mark.parametrize("renderer", ["blueprint", "stakeholder-map"])
def test_svg_false_writes_only_dot_without_warning(renderer):
    result = render_small(renderer, options={"svg": False})
    assert result.ok and result.warnings == []
    assert result.files and all(name.endswith(".dot") for name in result.files)


def test_without_graphviz_the_dot_is_written_with_a_warning(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot on it
    monkeypatch.setenv("JOURNEYQL_GRAPHVIZ", "system")
    result = render_small("stakeholder-map")
    assert result.ok, result.message
    assert sorted(result.files) == ["stakeholder-map/stakeholders.dot"]
    assert len(result.warnings) == 1 and result.warnings[0].endswith(INSTALL_HINT)


def test_the_cli_shows_the_warning(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("JOURNEYQL_GRAPHVIZ", "system")
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "spec.jql").write_text(small_journey(), encoding="utf-8")
    (tmp_path / "ws" / "journeyql.toml").write_text(UNOWNED_ALLOWED, encoding="utf-8")
    assert main(["render", str(tmp_path / "ws"), "--to", "blueprint", "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert f"warning: renderer blueprint: " in err and INSTALL_HINT in err
    assert (tmp_path / "out" / "blueprint" / "j.dot").is_file()
    assert not (tmp_path / "out" / "blueprint" / "j.svg").exists()


def test_graphviz_none_writes_dot_only_without_warning(monkeypatch):
    monkeypatch.setenv("JOURNEYQL_GRAPHVIZ", "none")
    result = render_small("blueprint")
    assert result.ok and result.warnings == []
    assert sorted(result.files) == ["blueprint/j--q.dot", "blueprint/j.dot"]


def test_graphviz_wasm_renders_the_same_labels(monkeypatch):
    system = render_small("blueprint")
    monkeypatch.setenv("JOURNEYQL_GRAPHVIZ", "wasm")
    wasm = render_small("blueprint")
    assert wasm.files["blueprint/j.dot"] == system.files["blueprint/j.dot"]
    assert sorted(svg_texts(wasm.text("blueprint/j.svg"))) == sorted(svg_texts(system.text("blueprint/j.svg")))


def test_an_unknown_engine_fails_the_render_clearly(monkeypatch):
    monkeypatch.setenv("JOURNEYQL_GRAPHVIZ", "sometimes")
    result = render_small("blueprint")
    assert not result.ok and "JOURNEYQL_GRAPHVIZ='sometimes' is not an engine" in result.message


def long_journey(steps: int) -> str:
    lines = [STAKEHOLDERS, 'journey long "Long" {', "  personas p"]
    for s in range(steps // 10):
        lines.append(f'  stage s{s} "Stage {s}" {{')
        for i in range(10):
            k = s * 10 + i
            lines.append(f'    step st{k} "Step {k} of a long journey" {{ action "Does thing {k}"\n'
                         f'      touchpoint t{k} "Touchpoint {k}" {{ channel web  owner ops }}\n'
                         f'      backstage "Back office {k}"\n      wait 2d, "waiting"\n      expected {k % 7 - 3}\n    }}')
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def test_a_300_step_journey_renders_in_seconds():
    started = time.perf_counter()
    result = journeyql.host.testing.render(long_journey(300), "blueprint")
    elapsed = time.perf_counter() - started
    assert result.ok, result.message
    dot = result.text("blueprint/long.dot")
    assert dot.count("\n\tstep_") == 300 and dot.count("\n\tstage_") == 30
    texts = svg_texts(result.text("blueprint/long.svg"))
    assert "Step 299 of a long journey" in " ".join(texts)
    assert elapsed < 30, f"a 300-step blueprint took {elapsed:.1f} s"


def test_touchpoint_matrix_opens_in_a_real_browser(hostile_maps, tmp_path):
    from browser import check_pages, open_browser

    pages = []
    for name, data in hostile_maps["touchpoint-matrix"].files.items():
        if name.endswith(".html"):
            pages.append(tmp_path / "hostile" / name)
            pages[-1].parent.mkdir(parents=True, exist_ok=True)
            pages[-1].write_bytes(data)
    example = journeyql.host.testing.render(SPECS / "energie-verhuizen", "touchpoint-matrix")
    pages.append(tmp_path / "example" / "verhuizen.html")
    pages[-1].parent.mkdir(parents=True)
    pages[-1].write_bytes(example.files["touchpoint-matrix/verhuizen.html"])
    with open_browser() as browser:
        reports = check_pages(browser, pages)
    assert all(r.clean for r in reports), "\n".join(r.summary() for r in reports if not r.clean)
    hostile = next(r for r in reports if r.path.name == "j.html")
    assert "<script>alert('x')</script>" in hostile.text  # shown as text, never run
    assert "Contactmomentenmatrix: Verhuizen" in reports[-1].text and "Eigenaarschap" in reports[-1].text


def test_invalid_options_are_refused_with_the_option_named(tmp_path, capsys):
    code = main(["render", str(SPECS / "bank-mortgage"), "--to", "blueprint", "-o", str(tmp_path / "out"),
                 "--set", "blueprint.svg=maybe"])
    assert code == 2 and "`blueprint.svg`" in capsys.readouterr().err
    code = main(["render", str(SPECS / "bank-mortgage"), "--to", "stakeholder-map", "-o", str(tmp_path / "out"),
                 "--set", "stakeholder-map.personas=false"])
    assert code == 2 and "stakeholder-map.personas" in capsys.readouterr().err
    assert not (tmp_path / "out" / "blueprint").exists()


def test_the_renderers_are_listed_with_their_options(capsys):
    import json

    assert main(["plugins", "--format", "json"]) == 0
    maps = next(p for p in json.loads(capsys.readouterr().out) if p["name"] == "maps")
    names = [r["name"] if isinstance(r, dict) else r for r in maps["renderers"]]
    assert sorted(names) == ["blueprint", "stakeholder-map", "touchpoint-matrix"]


def test_empty_journey_and_empty_stage_still_draw():
    spec = STAKEHOLDERS + '''
journey empty "Nothing yet" {}
journey gaps "Gaps" { stage s1 "Planned" {}  stage s2 "Done" { step a "Apply" { expected 1 } } }
'''
    drafting = '[workspace]\nlocale = "en"\n[rules]\nempty-journey = "off"\n'  # a journey being drafted
    result = journeyql.host.testing.render(spec, "blueprint", config=drafting)
    assert result.ok, result.message
    for name in ("blueprint/empty.dot", "blueprint/gaps.dot"):
        check_with_graphviz(name, result.text(name))
    texts = svg_texts(result.text("blueprint/gaps.svg"))
    assert "Planned" in texts and "(no steps)" in texts and "Apply" in texts
    assert "Service blueprint: Nothing yet" in svg_texts(result.text("blueprint/empty.svg"))
    matrix = journeyql.host.testing.render(spec, "touchpoint-matrix", config=drafting)
    assert "This journey has no touchpoints yet." in matrix.text("touchpoint-matrix/empty.md")


def test_words_exist_in_dutch_and_english():
    from journeyql_maps.words import WORDS, words_for

    assert set(WORDS["nl"]) == set(WORDS["en"])
    assert words_for("nl-BE") is WORDS["nl"] and words_for("fr") is WORDS["en"]


def test_wrapping():
    from journeyql_maps.wrapping import wrap_lines

    assert wrap_lines("x" * 60, 27) == ["x" * 27, "x" * 27, "x" * 6]
    assert wrap_lines("one\r\ntwo\x07\n\n") == ["one", "two"]


def test_the_locale_option_draws_one_language_only():
    result = journeyql.host.testing.render(SPECS / "energie-verhuizen", "stakeholder-map", options={"locale": "en"})
    assert result.ok and sorted(result.files) == ["stakeholder-map/stakeholders.dot",
                                                  "stakeholder-map/stakeholders.svg"]
    full = journeyql.host.testing.render(SPECS / "energie-verhuizen", "stakeholder-map")
    assert full.text("stakeholder-map/stakeholders.en.dot") == result.text("stakeholder-map/stakeholders.dot")
