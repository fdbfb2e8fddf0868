"""White space inside a statement never changes its meaning: wherever one blank is allowed, any run of
blanks (spaces and tabs) reads the same."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyql.language.formatter import format_source
from journeyql.language.highlight import tokens
from journeyql.language.syntax import parse_syntax

ROOT = Path(__file__).resolve().parents[1]
SPECS = {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in sorted((ROOT / "specs").rglob("*.jql"))}
# a spec with every kind of value, separators and comparisons, each after one blank
FORMS = """\
model m "M" {
  emotion irritation { valence negative }
  impact call "Call" { amount 6.10 EUR per call }
  link irritation -> call { rate 30% strength 0.5 }
}
journey j "J" {
  scale -3..3
  stage s "S" { step a "A" { wait 3d, "x" expected -2, irritation } }
}
measurement pulse "P" { journey j kpi nps >= 30, a.ces_mean <= 2.5 }
"""
SPECS["forms"] = FORMS


def blanks(text: str) -> list[tuple[int, int]]:
    """(start, end) of every run of blanks inside a line, outside texts and comments."""
    return [(t.start, t.start + len(t.text)) for t in tokens(text)
            if t.kind == "space" and "\n" not in t.text and t.start > 0 and text[t.start - 1] != "\n"]


def test_two_spaces_or_a_tab_between_amount_and_currency_read_as_one_space():
    one = parse_syntax('model m { impact c { amount 6.10 EUR\n per call } }')
    for gap in ("  ", "\t", " \t  "):
        other = parse_syntax(f'model m {{ impact c {{ amount 6.10{gap}EUR\n per call }} }}')
        assert other.ok, other.diagnostics
        amount = other.statements[0].body[0].body[0]
        assert (amount.key, amount.values[0].kind, amount.values[0].value) == ("amount", "money", (6.1, "EUR"))
    assert one.ok


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_run_of_blanks_where_one_is_allowed_reads_the_same(data):
    name = data.draw(st.sampled_from(sorted(SPECS)))
    text = SPECS[name]
    gaps = blanks(text)
    chosen = data.draw(st.lists(st.sampled_from(gaps), min_size=1, max_size=40, unique=True))
    runs = [data.draw(st.text(st.sampled_from(" \t"), min_size=1, max_size=4)) for _ in chosen]
    changed = text
    for (start, end), run in sorted(zip(chosen, runs), reverse=True):
        changed = changed[:start] + run + changed[end:]
    assert format_source(changed, name) == format_source(text, name)
