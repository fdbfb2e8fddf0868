"""The schema (what the parser accepts) and the model (what it builds) agree."""

from __future__ import annotations

from journeyql.language.schema import all_specs


def test_every_translatable_construct_can_hold_translations():
    for spec in all_specs():
        if spec.translatable:
            assert "translations" in spec.model_class.model_fields, spec.keyword


def test_every_attribute_targets_a_model_field():
    for spec in all_specs():
        fields = spec.model_class.model_fields
        for keyword, attr in spec.attrs.items():
            assert attr.field in fields, (spec.keyword, keyword, attr.field)
        for keyword, (field, _) in spec.blocks.items():
            assert field in fields, (spec.keyword, keyword, field)


def test_translations_validate_everywhere():
    import journeyql

    text = '''stakeholder a "A" { kind internal }
stakeholder c "C" { kind customer }
relation c -> a "pays" { flows money  label.nl "betaalt" }
channel w "W" { kind web }
persona p "P" { prefers w }
journey j "J" { personas p  stage s "S" { step x "X" {
  touchpoint t "T" { channel w  owner a }
  backstage "check" { owner a  text.nl "controle" }
  fail "oops" { text.nl "oeps" }
  for p { note "n"  note.nl "nn" }
} } }
model m "M" { element e "E" {}  emotion em "Em" {}  link e -> em { note "x"  note.nl "y" } }
'''
    ws = journeyql.parse(text)  # validates with pydantic
    assert ws.relations[0].translations == {"nl": {"label": "betaalt"}}
    step = ws.journeys[0].steps[0]
    assert step.backstage[0].translations == {"nl": {"text": "controle"}}
    assert step.fail_points[0].translations == {"nl": {"text": "oeps"}}
    assert step.personas[0].translations == {"nl": {"note": "nn"}}
    assert ws.models[0].links[0].translations == {"nl": {"note": "y"}}
