"""DOT built with the graphviz package and journeyql.graphviz's helpers stays the spec's text, whatever it says.

Every hostile text is used as a node id, a cluster name, a node label (each alignment), an edge
label and an HTML-like label; the real ``dot`` must read the DOT without a warning, draw exactly one
node per id (an id that DOT misread would add a node) and show every label unchanged.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
import xml.etree.ElementTree as ET

import graphviz
import pytest

from journeyql.graphviz import dot_to_svg, html_label, html_text, node_id, text_label

HOSTILE = [
    "<b>bold?</b>", "<", ">", "a & b &amp; c", 'say "hi"', '\\"', "back\\slash", "ends with \\", "\\N \\l \\G \\n",
    "] [x=1]", "{ subgraph }", "}", "a:b:c", "port:n", "%41 %", "emoji 🙂 مرحبا ünïcödé",
    "node", "edge", "graph", "digraph", "subgraph", "strict", "NODE", "Strict", "-- <!-- comment --> ]]>",
    "a -> b", "'single'", ";", "=", "", " ", "1.5", "-.5", "x" * 200,
]
SVG = "{http://www.w3.org/2000/svg}"


def read_by_dot(source: str, layout: str = "dot") -> str:
    done = subprocess.run(["dot", f"-K{layout}", "-Tsvg"], input=source.encode("utf-8"), capture_output=True,
                          timeout=120, check=False)
    assert done.returncode == 0 and done.stderr == b"", done.stderr.decode()
    return done.stdout.decode("utf-8")


def groups(svg: str, kind: str) -> list[ET.Element]:
    return [g for g in ET.fromstring(svg).iter(f"{SVG}g") if g.get("class") == kind]


def texts(element: ET.Element) -> list[str]:
    # graphviz writes the second of two spaces as a no-break space
    return [(t.text or "").replace("\xa0", " ") for t in element.iter(f"{SVG}text")]


def hostile_graph() -> graphviz.Digraph:
    graph = graphviz.Digraph("hostile", graph_attr={"label": text_label("title: " + HOSTILE[0])})
    with graph.subgraph(name=node_id("cluster_" + HOSTILE[0])) as cluster:
        cluster.attr("graph", label=text_label(HOSTILE[1]))
        for index, text in enumerate(HOSTILE):
            cluster.node(node_id(text), label=text_label([text, f"#{index}"], align=("center", "left", "right")[index % 3]))
    for index, text in enumerate(HOSTILE):
        graph.edge(node_id(text), node_id(HOSTILE[index - 1]), label=text_label(text))
    return graph


def test_hostile_ids_and_labels_are_read_by_the_real_dot_as_written():
    svg = read_by_dot(hostile_graph().source)
    nodes = groups(svg, "node")
    assert len(nodes) == len(HOSTILE)  # every id is the node it names, in nodes and in edges alike
    assert len(groups(svg, "edge")) == len(HOSTILE)
    labels = sorted(tuple(texts(n)) for n in nodes)
    expected = sorted(tuple(line for line in (text, f"#{i}") if line) for i, text in enumerate(HOSTILE))
    assert labels == expected
    edge_labels = sorted("".join(texts(e)) for e in groups(svg, "edge"))
    assert edge_labels == sorted(HOSTILE)
    assert texts(groups(svg, "cluster")[0]) == ["<"]
    assert "title: <b>bold?</b>" in texts(ET.fromstring(svg).find(f"{SVG}g"))


def test_the_wasm_engine_reads_the_same_dot_and_shows_the_same_labels():
    source = hostile_graph().source
    system = sorted(tuple(texts(n)) for n in groups(dot_to_svg(source, engine="system"), "node"))
    wasm = sorted(tuple(texts(n)) for n in groups(dot_to_svg(source, engine="wasm"), "node"))
    assert system == wasm and len(wasm) == len(HOSTILE)


@pytest.mark.parametrize("text", HOSTILE)
def test_an_html_label_shows_the_text_literally(text):
    graph = graphviz.Graph("g")
    graph.node("a", label=html_label(f"<B>[{html_text(text)}]</B>"))
    graph.node("b", label=html_label(html_text(["first " + text, "second"])))
    svg = read_by_dot(graph.source)
    by_title = {n.find(f"{SVG}title").text: texts(n) for n in groups(svg, "node")}
    assert by_title["a"] == [f"[{text}]"]
    assert by_title["b"] == [("first " + text), "second"]


def test_text_label_keeps_backslashes_and_angle_brackets_literal():
    assert text_label("a\\lb") == "a\\\\lb"
    assert text_label("a & b &amp;") == "a &amp; b &amp;amp;"
    assert text_label(["one", "two"]) == "one\\ntwo"
    assert text_label(["one", "two"], align="left") == "one\\ltwo\\l"
    assert text_label("x\r\ny\tz\x07") == "x\\ny z"
    # a label that looks like HTML is still quoted as text by the graphviz package
    assert graphviz.Graph("g", graph_attr={"label": text_label("<b>")}).source.splitlines()[1] == '\tgraph [label="<b>"]'
    with pytest.raises(ValueError, match="center, left or right"):
        text_label("x", align="middle")


def test_node_id_is_one_to_one_and_keeps_plain_ids():
    assert node_id("step_1") == "step_1" and node_id("stap.één") == "stap.één"
    assert node_id("a:b") == "a%3Ab" and node_id("%3A") == "%253A" and node_id("<x>") == "%3Cx%3E"
    assert len({node_id(text) for text in HOSTILE}) == len(set(HOSTILE))


def test_html_text_escapes_markup():
    assert html_text('<a href="x">&\'</a>') == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
    assert html_text("\\N") == "\\\\N"  # graphviz expands \N (the node name) in HTML-like labels too
    assert html_text("one\ntwo") == "one<BR/>two"


def test_an_empty_text_is_an_empty_label():
    assert text_label("", align="left") == "" and text_label([], align="right") == "" and text_label([""]) == ""


def test_the_wasm_graphviz_draws_a_blueprint_with_an_empty_cell():
    """The smallest blueprint found (English example, energie-verhuizen) on which a ``"\\l"`` label for an
    empty cell made the wasm graphviz trap ("out of bounds table access") in the ``nop`` layout; the
    trap depends on every other line, so the DOT is kept as the blueprint renderer wrote it."""
    empty = text_label("", align="left")
    source = (Path(__file__).parent / "graphviz_cases" / "empty-cell-blueprint.dot").read_text(encoding="utf-8")
    svg = dot_to_svg(source.replace("EMPTY", empty), engine="wasm", layout="nop")
    assert "Settlement" in svg and "picks the wrong option" in svg
