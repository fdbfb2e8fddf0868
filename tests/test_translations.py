"""Every text a person reads can be given in another locale (`KEY.LOCALE`), and falls back to the text as written."""

from __future__ import annotations

import pytest

import journeyql
from journeyql.language.model import text_in
from journeyql.language.schema import TEXT_KINDS, all_specs

SPEC = '''stakeholder klant "Klant" { kind customer  role "Huishouden"  role.en "Household" }
stakeholder team "Team" { kind internal }
channel web "Website" { kind web }
persona sanne "Sanne" {
  goal "Snel verhuizen"
  goal.en "Move quickly"
  need "Duidelijkheid"
  need "Rust"
  need.en "Clarity"
  need.en "Peace of mind"
  prefers web
}
journey j "Reis" {
  personas sanne
  stage s "Fase" {
    step x "Stap" {
      need "Ik wil A"
      need "Ik wil B"
      need.en "I want A"
      expectation "Snel"
      expectation.en "Fast"
      evidence "Brief"
      evidence.en "Letter"
      moment critical, "Baby moet in de camera kijken"
      moment.en "The baby must look straight into the camera"
      wait 2d, "op de mail"
      wait 3h
      wait.en "for the e-mail"
      touchpoint t "Formulier" { channel web  owner team  moment negative, "Weigert"  moment.en "Refuses" }
      backstage "Controle" { owner team  system "Postcodetabel"  system.en "Postcode table" }
    }
  }
}
measurement m "Meting" {
  journey j
  sample t
  valence -3..3
  period "voorjaar 2026"
  period.en "spring 2026"
}
'''


@pytest.fixture(scope="module")
def workspace():
    return journeyql.parse(SPEC)


def test_texts_of_steps_translate_item_by_item(workspace):
    step = workspace.get("j.x")
    assert step.text("needs", "en") == ("I want A", "Ik wil B")  # the untranslated one falls back to the spec's text
    assert step.text("needs", "nl") == ("Ik wil A", "Ik wil B")
    assert step.text("expectations", "en") == ("Fast",)
    assert step.text("evidence", "en") == ("Letter",)
    assert step.text("moment", "en") == "The baby must look straight into the camera"
    assert step.text("moment", None) == "Baby moet in de camera kijken"
    assert step.text("wait_points", "en") == ("for the e-mail", None)
    assert workspace.get("j.t").text("moment", "en") == "Refuses"
    assert text_in(step.backstage[0], "systems", "en") == ("Postcode table",)


def test_persona_stakeholder_and_measurement_texts_translate(workspace):
    persona = workspace.get("sanne")
    assert persona.text("goals", "en") == ("Move quickly",)
    assert persona.text("needs", "en") == ("Clarity", "Peace of mind")
    assert workspace.get("klant").text("role", "en") == "Household"
    assert workspace.get("m").text("period", "en") == "spring 2026"
    assert workspace.get("m").text("period", "de") == "voorjaar 2026"


def test_every_text_attribute_of_every_construct_is_translatable():
    """Generic: a text attribute is translatable by its kind; nothing lists them one by one."""
    for spec in all_specs():
        texts = spec.texts
        for keyword, attr in spec.attrs.items():
            if attr.kind in TEXT_KINDS and keyword != "data":
                assert keyword in texts, (spec.keyword, keyword)
        if texts:
            assert "translations" in spec.model.model_fields, spec.keyword
        for attr in texts.values():
            assert attr.field in spec.model.model_fields, (spec.keyword, attr.field)


def _codes(text: str) -> list[tuple[str, int, int]]:
    try:
        journeyql.parse(text)
    except journeyql.SpecError as error:
        return [(d.code, d.span.line, d.span.column) for d in error.diagnostics]
    return []


def test_response_files_are_not_texts_to_translate():
    text = 'journey j "J" { stage s "S" { step x "X" {} } }\nmeasurement m "M" { journey j\n  data.en "x.csv"\n}\n'
    assert ("JQL101", 3, 3) in _codes(text)


def test_more_translations_than_texts_is_an_error_at_the_extra_line():
    text = ('journey j "J" { stage s "S" { step x "X" {\n  need "a"\n  need.en "A"\n  need.en "B"\n} } }\n')
    assert ("JQL102", 4, 3) in _codes(text)


def test_a_moment_translation_takes_only_the_text():
    text = 'journey j "J" { stage s "S" { step x "X" {\n  moment critical, "a"\n  moment.en critical, "A"\n} } }\n'
    assert ("JQL102", 3, 3) in _codes(text)


def test_translations_of_lists_survive_json():
    ws = journeyql.parse(SPEC)
    data = ws.model_dump(mode="json")
    step = data["journeys"][0]["stages"][0]["steps"][0]
    assert step["translations"]["en"]["needs"] == ["I want A"]
    assert type(ws).model_validate(data) == ws
