"""The parser's two paths (statement fast path, full token grammar) accept the same language."""

from __future__ import annotations

import glob
import random
import re
from pathlib import Path

import pytest
from lark import Lark

from journeyql.language import syntax
from journeyql.language.scanner import TOKENS

ROOT = Path(__file__).resolve().parents[1]
GRAMMAR = (ROOT / "journeyql" / "language" / "grammar.lark").read_text(encoding="utf-8")

SAMPLE = r'''
# a header comment
organisation energo "Energo" { sector energy  locale nl }   # trailing
relation customer->energo "pays" { flows money, "trust" }
persona sanne "Sanne" {  # after the brace
  context """
     Sanne (29) "verhuist".
       Ze is druk \\ echt.
  """
  goal "Snel \"geregeld\"",   # between values
     "tweede"
  label . en "Sanne"
  share 30%
}
step x "Y" { wait 5d, "bevestiging"  expected -2, irritation  cost 4.50 EUR  cost2 7EUR  scale -3..3
  kpi faq.valence>=1  kpi nps >= 20%  link a->b -> c.d  n 12  d 20min }
model m { link a -> b { rate 30% } }
step v { for organisation  acme "At Acme" { note "x" }  for persona sanne
  # between header and brace
  { skips yes }  for team t { }  for y { }  kpi a >= 1 for organisation b { } }
measurement m { kpi slot.valence no worse than previous, nps no  worse than	previous
  kpi a.b
    no worse than previous  kpi c >= 1  kpi d no worse than previously }
'''


def _dump(nodes):
    out = []
    for n in nodes:
        if isinstance(n, syntax.Attribute):
            out.append(("A", n.key, n.key_span, [(v.kind, v.text, repr(v.value), v.span) for v in n.values], n.span))
        else:
            out.append(("B", n.key, n.key_span, n.name and (n.name.kind, n.name.text, n.name.span), n.label,
                        n.label_span, n.label_raw, n.span, n.header_end_line, n.open_column, n.depth, _dump(n.body),
                        n.kind and (n.kind.kind, n.kind.text, n.kind.span)))
    return out


def _both(text: str):
    result = syntax.SyntaxFile("x.jql", text)
    full = syntax._parse_full(text, "x.jql", result)
    fast = syntax._parse_fast(text, "x.jql")
    return full, result, fast


def _texts():
    texts = [SAMPLE]
    for path in sorted(glob.glob(str(ROOT / "specs" / "**" / "*.jql"), recursive=True)):
        texts.append(Path(path).read_text(encoding="utf-8"))
    return texts


@pytest.mark.parametrize("index", range(len(_texts())))
def test_fast_and_full_paths_build_identical_trees(index):
    text = _texts()[index]
    full, result, fast = _both(text)
    assert full is not None, result.diagnostics
    assert fast is not None, "the fast path refused a valid spec"
    assert _dump(fast[0]) == _dump(full)
    assert fast[1] == result.comments


def test_paths_agree_on_mutated_text():
    """Whatever a mutation does, the fast path never accepts what the full grammar rejects, nor builds other trees."""
    rng = random.Random(7)
    base = SAMPLE
    alphabet = ['"', "{", "}", ",", ".", "-", ">", "=", "#", "\n", " ", "5", "d", "EUR", "%", "..", "x", "é",
                " for organisation x ", " no worse than previous ", "->"]
    for _ in range(400):
        text = list(base)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(text))
            if rng.random() < 0.5:
                del text[i]
            else:
                text.insert(i, rng.choice(alphabet))
        mutant = "".join(text)
        full, result, fast = _both(mutant)
        if full is None:
            assert fast is None, f"fast path accepted text the grammar rejects:\n{mutant}"
        elif fast is not None:
            assert _dump(fast[0]) == _dump(full), mutant
            assert fast[1] == result.comments, mutant


def test_the_two_word_tokens_are_never_split_differently():
    """`for organisation x {` and `no worse than previous` are single tokens where the grammar expects them;
    elsewhere the fast path leaves the text to the full grammar rather than guess."""
    kpi = "measurement m {\n  kpi slot.valence no worse than previous\n}\n"
    full, result, fast = _both(kpi)
    assert [v.kind for v in full[0].body[0].values] == ["relative"] and _dump(fast[0]) == _dump(full)
    assert full[0].body[0].values[0].value[0].text == "slot.valence"
    # after a text the phrase is no value: three statements (the binder then says `no` is no keyword)
    after_text = 'x {\n  note "a" no worse than previous\n}\n'
    full, result, fast = _both(after_text)
    assert [a.key for a in full[0].body] == ["note", "no", "than"] and fast is None
    # after a chain the grammar lexes the phrase and refuses it; so does the fast path
    full, result, fast = _both("x {\n  link a -> b no worse than previous\n}\n")
    assert full is None and fast is None and result.diagnostics[0].span.line == 2
    view = "step s {\n  for organisation x { }\n  for x { }\n}\n"
    full, result, fast = _both(view)
    assert [(b.kind and b.kind.text, b.name.text) for b in full[0].body] == [("organisation", "x"), (None, "x")]
    assert _dump(fast[0]) == _dump(full)


PROBES = ['"a"', '"a\\"b"', '"""x\n"y"\n"""', '"x\n"', "-3..3", "1.5..2", "4.50 EUR", "7EUR", "4.50  EUR", "30%",
          "-2.5%", "5d", "20min", "3mo", "2y", "5dd", "12", "-1", "1.", "abc", "_x1", "été", "1abc", ">=", "<", "=",
          "==", "# note", " \t\n", "\ufeff", "", "EUR", "5 eur", "for organisation x", "for  x", "no worse than previous",
          "no worse than previously", "no worse"]


def test_token_patterns_match_grammar():
    """scanner.TOKENS and grammar.lark define the same tokens (compared by what they match)."""
    parser = Lark(GRAMMAR, parser="lalr")
    grammar_patterns = {t.name: re.compile(t.pattern.to_regexp()) for t in parser.terminals}
    for name, pattern in TOKENS.items():
        ours = re.compile(pattern)
        for probe in PROBES:
            assert bool(ours.fullmatch(probe)) == bool(grammar_patterns[name].fullmatch(probe)), (name, probe)


def test_grammar_is_strict_lalr():
    """No shift/reduce or reduce/reduce conflicts and no terminal collisions."""
    pytest.importorskip("interegular")
    Lark(GRAMMAR, parser="lalr", lexer="contextual", strict=True)


def test_every_terminal_is_named():
    parser = Lark(GRAMMAR, parser="lalr")
    anonymous = [t.name for t in parser.terminals if re.match(r"__|ANON", t.name)]
    assert anonymous == []
    words = syntax.TOKEN_WORDS
    assert {t.name for t in parser.terminals if t.name not in ("WS", "COMMENT")} <= set(words)


def test_big_input_is_linear_in_statements():
    """Appending to the body must not copy it: 20,000 statements parse into one flat list."""
    text = "".join(f'persona p{i} "P{i}" {{ goal "g" }}\n' for i in range(20000))
    parsed = syntax.parse_syntax(text, "big.jql")
    assert parsed.ok and len(parsed.statements) == 20000


@pytest.mark.parametrize("values", ["²x", "٣", "1٣", "²x, ٣", "٣%, ²", "-٣..٣", "٣d", "7 EUR, ٣٣"])
def test_values_of_other_scripts_digits_read_alike_on_both_paths(values):
    """`²` is a letter-like character to \\w but a digit to str.isdigit(); `٣` is a decimal digit of
    another script: the fast path sorts such values as the grammar does (`²x` once crashed it)."""
    text = f'persona p "P" {{\n  goal {values}\n}}\n'
    full, result, fast = _both(text)
    assert fast is not None and full is not None, result.diagnostics
    assert _dump(fast[0]) == _dump(full)
