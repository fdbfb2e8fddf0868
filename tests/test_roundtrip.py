"""Generated specs survive formatting: parse(fmt(text)) says what parse(text) says, in any layout."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
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
