"""Mutated example specs never raise anything but diagnostics."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import journeyql
from journeyql.diagnostics import all_codes
from journeyql.diagnostics.views import FORMATS, render
from journeyql.language.formatter import format_source

SPECS = sorted((Path(__file__).resolve().parents[1] / "specs").glob("*/*.jql"))
KNOWN = {c.code for c in all_codes()} | {"JQL000"}
NOISE = ["{", "}", '"', '"""', "#", "\\", "\x00", ",", ".", "->", ">=", "-", "5d", "é", "🙂", "\n", " ", "x", "..",
         "EUR", "%",
         # what str.strip, str.splitlines and terminals treat as white space, line breaks or reordering (issue 13)
         "\r", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029", "\u202e", "\u2066", "\t"]


def mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(7)
        if choice == 0 and text:
            i = rng.randrange(len(text))
            text = text[:i] + text[i + 1:]
        elif choice == 1:
            i = rng.randrange(len(text) + 1)
            text = text[:i] + rng.choice(NOISE) + text[i:]
        elif choice == 2:
            text = text[: rng.randrange(len(text) + 1)]
        elif choice == 3 and len(lines) > 2:
            i = rng.randrange(len(lines))
            lines.insert(i, lines[rng.randrange(len(lines))])
            text = "\n".join(lines)
        elif choice == 4 and len(lines) > 2:
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif choice == 5:
            words = text.split(" ")
            words[rng.randrange(len(words))] = rng.choice(["owner", "billing", "xyz", "step", "{", "journey"])
            text = " ".join(words)
        else:
            lines = text.split("\n")
            del lines[rng.randrange(len(lines))]
            text = "\n".join(lines)
        lines = text.split("\n")
    return text


@pytest.mark.parametrize("seed", range(30))  # 300 mutants
def test_mutants_give_diagnostics_not_exceptions(seed, tmp_path):
    rng = random.Random(seed)
    for _ in range(10):
        source = rng.choice(SPECS)
        mutant = mutate(source.read_text(encoding="utf-8"), rng)
        spec = tmp_path / "mutant.jql"
        spec.write_text(mutant, encoding="utf-8")
        context = f"seed {seed}, from {source.name}:\n{mutant[:2000]}"
        diagnostics = journeyql.check(spec)
        for d in diagnostics:
            assert d.code in KNOWN, context
            assert d.span.line >= 1 and d.span.column >= 1, context
        for view in FORMATS:  # every report format takes whatever the findings quote
            render(view, diagnostics, 1, {str(spec): mutant})
        try:
            journeyql.parse(mutant, "mutant.jql")
        except journeyql.SpecError:
            pass
        try:
            formatted = format_source(mutant)
        except journeyql.SpecError:
            continue
        try:
            same = journeyql.parse(formatted).content() == journeyql.parse(mutant).content()
        except journeyql.SpecError as error:
            with pytest.raises(journeyql.SpecError) as again:
                journeyql.parse(mutant)
            assert [d.code for d in error.diagnostics] == [d.code for d in again.value.diagnostics], context
            continue
        assert same, context
        assert format_source(formatted) == formatted, context  # `fmt --check` passes after `fmt`
