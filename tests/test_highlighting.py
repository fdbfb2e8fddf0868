"""The Pygments lexer: found through Pygments' entry point, every example spec without an error token."""

from __future__ import annotations

from pathlib import Path

import pytest
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Error, Keyword, Name, Number, String

ROOT = Path(__file__).resolve().parents[1]
SPECS = sorted(ROOT.glob("specs/*/*.jql")) + sorted(ROOT.glob("examples/**/*.jql"))


@pytest.mark.parametrize("alias", ["jql", "journeyql"])
def test_pygments_finds_the_lexer_by_its_aliases(alias):
    assert get_lexer_by_name(alias).name == "JourneyQL"
    assert get_lexer_for_filename("journey.jql").name == "JourneyQL"


@pytest.mark.parametrize("path", SPECS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_example_spec_tokenises_without_error_tokens(path):
    text = path.read_text(encoding="utf-8")
    found = list(get_lexer_by_name("jql").get_tokens(text))
    assert [(kind, value) for kind, value in found if kind in Error] == []
    assert "".join(value for _, value in found) == (text if text.endswith("\n") else text + "\n")


def test_tokens_of_each_kind():
    found = [(kind, value) for kind, value in get_lexer_by_name("jql").get_tokens(
        'step s "S" {\n  wait 3d, "a"\n  reach 40%\n  amount 22.50 EUR\n  label.nl "x" # why\n}\n')
        if value.strip()]
    assert (Keyword, "step") in found and (Name, "s") in found and (String, '"S"') in found
    assert (Number, "3d") in found and (Number, "40%") in found and (Number, "22.50 EUR") in found
    assert (Keyword, "label") in found and (Keyword, "nl") in found


def test_a_views_kind_word_is_a_keyword_and_its_name_a_name():
    found = [(kind, value) for kind, value in get_lexer_by_name("jql").get_tokens(
        'step s {\n  for organisation signal { skips yes }\n  for persona sanne {}\n  for henk {}\n}\n')
        if value.strip()]
    assert (Keyword, "organisation") in found and (Name, "signal") in found
    assert (Keyword, "persona") in found and (Name, "sanne") in found and (Name, "henk") in found


def test_a_character_no_token_starts_with_is_an_error_token():
    found = [(kind, value) for kind, value in get_lexer_by_name("jql").get_tokens("impact i {\n  amount €22\n}\n")]
    assert (Error, "€") in found


def test_docs_language_examples_are_jql_and_highlight_cleanly():
    import re

    text = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    examples = re.findall(r"^```jql\n(.*?)^```", text, flags=re.S | re.M)
    assert len(examples) >= 30  # every construct's example (generated) is tagged jql
    lexer = get_lexer_by_name("jql")
    assert [value for example in examples for kind, value in lexer.get_tokens(example) if kind in Error] == []
