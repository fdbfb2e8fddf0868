"""The journey after the plan in the outputs: the to-be curve against the as-is curve, the to-be
blueprint, and the site's as-is/to-be section (all from journeyql.to_be)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import journeyql
import journeyql.host.testing

SPECS = Path(__file__).resolve().parents[1] / "specs"
MUNICIPALITY = SPECS / "municipality-services"
SVG = "{http://www.w3.org/2000/svg}"


def _render(renderer: str, spec=MUNICIPALITY, **kwargs) -> dict[str, bytes]:
    result = journeyql.host.testing.render(spec, renderer, **kwargs)
    assert result.ok, result.message
    return result.files


def _points(svg: ET.Element, series: str) -> list[tuple[float, float]]:
    group = next(g for g in svg.iter(f"{SVG}g") if f"series-{series}" in (g.get("class") or ""))
    path = next(group.iter(f"{SVG}path")).get("d")
    return [(float(x), float(y)) for x, y in re.findall(r"[ML]([-\d.]+) ([-\d.]+)", path)]


def test_the_to_be_curve_plots_after_the_plan_against_before_it():
    files = _render("emotion-curve")
    assert "emotion-curve/passport--to-be.svg" in files
    # journeys the plan does not change get no to-be chart
    assert not any(name.endswith("--to-be.svg") for name in files if "passport" not in name)
    svg = ET.fromstring(files["emotion-curve/passport--to-be.svg"])
    texts = " ".join("".join(t.itertext()) for t in svg.iter(f"{SVG}text"))
    assert "as-is and to-be" in texts and "(new)" in texts
    assert "as-is (expected)" in texts and "to-be (after the plan)" in texts
    to_be, as_is = _points(svg, "to_be"), _points(svg, "expected")
    # five columns after the plan; the as-is line has a point on the four steps it had and runs past the new one
    assert len(to_be) == 5 and len(as_is) == 4
    xs = sorted({x for x, _ in to_be})
    assert [x for x, _ in as_is] == [xs[0], xs[1], xs[2], xs[4]]

    def score(y: float) -> float:  # the y of +3 and -3 from the chart's own scale ticks
        return round(3 - (y - top) / (bottom - top) * 6, 6)

    ticks = {("".join(t.itertext())): float(t.get("y")) - 4 for t in svg.iter(f"{SVG}text")
             if (t.get("text-anchor") == "end" and "".join(t.itertext()) in ("+3", "-3"))}
    top, bottom = ticks["+3"], ticks["-3"]
    assert [score(y) for _, y in to_be] == [0, 1, 1, 1, 0]   # wait_ready: -1 -> +1, book_pickup new at +1
    assert [score(y) for _, y in as_is] == [0, 1, -1, 0]


def test_the_to_be_blueprint_marks_what_the_plan_adds():
    files = _render("blueprint", options={"svg": False})
    # the label text of every box, its wrapped lines joined again
    def flat(name: str) -> str:
        return " ".join(re.sub(r"\\[lnr]", " ", files[name].decode()).split())

    dot, as_is = flat("blueprint/passport--to-be.dot"), flat("blueprint/passport.dot")
    assert "to-be, after the plan" in dot
    assert "✚ new: Text message: your passport is ready" in dot
    assert "Book a pick-up time" in dot and "Book a pick-up time" not in as_is
    assert "Text message: your passport is ready" not in as_is
    assert "before the plan: -1 expected" in dot  # the step whose emotion the plan changes
    assert "channel: Text message" in dot and "owner: Passports and ID cards" in dot


def test_the_site_shows_as_is_and_to_be_side_by_side(tmp_path):
    from journeyql.cli import main

    out = tmp_path / "site"
    code = main(["build", str(MUNICIPALITY), "-o", str(out)])
    assert code == 0
    page = (out / "journeys" / "passport.html").read_text(encoding="utf-8")
    section = page[page.index('<section id="to-be"'):]
    section = section[:section.index("</section>")]
    text = re.sub(r"<[^>]+>", " ", section)
    assert "As-is and to-be" in text
    assert "new touchpoint" in text and "Text message: your passport is ready" in text
    assert "new step" in text and "Book a pick-up time" in text
    assert "-1 (dissatisfaction) → +1 (satisfaction)" in text
    assert "New channels: Text message" in " ".join(text.split())
    assert 'src="../emotion-curve/passport--to-be.svg"' in section
    assert 'src="../blueprint/passport.svg"' in section and 'src="../blueprint/passport--to-be.svg"' in section
    assert 'class="side-by-side"' in section
    # a journey the plan leaves alone has no such section
    assert 'id="to-be"' not in (out / "journeys" / "parking_permit.html").read_text(encoding="utf-8")
    # the dashboard shows the to-be curve beside the measured one, only for the journey the plan changes
    index = (out / "index.html").read_text(encoding="utf-8")
    board = index[index.index('<section id="dashboard">'):]
    passport = board[board.index('id="board-passport"'):]
    passport = passport[:passport.index("</article>")]
    assert 'src="emotion-curve/passport--to-be.svg"' in passport and "After the plan" in passport
    assert board.count("--to-be.svg") == 1


def test_an_improvement_that_only_adds_is_planned_in_its_journey():
    spec = '''
stakeholder desk "Desk" { kind internal }
channel letter "Letter" { kind paper }
channel sms "Text message" { kind phone }
persona p "P" {}
journey pass "Passport" {
  personas p
  stage s "S" {
    step wait "Wait" {
      touchpoint ready_letter "Letter" { channel letter  owner desk }
      expected -2
    }
  }
}
improvement sms_ready "SMS when it is ready" {
  at wait {
    expected 1
    touchpoint ready_sms "SMS" { channel sms  owner desk }
  }
}
'''
    import json

    plan = json.loads(_render("plan", spec)["plan/plan.json"])
    item = next(i for i in plan["items"] if i["id"] == "sms_ready")
    assert item["journeys"] == ["pass"] and item["touchpoints"] == ["pass.ready_letter"]
