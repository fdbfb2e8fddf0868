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
            assert "translations" in spec.model_class.model_fields, spec.keyword
        for attr in texts.values():
            assert attr.field in spec.model_class.model_fields, (spec.keyword, attr.field)


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


def test_ids_read_as_words_in_each_locale():
    from journeyql.host.names import Names
    from journeyql.language.model import KPI

    ws = journeyql.parse('model cx "CX" { emotion worry "Zorgen" { label.en "Worry"  valence negative } }\n'
                         'journey j "J" { stage s "S" { step x "X" {} } }\n')
    kpi = KPI(span=ws.journeys[0].span, subject=None, metric="negative_share", op="<=", value=30, unit="percent")
    assert Names(ws, "en").kpi(kpi) == "Share negative \u2264 30%"
    assert Names(ws, "nl").kpi(kpi) == "Aandeel negatief \u2264 30%"
    half = KPI(span=ws.journeys[0].span, subject="j.x", metric="valence_mean", op=">=", value=1.5)
    assert Names(ws, "nl").kpi(half, subject=True) == "X: Gemiddeld gevoel \u2265 1,5"
    assert Names(ws, "en").emotion("worry") == "Worry"       # the CX model's translation
    assert Names(ws, "de").emotion("worry") == "Zorgen"      # no German: the label as written
    assert Names(ws, "nl").emotions(["hope", "fear"]) == "hoop, angst"  # PrEmo's, built in
    assert Names(ws, "nl").intent("call_again") == "Opnieuw bellen"
    assert Names(ws, "nl").teaser_kind("letter") == "Brief"
    assert Names(ws, "en").duration("12min") == "12 minutes" and Names(ws, "nl").duration("1d") == "1 dag"
    assert Names(ws, "en").metric("made_up_metric") == "Made up metric"  # the last resort: readable, not code


def test_every_renderer_writes_every_locale(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    out = tmp_path / "out"
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([str(Path(sys.executable).parent / "journeyql"), "build", "specs/energie-verhuizen", "-o",
                           str(out)], capture_output=True, text=True, cwd=root, timeout=600)
    assert done.returncode == 0, done.stderr
    for default, english in [("markdown/verhuizen.md", "markdown/verhuizen.en.md"),
                             ("markdown/index.md", "markdown/index.en.md"),
                             ("mermaid/verhuizen.mmd", "mermaid/verhuizen.en.mmd"),
                             ("journeys.md", "journeys.en.md"),
                             ("touchpoint-matrix/verhuizen.html", "touchpoint-matrix/verhuizen.en.html")]:
        dutch, other = (out / default).read_text(encoding="utf-8"), (out / english).read_text(encoding="utf-8")
        assert "Verhuizen" in dutch and "Verhuizen" not in other, english      # the journey's label
        assert "Moving house" in other and "Moving house" not in dutch, english
    markdown = (out / "markdown/verhuizen.en.md").read_text(encoding="utf-8")
    assert "for the confirmation e-mail" in markdown and "Wait 2 days" in markdown
    assert "The form refuses a moving date more than 6 weeks ahead" in markdown
    # the English site links the English files, the Dutch site the Dutch ones
    english_page = (out / "en/journeys/verhuizen.html").read_text(encoding="utf-8")
    dutch_page = (out / "journeys/verhuizen.html").read_text(encoding="utf-8")
    assert "markdown/verhuizen.en.md" in english_page and '/markdown/verhuizen.md"' not in english_page
    assert "touchpoint-matrix/verhuizen.en.html" in english_page
    assert '/markdown/verhuizen.md"' in dutch_page and "verhuizen.en.md" not in dutch_page
