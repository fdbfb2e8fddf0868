"""The reference documentation is complete and in step with the code."""

from __future__ import annotations

import re
from pathlib import Path

from journeyql.language import reference
from journeyql.diagnostics import all_codes
from journeyql.language.schema import all_specs

ROOT = Path(__file__).resolve().parents[1]


def test_generated_sections_are_up_to_date():
    for relative, sections in reference.GENERATED.items():
        text = (ROOT / relative).read_text(encoding="utf-8")
        assert reference.render_into(text, sections) == text, (
            f"{relative} is out of date: run `python -m journeyql.language.reference`")


def test_every_keyword_is_documented():
    text = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    for spec in all_specs():
        assert f"### {spec.keyword}" in text
        for keyword in (*spec.attrs, *spec.blocks):
            assert f"`{keyword}`" in text, keyword


def test_every_construct_has_an_example():
    text = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    keywords = {spec.keyword for spec in all_specs()}
    sections = [s for s in re.split(r"^### ", text, flags=re.M)[1:] if s.split("\n", 1)[0] in keywords]
    assert len(sections) == len(keywords)
    missing = [s.split("\n", 1)[0] for s in sections if "Example (from `specs/`)" not in s]
    assert missing == []


def test_every_code_is_documented():
    text = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    for code in all_codes():
        assert f"`{code.code}`" in text and f"`{code.name}`" in text, code.code


def test_readme_commands_are_what_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```sh\n(.+?)\n```", readme)
    assert len(commands) >= 2
    assert "journeyql" in commands[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci
