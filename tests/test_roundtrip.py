"""Generated specs survive formatting: parse(fmt(text)) says what parse(text) says, in any layout."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from pydantic import BaseModel

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import journeyql
from journeyql.language.formatter import format_source, quote

# generated names start with `n`, apart from the fixed ones below (el, em, im, cx, plan, imp, st0, ...)
names = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).map(lambda s: "n" + s)
texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)
scores = st.integers(-3, 3)


@st.composite
def workspaces(draw):
    ids = draw(st.lists(names, min_size=8, max_size=14, unique=True))
    owner, customer, channel, persona, journey, *rest = ids
    lines = [
        f"stakeholder {owner} {quote(draw(texts))} {{ kind internal }}",
        f"stakeholder {customer} {quote(draw(texts))} {{ kind customer }}",
        f"relation {customer} -> {owner} {quote(draw(texts))} {{ flows money, {quote(draw(texts))} }}",
        f"channel {channel} {quote(draw(texts))} {{ kind {draw(st.sampled_from(['web', 'phone', 'paper']))} }}",
        f"persona {persona} {quote(draw(texts))} {{",
        f"  context {quote(draw(texts))}",
        *(f"  need {quote(t)}" for t in draw(st.lists(texts, max_size=3))),
        f"  share {draw(st.integers(0, 100))}%",
        f"  prefers {channel}",
        "}",
        f"journey {journey} {quote(draw(texts))} {{",
        f"  personas {persona}",
        f"  volume {draw(st.integers(0, 10**6))}",
    ]
    touchpoints = []
    local = rest[:]
    for s in range(draw(st.integers(1, 2))):
        lines.append(f"  stage st{s} {quote(draw(texts))} {{")
        for k in range(draw(st.integers(1, 3))):
            step = f"sp{s}_{k}"
            tp = f"tp{s}_{k}"
            touchpoints.append(tp)
            lines += [
                f"    step {step} {quote(draw(texts))} {{",
                f"      action {quote(draw(texts))}",
                f"      touchpoint {tp} {quote(draw(texts))} {{ channel {channel}  owner {owner}"
                f"  reach {draw(st.integers(0, 100))}% }}",
                f"      backstage {quote(draw(texts))} {{ owner {owner} }}",
                f"      wait {draw(st.integers(1, 99))}{draw(st.sampled_from(['min', 'h', 'd', 'w']))}, {quote(draw(texts))}",
                f"      expected {draw(scores)}",
                f"      target {draw(scores)}",
                "    }",
            ]
        lines.append("  }")
    lines.append("}")
    lines += [
        f"measurement plan {quote(draw(texts))} {{ journey {journey}  valence -3..3  nps {quote(draw(texts))}"
        f"  sample {', '.join(touchpoints)}, end  kpi nps >= {draw(st.integers(-100, 100))} }}",
        f"model cx {quote(draw(texts))} {{ element el \"E\" {{ at {touchpoints[0]} }}"
        f"  emotion em \"M\" {{}}  impact im \"I\" {{ amount {draw(st.integers(0, 999))}.50 EUR }}"
        f"  link el -> em -> im }}",
        f"improvement imp {quote(draw(texts))} {{ changes {touchpoints[-1]}  effort {draw(st.integers(1, 5))}"
        f"  confidence {draw(st.integers(0, 100))}% }}",
    ]
    return "\n".join(lines) + "\n"


def _relayout(text: str, seed: int) -> str:
    """The same tokens with other white space: the formatter must undo it."""
    rng = random.Random(seed)
    out = []
    in_string = escaped = False
    for index, ch in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            out.append(ch)
            continue
        if ch == '"':
            in_string = True
        # blank lines are the one piece of layout the formatter keeps, so none are added
        next_is_newline = text[index + 1:].lstrip(" \t").startswith("\n")
        previous_is_newline = "".join(out).rsplit("\n", 1)[-1].strip() == ""
        inside_amount = ch == " " and text[index - 1: index].isdigit() and text[index + 1: index + 2].isupper()
        if ch == " " and not inside_amount and rng.random() < 0.5:  # `6.50 EUR` is one token
            choices = [" ", "  ", "\t"]
            if not next_is_newline and not previous_is_newline:
                choices.append("\n  ")
            out.append(rng.choice(choices))
        elif ch == "\n" and rng.random() < 0.5:
            out.append(rng.choice(["\n    ", "\n\t"]))
        else:
            out.append(ch)
    return "".join(out)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workspaces())
def test_format_keeps_the_model(text):
    model = journeyql.parse(text)
    formatted = format_source(text)
    assert journeyql.parse(formatted).content() == model.content()
    assert format_source(formatted) == formatted


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workspaces(), st.integers(0, 10**6))
def test_any_layout_formats_the_same(text, seed):
    canonical = format_source(text)
    assert format_source(_relayout(text, seed)) == canonical


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workspaces())
def test_constructed_model_equals_validated_model(text):
    """check builds the model without validation (construct.py): it must equal the validated one."""
    from pathlib import Path

    from journeyql.workspace.config import Config
    from journeyql.workspace import Source, WorkspaceSources, analyse

    sources = WorkspaceSources(Path("."), [Source("x.jql", text)], Config())
    assert analyse(sources, validate=False).workspace == analyse(sources, validate=True).workspace


# What the formatter must keep whatever the text holds: the characters Python's str.strip,
# str.splitlines and textwrap.dedent treat as white space or line breaks (CR, VT, FF, FS..US,
# NEL, U+2028/2029), and the quotes and backslashes a literal is made of.
_TRICKY = list("\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029 \t\n\"\\u{}a")
tricky_texts = st.text(st.sampled_from(_TRICKY) | st.characters(blacklist_categories=("Cs",)), max_size=30)


def _persona(literal: str) -> str:
    return f'persona p "P" {{\n  context {literal}\n  need "n"\n}}\n'


def _assert_formats_stably(text: str) -> None:
    model = journeyql.parse(text).content()
    formatted = format_source(text)
    assert journeyql.parse(formatted).content() == model
    assert format_source(formatted) == formatted


@settings(max_examples=300, deadline=None)
@given(tricky_texts, st.sampled_from(['"""{}"""', '"""\n    {}\n    """', '"{}"']))
@example("a\n\r", '"""\n    {}\n    """')  # a line of CR only, before the closing quotes
@example("a\n\x0b", '"""\n    {}\n    """')  # a line of VT only, before the closing quotes
@example("a\n\x0c", '"""\n    {}\n    """')  # a line of FF only, before the closing quotes
@example("a\n\x1c", '"""\n    {}\n    """')  # a line of FS only, before the closing quotes
@example("a\n\x85", '"""\n    {}\n    """')  # a line of NEL only, before the closing quotes
@example("a\n\u2028", '"""\n    {}\n    """')  # a line of U+2028 only, before the closing quotes
def test_any_literal_that_parses_formats_stably(body, shape):
    """Raw literals as an author (or a fuzzer) writes them, not as quote() writes them."""
    text = _persona(shape.format(body))
    try:
        journeyql.parse(text)
    except journeyql.SpecError:
        assume(False)
    _assert_formats_stably(text)


@settings(max_examples=300, deadline=None)
@given(tricky_texts.filter(lambda t: t.strip()))
def test_a_long_text_is_written_so_it_decodes_to_itself(value):
    """Whatever a triple-quoted literal holds (escapes included), fmt writes it back to the same value."""
    text = _persona('"""\n    ' + quote(value)[1:-1] + '\n    """')
    context = journeyql.parse(text).personas[0].context
    formatted = format_source(text)
    assert formatted.count('"""') == 2  # stays a long literal
    assert journeyql.parse(formatted).personas[0].context == context
    assert format_source(formatted) == formatted


def _model_construct(cls, data):
    """construct.py's conversions, with pydantic's own ``model_construct`` building each object."""
    from journeyql.language.construct import _plan

    values = {}
    for name, kind, model, _default, _factory in _plan(cls):
        if name not in data:
            continue
        value = data[name]
        if value is None or kind == "plain":
            values[name] = value
        elif kind == "model":
            values[name] = value if isinstance(value, BaseModel) else _model_construct(model, value)
        elif kind == "models":
            values[name] = tuple(_model_construct(model, item) for item in value)
        else:
            values[name] = tuple(value)
    return cls.model_construct(**values)


def _same_objects(a, b):
    assert type(a) is type(b)
    if isinstance(a, BaseModel):
        assert a.__dict__.keys() == b.__dict__.keys() and a.model_fields_set == b.model_fields_set
        assert a.__pydantic_extra__ == b.__pydantic_extra__ and a.__pydantic_private__ == b.__pydantic_private__
        for name in a.__dict__:
            _same_objects(a.__dict__[name], b.__dict__[name])
    elif isinstance(a, (tuple, list)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _same_objects(x, y)
    else:
        assert a == b


@pytest.mark.parametrize("spec", sorted(p.name for p in (Path(__file__).parent.parent / "specs").iterdir()
                                        if p.is_dir()))
def test_construct_makes_what_model_construct_makes(spec):
    """construct.py fills in fields and defaults itself (model_construct is slow): the same objects,
    defaults, fields set and all, as pydantic's model_construct on the same data."""
    from journeyql.language.construct import construct
    from journeyql.language.model import Workspace

    model = journeyql.load(Path(__file__).parent.parent / "specs" / spec)
    data = model.model_dump(exclude_unset=True)
    made = construct(Workspace, data)
    _same_objects(made, _model_construct(Workspace, data))
    assert made == model
    # a mutable default is the object's own, as pydantic gives it
    first = made.journeys[0].stages[0]
    assert first.translations is not construct(type(first), {"id": "x", "label": "x"}).translations
