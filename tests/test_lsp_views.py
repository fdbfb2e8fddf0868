"""Completion and hover know a view's kind word: `for organisation x`, `for persona x` (telecom example)."""

from __future__ import annotations

import shutil
from pathlib import Path

from journeyql.lsp.completion import complete
from journeyql.lsp.cursor import cursor_at
from journeyql.lsp.hover import hover_text
from journeyql.lsp.names import NameIndex
from journeyql.workspace import analyse, discover

ROOT = Path(__file__).resolve().parents[1]


def _index(tmp_path) -> NameIndex:
    target = tmp_path / "telecom"
    shutil.copytree(ROOT / "specs" / "telecom-switch", target)
    analysis = analyse(discover([target])[0], validate=None, keep_names=True)
    return NameIndex(*analysis.names)


STEP = 'journey switch "S" {\n  stage s "S" {\n    step x "X" {\n      for |\n    }\n  }\n}\n'
TOUCHPOINT = 'journey switch "S" {\n  stage s "S" {\n    step x "X" {\n      touchpoint t "T" {\n        for |\n      }\n    }\n  }\n}\n'


def _labels(template: str, typed: str, index: NameIndex) -> set[str]:
    text = template.replace("|", typed)
    offset = template.index("|") + len(typed)
    return {item.label for item in complete(cursor_at(text, offset), index)}


def test_completion_after_for_offers_the_kind_words_and_the_names(tmp_path):
    index = _index(tmp_path)
    in_step = _labels(STEP, "", index)
    assert {"organisation", "persona", "lumen", "signal", "gerrit"} <= in_step
    assert _labels(STEP, "organisation ", index) == {"lumen", "signal"}
    assert "gerrit" in _labels(STEP, "persona ", index) and "signal" not in _labels(STEP, "persona ", index)
    # a touchpoint's view names an organisation only
    in_touchpoint = _labels(TOUCHPOINT, "", index)
    assert {"organisation", "lumen", "signal"} <= in_touchpoint and not {"persona", "gerrit"} & in_touchpoint
    assert _labels(TOUCHPOINT, "persona ", index) == set()


def test_hover_on_the_kind_word_says_what_the_name_must_be(tmp_path):
    index = _index(tmp_path)
    text = STEP.replace("|", "organisation signal { }")
    offset = text.index("organisation")
    shown = hover_text(text, offset, "organisation", index, "x.jql", 4, 11)
    assert "for organisation" in shown and "must be an organisation" in shown
