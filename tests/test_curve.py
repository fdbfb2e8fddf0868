"""The `emotion-curve` renderer: well-formed, accessible SVG that reads without colour.

Every chart is parsed as XML (a broken escape fails the parse); the series are
found by their groups, so the tests check what is drawn, not pixel positions.
Chromium loading the charts is checked in test_site.py (every <img> must load).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import journeyql
import journeyql.host.testing
from journeyql.measure.results import Metrics, Results

SPECS = Path(__file__).resolve().parent.parent / "specs"
SVG = "{http://www.w3.org/2000/svg}"

#: a 500-character label with braces and a backslash
LONG_LABEL = ("Een heel lang label met een {accolade} en een \\ backslash " * 9)[:500]

#: spec text that tries to break out of every format it lands in (used by test_site.py too)
HOSTILE_SPEC = r'''
organisation acme "Acme <script>window.__pwned=1</script>" {
  sector "energy & 'more'"
}
stakeholder ops "Ops \"quoted\" <img src=x onerror=window.__pwned=2> {braces} \\ back" { kind internal }
stakeholder klant "Klant" { kind customer }
relation klant -> ops "<script>window.__pwned=9</script>" { flows money }
channel web "Web & co" { kind web }
persona p "P <b>bold</b> 🙂" { prefers web  quote "</blockquote><script>window.__pwned=6</script>" }
persona q "Q" { prefers web }
journey j "J <script>window.__pwned=1</script>" {
  organisation acme
  personas p, q
  goal "line one\nline two"
  stage s "S </style><script>window.__pwned=3</script>" {
    step a "<img src=x onerror=\"window.__pwned=4\">" {
      need "I need </dd><script>window.__pwned=7</script>"
      touchpoint t "Form\nline2 \u{1F600}" {
        channel web
        owner ops
        moment negative, "<script>window.__pwned=5</script>"
      }
      expected -1
      target 2
      for p { skips yes  note "<i>note</i>" }
    }
    step b "LONG" {
      touchpoint t2 "T2" { channel web  owner ops }
      expected 1
    }
  }
}
'''.replace("LONG", LONG_LABEL.replace("\\", "\\\\"))

SIMPLE_SPEC = '''
stakeholder ops "Ops" { kind internal }
channel web "Web" { kind web }
persona p "Pia" { prefers web }
persona q "Quinten" { prefers web }
journey j "Journey" {
  personas p, q
  scale -3..3
  stage s1 "First stage" {
    step a "Step A" { touchpoint ta "TA" { channel web  owner ops } expected 1  target 2 }
    step b "Step B" {
      touchpoint tb "TB" { channel web  owner ops  moment critical, "Make or break" }
      expected 2  target 2
      for q { skips yes }
      for p { expected -2 }
    }
  }
  stage s2 "Second stage" {
    step c "Step C" { touchpoint tc "TC" { channel web  owner ops } expected 0  target 1 }
    step d "Step D" { moment positive, "Relief"  touchpoint td "TD" { channel web  owner ops } expected -1  target 1 }
  }
}
'''


def render(spec, results=None, options=None) -> dict[str, ET.Element]:
    result = journeyql.host.testing.render(spec, "emotion-curve", results=results, options=options)
    assert result.ok, result.message
    return {path: ET.fromstring(data) for path, data in result.files.items()}


def measured(values: dict[str, float], persona: dict[tuple[str, str], float] | None = None) -> Results:
    def metrics(value):
        return Metrics(n=30, valence_mean=value, valence_ci=(value - 0.5, value + 0.5), valence_n=30)

    return Results(steps={key: metrics(v) for key, v in values.items()},
                   persona_steps={key: metrics(v) for key, v in (persona or {}).items()})


def group(svg: ET.Element, cls: str) -> ET.Element | None:
    return next((g for g in svg.iter(f"{SVG}g") if cls in (g.get("class") or "").split()), None)


def titles(svg: ET.Element) -> list[str]:
    return [t.text or "" for t in svg.iter(f"{SVG}title")]


def all_text(svg: ET.Element) -> str:
    return " ".join("".join(t.itertext()) for t in svg.iter(f"{SVG}text"))


@pytest.mark.parametrize("workspace", sorted(p.name for p in SPECS.iterdir() if p.is_dir()))
def test_every_example_journey_gives_an_accessible_svg(workspace):
    model = journeyql.load(str(SPECS / workspace))
    charts = render(str(SPECS / workspace))
    for journey in model.journeys:
        svg = charts[f"emotion-curve/{journey.id}.svg"]
        assert svg.tag == f"{SVG}svg" and svg.get("role") == "img"
        first = list(svg)[:2]
        assert [e.tag for e in first] == [f"{SVG}title", f"{SVG}desc"]
        assert svg.get("aria-labelledby") == "curve-title curve-desc"
        assert first[0].text.endswith(journey.text("label", model.locale))
        assert f"{len(journey.steps)} " in first[1].text
        if len(journey.personas) > 1:
            for persona in journey.personas:
                assert f"emotion-curve/{journey.id}--{persona}.svg" in charts
        # no script, no event handler, no external reference
        for element in svg.iter():
            assert not element.tag.endswith("script")
            assert not any(name.startswith("on") or "href" in name for name in element.attrib)
        raw = ET.tostring(svg, encoding="unicode")
        assert "@import" not in raw and "url(" not in raw


def test_measured_series_and_band_only_with_results():
    without = render(SIMPLE_SPEC)["emotion-curve/j.svg"]
    assert group(without, "series-measured") is None and group(without, "band") is None
    assert group(without, "series-expected") is not None and group(without, "series-target") is not None

    results = measured({"j.a": 1.5, "j.b": -1.0, "j.c": 0.25})
    svg = render(SIMPLE_SPEC, results)["emotion-curve/j.svg"]
    series = group(svg, "series-measured")
    assert series is not None
    assert len(list(series.iter(f"{SVG}circle"))) == 3        # one marker per measured step
    assert "Step A: measured +1.5 [+1, +2] (n=30)" in titles(svg)
    band = group(svg, "band")
    assert len(list(band.iter(f"{SVG}polygon"))) == 1          # a, b, c are adjacent: one band
    assert "measured" in all_text(group(svg, "legend"))
    assert "confidence interval" in all_text(group(svg, "legend"))


def test_series_read_without_colour():
    svg = render(SIMPLE_SPEC, measured({"j.a": 1.5, "j.b": -1.0}))["emotion-curve/j.svg"]
    dashes, shapes = {}, {}
    for name in ("expected", "target", "measured"):
        series = group(svg, f"series-{name}")
        line = next(series.iter(f"{SVG}path"))
        dashes[name] = line.get("stroke-dasharray", "none")
        marker = next(g for g in series.iter(f"{SVG}g") if g.find(f"{SVG}title") is not None)
        shapes[name] = [c.tag for c in marker if c.tag != f"{SVG}title"][0] + (
            "" if marker.find(f"{SVG}path") is None else "-path")
    assert len(set(dashes.values())) == 3, dashes
    assert len(set(shapes.values())) == 3, shapes
    direct = all_text(group(svg, "direct-labels"))
    assert all(name in direct for name in ("expected", "target", "measured"))
    legend = group(svg, "legend")
    for name in ("expected", "target", "measured"):
        sample = group(legend, f"legend-{name}")
        assert sample.find(f"{SVG}line").get("stroke-dasharray", "none") == dashes[name]


def test_moments_of_truth_marked_with_polarity_and_text():
    svg = render(SIMPLE_SPEC)["emotion-curve/j.svg"]
    moments = [m for m in svg.iter(f"{SVG}g") if m.get("class") == "moment"]
    assert len(moments) == 2
    symbols = sorted("".join(m.find(f"{SVG}text").itertext()) for m in moments)
    assert symbols == ["!", "+"]
    tips = [m.find(f"{SVG}title").text for m in moments]
    assert "Moment of truth (critical): TB \u2014 Make or break" in tips
    assert "Moment of truth (positive): Step D \u2014 Relief" in tips


def test_largest_gaps_are_numbered_largest_first():
    # expected: a 1, b 2, c 0, d -1; measured gaps: a -2.5, b +0.5, c -1, d +3
    results = measured({"j.a": -1.5, "j.b": 2.5, "j.c": -1.0, "j.d": 2.0})
    svg = render(SIMPLE_SPEC, results)["emotion-curve/j.svg"]
    labels = [all_text(g) for g in svg.iter(f"{SVG}g") if g.get("class") == "gap"]
    assert labels == ["1. \u0394 +3", "2. \u0394 -2.5", "3. \u0394 -1"]
    none = render(SIMPLE_SPEC, results, options={"gaps": 0})["emotion-curve/j.svg"]
    assert group(none, "gaps") is None


def test_one_chart_per_persona_with_its_own_view():
    results = measured({"j.a": 1.0}, persona={("p", "j.a"): -2.5, ("q", "j.a"): 2.5})
    charts = render(SIMPLE_SPEC, results)
    assert sorted(charts) == ["emotion-curve/j--p.svg", "emotion-curve/j--q.svg", "emotion-curve/j.svg"]
    pia = charts["emotion-curve/j--p.svg"]
    assert "Step B: expected -2" in titles(pia)                # the persona's own expected score
    assert "Step A: measured -2.5 [-3, -2] (n=30)" in titles(pia)  # the persona's own answers
    quinten = charts["emotion-curve/j--q.svg"]
    assert "(skipped)" in all_text(group(quinten, "steps"))
    assert not any(t.startswith("Step B: expected") for t in titles(quinten))
    assert "Step A: measured +2.5 [+2, +3] (n=30)" in titles(quinten)
    assert not render(SIMPLE_SPEC, options={"personas": False}).keys() - {"emotion-curve/j.svg"}


def test_hostile_labels_stay_text():
    result = journeyql.host.testing.render(HOSTILE_SPEC, "emotion-curve")
    assert result.ok, result.message
    for path, data in result.files.items():
        svg = ET.fromstring(data)                              # well-formed despite quotes, <, &, braces
        for element in svg.iter():
            assert not element.tag.endswith(("script", "img", "foreignObject"))
            assert not any(name.startswith("on") for name in element.attrib)
        text = "\n".join(titles(svg))
        assert "J <script>window.__pwned=1</script>" in text
        assert '<img src=x onerror="window.__pwned=4">' in text
        assert "<script" not in data.decode("utf-8")


def test_long_labels_are_wrapped_with_the_full_text_in_a_title():
    svg = render(HOSTILE_SPEC)["emotion-curve/j.svg"]
    long = " ".join(LONG_LABEL.split())
    assert len(LONG_LABEL) == 500
    steps = group(svg, "steps")
    label = next(g for g in steps.findall(f"{SVG}g") if g.find(f"{SVG}title").text == long)
    lines = ["".join(t.itertext()) for t in label.iter(f"{SVG}tspan")]
    assert 1 < len(lines) <= 4
    assert all(len(line) <= 20 for line in lines)
    assert lines[-1].endswith("\u2026")


def _journey(steps: int) -> str:
    per_stage = 30
    stages = []
    for s in range(0, steps, per_stage):
        body = "\n".join(f'step s{n} "Step {n}" {{ touchpoint t{n} "T{n}" {{ channel web  owner ops }} '
                         f'expected {(n % 7) - 3}  target {min(3, (n % 5) - 1)} }}'
                         for n in range(s, min(steps, s + per_stage)))
        stages.append(f'stage g{s} "Stage {s}" {{\n{body}\n}}')
    return ('stakeholder ops "Ops" { kind internal }\nchannel web "Web" { kind web }\n'
            'journey big "Big" {\n' + "\n".join(stages) + "\n}\n")


@pytest.mark.parametrize("steps", [1, 300])
def test_one_and_three_hundred_steps(steps):
    results = measured({f"big.s{n}": 0.5 for n in range(steps)})
    svg = render(_journey(steps), results)["emotion-curve/big.svg"]
    width = int(svg.get("width"))
    assert width >= 64 * steps and svg.get("viewBox") == f"0 0 {width} {svg.get('height')}"
    step_titles = [g.find(f"{SVG}title").text for g in group(svg, "steps").findall(f"{SVG}g")]
    assert step_titles == [f"Step {n}" for n in range(steps)]
    assert len(list(group(svg, "series-expected").iter(f"{SVG}rect"))) == steps
    assert len(list(group(svg, "series-measured").iter(f"{SVG}circle"))) == steps
    stage_count = len(list(group(svg, "stages").iter(f"{SVG}rect")))
    assert stage_count == -(-steps // 30)


def test_deterministic_and_localised():
    first = journeyql.host.testing.render(str(SPECS / "energie-verhuizen"), "emotion-curve")
    second = journeyql.host.testing.render(str(SPECS / "energie-verhuizen"), "emotion-curve")
    assert first.files == second.files
    dutch = ET.fromstring(first.files["emotion-curve/verhuizen.svg"])
    assert dutch.find(f"{SVG}title").text == "Emotiecurve: Verhuizen"
    assert "verwacht" in all_text(group(dutch, "legend"))
    # the workspace's other locale (en) gets twins for the site's English copy
    twin = ET.fromstring(first.files["emotion-curve/verhuizen.en.svg"])
    assert twin.find(f"{SVG}title").text == "Emotional curve: Moving house"
    assert "emotion-curve/verhuizen--henk.en.svg" in first.files
    chosen = render(str(SPECS / "energie-verhuizen"), options={"locale": "en"})
    english = chosen["emotion-curve/verhuizen.svg"]
    assert english.find(f"{SVG}title").text == "Emotional curve: Moving house"
    assert "Orientation" in all_text(group(english, "stages"))
    assert not [path for path in chosen if path.endswith(".en.svg")]   # a chosen locale: one set of charts


def test_scale_and_zero_line_follow_the_journey():
    spec = SIMPLE_SPEC.replace("scale -3..3", "scale 1..5").replace("expected -1", "expected 1") \
        .replace("expected 0", "expected 3").replace("for p { expected -2 }", "for p { expected 2 }")
    svg = render(spec)["emotion-curve/j.svg"]
    ticks = [t.text for t in group(svg, "scale").iter(f"{SVG}text") if re.fullmatch(r"[-+]?\d+", t.text or "")]
    assert ticks == ["+1", "+2", "+3", "+4", "+5"]
    zero = render(SIMPLE_SPEC)["emotion-curve/j.svg"]
    widths = [line.get("stroke-width") for line in group(zero, "scale").iter(f"{SVG}line")]
    assert widths.count("1.5") == 1                            # one strong zero line on -3..3
    assert "1.5" not in [line.get("stroke-width") for line in group(svg, "scale").iter(f"{SVG}line")]


def test_small_samples_are_marked_and_too_small_ones_not_drawn():
    """n below report_n: the point gets a visible dagger and the legend says why; below show_n: no point."""
    def metrics(value, n, sample):
        return Metrics(n=n, valence_mean=value, valence_ci=(value - 0.5, value + 0.5), valence_n=n, sample=sample)

    results = Results(steps={"j.a": metrics(1.5, 40, "ok"), "j.b": metrics(-1.0, 12, "small"),
                             "j.c": metrics(0.25, 3, "too_small")}, report_n=30, show_n=5)
    svg = render(SIMPLE_SPEC, results)["emotion-curve/j.svg"]
    series = group(svg, "series-measured")
    assert len(list(series.iter(f"{SVG}circle"))) == 2       # step C (n=3) is not shown at all
    assert not any(t.startswith("Step C: measured") for t in titles(svg))
    assert "Step B: measured -1 [-1.5, -0.5] (n=12, small sample)" in titles(svg)
    marks = group(svg, "small-samples")
    assert marks is not None and all_text(marks).split() == ["\u2020"]   # one dagger, at step B
    legend = all_text(group(svg, "legend"))
    assert "\u2020 small sample (n < 30): read with care" in legend
    band = group(svg, "band")
    assert len(list(band.iter(f"{SVG}polygon"))) == 1        # a and b only


def test_no_small_sample_legend_without_small_samples():
    svg = render(SIMPLE_SPEC, measured({"j.a": 1.5}))["emotion-curve/j.svg"]
    assert group(svg, "small-samples") is None
    assert "small sample" not in all_text(group(svg, "legend"))
