"""Every syntax error of a file at once: the parser goes on after an error, reports each at its
cause, suppresses follow-on errors and stops at a cap (docs/diagnostics.md)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyql.language.recovery import MAX_SYNTAX_ERRORS, blank
from journeyql.language.syntax import parse_syntax

GOOD = 'persona p{i} "P" {{\n  goal "g"\n}}\n'


def lines_of(text: str) -> list[int]:
    return [d.span.line for d in parse_syntax(text, "t.jql").diagnostics]


def test_errors_in_separate_blocks_are_all_reported_in_order():
    text = "".join(GOOD.format(i=i) for i in range(3))
    broken = text.replace('goal "g"', 'goal: "g"', 1)
    broken += 'persona q "Q" {\n  need "a" "b"\n}\n' + 'persona r "R" {\n  share 10 %\n}\n'
    assert lines_of(broken) == [2, 11, 14]


def test_one_mistake_is_one_error_not_a_cascade():
    # `horizon quick win` would otherwise make `win` a keyword and every later line shift by one
    text = 'improvement f "F" {\n  horizon quick win\n  owner ops\n  effort 2\n  impact 3\n}\n'
    found = parse_syntax(text, "t.jql").diagnostics
    assert [(d.span.line, d.span.column, d.span.end_column) for d in found] == [(2, 11, 20)]


def test_the_count_is_capped_per_file():
    text = "".join(f'persona p{i} "P" {{\n  goal "a" "b"\n}}\n' for i in range(MAX_SYNTAX_ERRORS + 15))
    found = parse_syntax(text, "t.jql").diagnostics
    assert len(found) == MAX_SYNTAX_ERRORS
    assert [d.span.line for d in found] == [2 + 3 * i for i in range(MAX_SYNTAX_ERRORS)]


def test_an_unterminated_long_text_ends_the_report():
    text = 'persona p "P" {\n  context """\n  never closed\n  goal "x" "y"\n}\n'
    found = parse_syntax(text, "t.jql").diagnostics
    assert len(found) == 1


def test_blanking_keeps_positions_and_braces():
    text = 'journey j "J" x {\n  goal "a"\n}\n'
    blanked = blank(text, 1)
    assert len(blanked) == len(text) and blanked.count("\n") == text.count("\n")
    assert blanked.split("\n")[0].strip() == "_ {" and parse_syntax(blanked).ok


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(['persona p "P" {', "}", '  goal "g"', "  goal", '  goal "a" "b"', "  x y z",
                                 "  share 10 %", "  : ;", '  need "open', "  €5", "  wait 3weken", "# c", ""]),
                max_size=30))
def test_any_broken_text_gets_diagnostics_never_an_exception(lines):
    text = "\n".join(lines)
    found = parse_syntax(text, "t.jql").diagnostics
    assert len(found) <= MAX_SYNTAX_ERRORS
    assert all(1 <= d.span.line <= text.count("\n") + 1 for d in found)
    # one report per line at most: follow-on errors on a reported line are suppressed
    assert len({d.span.line for d in found}) == len(found)
