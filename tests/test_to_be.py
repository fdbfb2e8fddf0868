"""The to-be journey: the journey after the plan, computed in one place (journeyql.to_be)."""

from __future__ import annotations

from pathlib import Path

import pytest

import journeyql

SPECS = Path(__file__).resolve().parents[1] / "specs"

BASE = '''
stakeholder desk "Desk" { kind internal }
channel letter "Letter" { kind paper }
persona p "P" {}
journey pass "Passport" {
  personas p
  stage apply "Apply" {
    step request "Request" {
      touchpoint form "Form" { channel letter  owner desk }
      expected -1
    }
    step wait "Wait" {
      touchpoint ready_letter "Letter" { channel letter  owner desk }
      expected -2
    }
  }
}
'''


def _ws(improvements: str):
    return journeyql.parse(BASE + improvements)


def test_the_example_passport_after_the_plan():
    ws = journeyql.load(SPECS / "municipality-services")
    result = journeyql.to_be(ws, "passport")
    assert [s.id for s in result.as_is.steps] == ["book_visit", "apply_desk", "wait_ready", "pick_up"]
    assert [s.id for s in result.journey.steps] == ["book_visit", "apply_desk", "wait_ready", "book_pickup", "pick_up"]
    wait = result.journey.steps[2]
    assert [t.id for t in wait.touchpoints] == ["ready_letter", "ready_sms"]
    assert wait.expected.score == 1 and wait.expected.emotions == ("satisfaction",)
    assert result.as_is.steps[2].expected.score == -1  # the as-is journey is untouched
    assert dict(result.added) == {"passport.book_pickup": "passport_sms", "passport.pickup_slot": "passport_sms",
                                  "passport.ready_sms": "passport_sms"}
    assert dict(result.changed) == {"passport.wait_ready": "passport_sms"}
    assert [c.id for c in result.channels] == ["sms"]
    assert result.improvements == ("passport_sms",)
    assert result.is_new("passport.ready_sms") and not result.is_new("passport.ready_letter")
    assert result.by("passport.wait_ready") == "passport_sms"
    # a journey the plan does not change is given back as it is
    untouched = journeyql.to_be(ws, "parking_permit")
    assert untouched.journey is untouched.as_is and not untouched.changes_anything


def test_steps_added_after_one_step_keep_their_written_order_and_default_to_the_stage_end():
    ws = _ws('''
improvement one "One" {
  in apply { after request  step a "A" { touchpoint ta "TA" { channel letter  owner desk } } }
  in apply { step z "Z" { touchpoint tz "TZ" { channel letter  owner desk } } }
}
improvement two "Two" {
  in apply { after request  step b "B" { touchpoint tb "TB" { channel letter  owner desk } } }
}
''')
    assert [s.id for s in journeyql.to_be(ws, "pass").journey.steps] == ["request", "a", "b", "wait", "z"]


def test_a_later_improvement_sets_the_expected_emotion_and_touchpoints_go_onto_added_steps():
    ws = _ws('''
improvement first "First" {
  at wait { expected 0 }
  in apply { step extra "Extra" { touchpoint te "TE" { channel letter  owner desk } } }
}
improvement second "Second" {
  at wait { expected 2 }
  at extra { touchpoint more "More" { channel letter  owner desk } }
}
''')
    result = journeyql.to_be(ws, ws.journeys[0])
    steps = {s.id: s for s in result.journey.steps}
    assert steps["wait"].expected.score == 2
    assert [t.id for t in steps["extra"].touchpoints] == ["te", "more"]
    assert result.changed["pass.wait"] == "second"
    assert result.added["pass.more"] == "second"


def test_statuses_choose_which_improvements_count():
    ws = _ws('''
improvement gone "Gone" { status dropped  at wait { expected 3 } }
improvement done_one "Done" { status done  at request { expected 1 } }
improvement idea_one "Idea" { at wait { expected 0 } }
''')
    default = journeyql.to_be(ws, "pass")
    assert default.improvements == ("done_one", "idea_one")  # dropped changes nothing
    assert [s.expected.score for s in default.journey.steps] == [1, 0]
    delivered = journeyql.to_be(ws, "pass", statuses=["done"])
    assert [s.expected.score for s in delivered.journey.steps] == [1, -2]


def test_an_unknown_journey_is_a_clear_error():
    with pytest.raises(KeyError, match="no journey 'nope'"):
        journeyql.to_be(_ws(""), "nope")


def test_a_channel_only_the_plan_uses_is_not_unused():
    # the defect of issue 16: a channel that only an improvement's touchpoint uses was JQL304
    text = BASE + '''
channel sms "Text message" { kind phone }
improvement sms_ready "SMS" {
  at wait { touchpoint ready_sms "SMS" { channel sms  owner desk } }
}
'''
    path = Path("memory.jql")
    from journeyql.workspace import Source, WorkspaceSources, analyse
    from journeyql.workspace.config import Config

    found = analyse(WorkspaceSources(Path("."), [Source(str(path), text)], Config())).diagnostics
    assert [d.code for d in found if d.code == "JQL304"] == []


def test_added_names_resolve_elsewhere_like_the_journey_s_own():
    ws = _ws('''
improvement sms_ready "SMS" {
  channel sms "Text message" { kind phone }
  at wait { touchpoint ready_sms "SMS" { channel sms  owner desk } }
  kpi ready_sms.valence >= 1
}
''')
    assert ws.improvements[0].kpis[0].subject == "pass.ready_sms"
    assert ws.get("pass.ready_sms").channel == "sms"
    assert ws.get("sms").kind == "phone"
