"""Formatter triples (expected output, idempotence, same model) and formatting the examples."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import journeyql
from journeyql.language.formatter import format_source

CASES = Path(__file__).parent / "formatter_cases"
SPECS = Path(__file__).resolve().parents[1] / "specs"


@pytest.mark.parametrize("case", sorted(p.name[: -len(".in.jql")] for p in CASES.glob("*.in.jql")))
def test_triple(case):
    source = (CASES / f"{case}.in.jql").read_text(encoding="utf-8")
    expected = (CASES / f"{case}.out.jql").read_text(encoding="utf-8")
    formatted = format_source(source)
    assert formatted == expected
    assert format_source(formatted) == formatted
    assert journeyql.parse(formatted).content() == journeyql.parse(source).content()


def test_syntax_error_is_refused():
    with pytest.raises(journeyql.SpecError) as caught:
        format_source('persona p "P" {\n  goal "a" "b"\n}\n', "x.jql")
    assert caught.value.diagnostics[0].code == "JQL001"


def test_empty_text_stays_empty():
    assert format_source("") == ""
    assert format_source("\n\n  \n") == ""


@pytest.mark.parametrize("workspace", sorted(p.parent.name for p in SPECS.glob("*/journeyql.toml")))
def test_examples_keep_their_model(workspace, tmp_path):
    copy = tmp_path / workspace
    shutil.copytree(SPECS / workspace, copy)
    before = journeyql.load(copy).content()
    for spec in copy.glob("*.jql"):
        messy = spec.read_text(encoding="utf-8").replace("\n  ", "\n\t ").replace(" {\n", "{ \n")
        spec.write_text(messy, encoding="utf-8")
        spec.write_text(format_source(messy), encoding="utf-8")
        assert spec.read_text(encoding="utf-8") == (SPECS / workspace / spec.name).read_text(encoding="utf-8")
    assert journeyql.load(copy).content() == before
