"""The `teasers` renderer: simulation material for the "experience it yourself" step.

Golden files per example workspace (regenerate with ``JOURNEYQL_UPDATE_GOLDEN=1 python -m pytest
tests/test_teasers.py`` and review the diff), Dutch and English material, proposals for the worst
moments (expected, and measured winning over expected), template overrides and template errors,
hostile labels, and every HTML page opened in a real headless Chromium: no console errors, no
request leaving the file system, the web form clicked through, injected script never run.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

import journeyql
import journeyql.host.testing
import journeyql_teasers
from journeyql.language.formatter import quote
from journeyql.language.model import TeaserKind
from journeyql.host.rendering import OptionsError
from journeyql.measure.results import Metrics, Results
from journeyql_teasers.words import EMOTIONS, WORDS

from browser import PageChecker, check_pages, open_browser  # tests/browser.py, shared by the HTML tests

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"
GOLDEN = Path(__file__).parent / "golden_teasers"
WORKSPACES = sorted(p.parent.name for p in SPECS.glob("*/journeyql.toml"))


def render(spec=None, **kwargs) -> journeyql.host.testing.RenderResult:
    """Only this plugin, so another plugin's state never changes what is tested here."""
    return journeyql.host.testing.render(spec, "teasers", plugins=[journeyql_teasers], installed=False, **kwargs)


def rendered(spec=None, **kwargs) -> dict[str, bytes]:
    result = render(spec, **kwargs)
    assert result.ok, result.message
    return result.files


@functools.lru_cache(maxsize=None)
def _example(workspace: str) -> tuple[tuple[str, bytes], ...]:
    return tuple(rendered(SPECS / workspace).items())


def example(workspace: str) -> dict[str, bytes]:
    """An example workspace's material with the default options (rendered once per test run)."""
    return dict(_example(workspace))


# --- a small journey where we know which step is worst ------------------------------------------------------

SPEC = '''
stakeholder ops "Operations" { kind internal }
stakeholder web_team "Web team" { kind internal }
stakeholder billing "Billing" { kind internal }
channel web "Web" { kind web }
channel post "Post" { kind paper }
channel phone "Phone" { kind phone }
persona pat "Pat, mover" {
  prefers web
  need "I want it done in one go"
  quote "Just tell me it is sorted."
}
journey j "Moving" {
  label.nl "Verhuizen"
  personas pat
  stage s "Stage" {
    step a "Apply" {
      touchpoint form "Form" { channel web  owner web_team }
      expected 1
    }
    step b "Get the letter" {
      touchpoint letter "The letter" { channel post  owner billing }
      fail "The letter quotes an estimate"
      expected -3, fear
    }
    step c "Call" {
      touchpoint call "The call" { channel phone  owner ops }
      wait 20min, "on hold"
      expected -1
    }
    step d "Done" {
      touchpoint done "Done page" { channel web  owner web_team }
      expected 2
    }
  }
}
'''

COVERED = SPEC + '''
teaser queue "The queue" {
  kind phone
  imitates j.call
  audience ops
}
'''


def proposals(files: dict[str, bytes], locale: str = "en") -> list[str]:
    """The proposed teasers on the journey page, in order (their file stems)."""
    page = files[f"teasers/j/index.{locale}.html"].decode()
    return re.findall(r'href="(proposed-[^".]+)\.', page)


def test_proposals_for_the_worst_expected_moments_worst_first():
    files = rendered(SPEC)
    assert proposals(files) == ["proposed-b", "proposed-c"]  # -3, then -1; +1 and +2 are fine
    page = files["teasers/j/proposed-b.en.html"].decode()
    assert "Why proposed" in page
    assert "low expected emotion: -3 on a scale of -3..3" in page
    assert "fail point: The letter quotes an estimate" in page
    assert 'class="letter"' in page  # a paper touchpoint gives a letter imitation
    assert 'class="kind">Letter · Proposal<' in page
    assert "Billing" in page  # the touchpoint's owner is the audience


def test_measured_worst_step_wins_over_the_expected_one():
    measured = Results(steps={"j.c": Metrics(n=40, valence_mean=-2.6, valence_n=40),
                              "j.b": Metrics(n=40, valence_mean=1.0, valence_n=40)})
    files = rendered(SPEC, results=measured, options={"max_proposals": 1})
    assert proposals(files) == ["proposed-c"]
    page = files["teasers/j/proposed-c.en.html"].decode()
    assert "low measured emotion: -2.6 on a scale of -3..3" in page
    assert "customers feel worse than expected: measured -2.6, expected -1" in page
    assert "Phone scenario" in page  # a phone touchpoint gives a phone scenario
    # without the measurement, the expected worst step is proposed
    assert proposals(rendered(SPEC, options={"max_proposals": 1})) == ["proposed-b"]


def test_measured_touchpoint_counts_for_its_step():
    measured = Results(touchpoints={"j.done": Metrics(n=12, valence_mean=-2.9, valence_n=12)})
    assert proposals(rendered(SPEC, results=measured, options={"max_proposals": 1})) == ["proposed-d"]


def test_proposals_skip_covered_steps_and_can_be_switched_off():
    files = rendered(COVERED)
    assert proposals(files) == ["proposed-b"]  # c is covered by the declared phone teaser
    assert "teasers/j/queue.en.html" in files
    files = rendered(COVERED, options={"propose": False})
    assert proposals(files) == []
    assert not [name for name in files if "proposed-" in name]
    assert "No moment bad enough" in files["teasers/j/index.en.html"].decode()
    assert proposals(rendered(SPEC, options={"max_proposals": 0})) == []


def test_invalid_options_are_refused_with_the_option_named():
    with pytest.raises(OptionsError, match="teasers.max_proposals"):
        render(SPEC, options={"max_proposals": -1})
    with pytest.raises(OptionsError, match="teasers.locale"):
        render(SPEC, options={"locale": "../../elsewhere"})
    with pytest.raises(OptionsError, match="teasers.colour"):
        render(SPEC, options={"colour": "red"})


# --- the material itself ---------------------------------------------------------------------------------------

def test_phone_scenario_has_the_menu_queue_and_real_waiting_time():
    page = rendered(COVERED)["teasers/j/queue.en.html"].decode()
    rows = re.findall(r'<tr class="(\w+)"><td>([\d:]+)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>', page)
    kinds = [r[0] for r in rows]
    assert kinds[:3] == ["event", "ivr", "ivr"] and "queue" in kinds and kinds[-1] == "end"
    menu = next(r[3] for r in rows if "press 1" in r[3])
    assert "For The call, press 1." in menu and "For all other questions, press 2." in menu
    queue = next(r for r in rows if r[0] == "queue")
    assert queue[4] == "20 min" and "on hold" in queue[3]
    # the queue is played in full: the call ends at least 20 minutes after it starts
    total = re.search(r"<th>([\d:]+)</th></tr></tfoot>", page).group(1)
    minutes, seconds = map(int, total.split(":"))
    assert minutes * 60 + seconds >= 20 * 60
    assert rows[-1][1] == total


def test_roleplay_has_actor_and_employee_briefs_scenes_and_pauses():
    spec = SPEC + 'teaser play "Pat calls" { kind roleplay  imitates j.b, j.c  audience ops }\n'
    page = rendered(spec)["teasers/j/play.en.html"].decode()
    assert "Brief for the actor playing Pat, mover" in page
    assert "Brief for the employee" in page
    assert "Just tell me it is sorted." in page and "I want it done in one go" in page
    assert re.findall(r"<h3>Scene (\d): ([^<]+)</h3>", page) == [("1", "The letter"), ("2", "The call")]
    assert page.count("Pause: ask the audience") == 2
    # the emotional arc runs through every step, the teaser's own marked
    arc = page.split("Emotional arc", 1)[1].split("</table>", 1)[0]
    assert [label.strip() for label in re.findall(r"<tr[^>]*><td>([^<(]+)", arc)] == ["Apply", "Get the letter", "Call",
                                                                                     "Done"]
    assert arc.count("(in this teaser)") == 2


def test_day_in_the_life_per_persona_with_the_emotion_at_each_step():
    page = rendered(SPEC)["teasers/j/day-in-the-life-pat.en.html"].decode()
    assert "A day in the life of Pat, mover" in page
    assert page.count("Pat feels: ") == 4
    assert "Pat waits 20 min: on hold" in page
    assert "But: The letter quotes an estimate" in page


def test_workshop_kit_sessions_per_department_from_audience_and_owners():
    spec = COVERED + 'teaser note "The letter" { kind letter  imitates j.letter  audience web_team }\n'
    page = rendered(spec, options={"propose": False})["teasers/j/workshop-kit.en.html"].decode()
    sessions = re.findall(r"<h2>Experience it yourself: ([^<]+)</h2>", page)
    # audience first, then the owner of the imitated letter (billing) joins the letter's session list
    assert sessions == ["Operations", "Web team", "Billing"]
    billing = page.split("Experience it yourself: Billing", 1)[1].split("</section>", 1)[0]
    assert 'href="note.en.html"' in billing and "queue.en.html" not in billing
    operations = page.split("Experience it yourself: Operations", 1)[1].split("</section>", 1)[0]
    # the phone teaser takes its real waiting time: 20 min queue + menu + agent, plus 5 min to talk
    times = re.findall(r"<td>(\d+:\d\d)–(\d+:\d\d)</td>", operations)
    assert times[0] == ("0:00", "0:10") and times[1][0] == "0:10"
    assert int(times[1][1].split(":")[1]) - 10 >= 25
    assert "Improvement workshop (all departments)" in page
    assert "Priorities: quick wins versus longer-term solutions" in page


def test_web_form_payload_is_json_the_page_reads():
    spec = SPEC + 'teaser form_teaser "The form" { kind form  imitates j.form  pain "It says no" }\n'
    files = rendered(spec.replace('expected 1\n', 'fail "Date refused" { touchpoint form }\n      expected 1\n', 1))
    page = files["teasers/j/form_teaser.en.html"].decode()
    payload = json.loads(ScriptBlocks.of(page)["teaser-data"])
    assert payload["reveal"] == ["Date refused", "It says no"]
    assert [f["type"] for f in payload["fields"]] == ["text", "email", "text", "date"]
    assert payload["error"] == WORDS["en"]["vague_error"]


def test_teaser_without_imitates_covers_its_journey_and_missing_parts_are_fine():
    spec = '''
    stakeholder ops "Ops" { kind internal }
    channel web "Web" { kind web }
    journey bare "Bare" { stage s "S" {
      step only "Only" {}
      step lost "Lost" { fail "Nobody knows where the case went" }
    } }
    teaser film "A film" { kind video  imitates bare.only }
    teaser other_one "Something else" { kind other }
    '''
    files = rendered(spec)
    # a step without touchpoints or emotions, but with a fail point, gets a role-play proposal
    proposal = files["teasers/bare/proposed-lost.en.html"].decode()
    assert "Proposed: Lost" in proposal and "fail point: Nobody knows where the case went" in proposal
    assert "<h3>Scene 1: Lost</h3>" in proposal and "Brief for the actor playing the customer" in proposal
    page = files["teasers/bare/film.en.html"].decode()
    assert "Production brief" in page and "Only" in page and "not stated" in page
    assert "teasers/bare/other_one.en.html" in files
    # no personas: no day in the life, and the workshop kit says what is missing
    assert not [name for name in files if "day-in-the-life" in name]
    assert "No department named" in files["teasers/bare/workshop-kit.en.html"].decode()


def test_a_teaser_imitating_two_journeys_gets_material_in_both():
    spec = SPEC + '''
    journey k "Leaving" {
      stage s "Stage" {
        step z "Cancel" { touchpoint cancel "Cancel letter" { channel post  owner billing } expected -2 }
      }
    }
    teaser both "Both letters" { kind letter  imitates j.letter, k.cancel }
    '''
    files = rendered(spec, options={"propose": False})
    in_j = files["teasers/j/both.en.html"].decode()
    in_k = files["teasers/k/both.en.html"].decode()
    assert "Regarding: The letter" in in_j and "Cancel letter" not in in_j
    assert "Regarding: Cancel letter" in in_k and "The letter" not in in_k
    index = files["teasers/index.en.html"].decode()
    assert 'href="j/index.en.html"' in index and 'href="k/index.en.html"' in index


def test_a_workspace_without_journeys_gets_an_index_that_says_so():
    files = rendered('stakeholder ops "Ops" { kind internal }\n')
    assert sorted(files) == ["teasers/index.en.html"]
    assert "This workspace has no journeys." in files["teasers/index.en.html"].decode()


def test_a_teaser_called_index_does_not_overwrite_the_journey_page():
    files = rendered(SPEC + 'teaser index "Index" { kind letter  imitates j.b }\n')
    assert "teasers/j/index-teaser.en.html" in files
    assert 'href="index-teaser.en.html"' in files["teasers/j/index.en.html"].decode()


# --- languages --------------------------------------------------------------------------------------------------

def test_words_exist_in_every_locale():
    assert set(WORDS["nl"]) == set(WORDS["en"])
    assert set(EMOTIONS["nl"]) == set(EMOTIONS["en"])


def test_dutch_spec_gives_dutch_and_english_material():
    files = example("energie-verhuizen")
    stems = sorted({name.rsplit(".", 2)[0] for name in files})
    for stem in stems:
        assert f"{stem}.nl.html" in files and f"{stem}.en.html" in files, stem
    nl = files["teasers/verhuizen/teaser_wachtrij.nl.html"].decode()
    en = files["teasers/verhuizen/teaser_wachtrij.en.html"].decode()
    assert '<html lang="nl">' in nl and '<html lang="en">' in en
    for word in ("Telefoonscenario", "<td>Keuzemenu</td>", "Wachtrij: wachtmuziek", "Totale tijd aan de lijn", "Vraag het publiek"):
        assert word in nl and word not in en
    for word in ("Phone scenario", "<td>Voice menu</td>", "Total time on the line", "Ask the audience"):
        assert word in en and word not in nl
    # spec texts in their locale: the translated label in English, the Dutch one in Dutch
    assert "Report the move by phone" in en and "Verhuizing telefonisch doorgeven" in nl
    letter_nl = files["teasers/verhuizen/teaser_eindnota.nl.html"].decode()
    # the letter's own text (its `content`) in each locale: content.en in English
    assert "Geachte heer/mevrouw," in letter_nl and "Met vriendelijke groet,<br>Afdeling Facturatie" in letter_nl
    letter_en = files["teasers/verhuizen/teaser_eindnota.en.html"].decode()
    assert "Dear Sir or Madam," in letter_en and "<mark>EUR 412.37</mark>" in letter_en
    assert "Geachte" not in letter_en and "Betreft: Eindafrekening leveringsadres Dorpsstraat 12" in letter_nl
    assert "6 weken, op de eindafrekening" in letter_nl
    assert "Blad voor de begeleider" in letter_nl
    index_nl = files["teasers/verhuizen/index.nl.html"].decode()
    assert "Voorgestelde teasers" in index_nl and "Klantreis" not in files["teasers/index.en.html"].decode()


def test_locale_option_makes_one_locale_and_unknown_locales_warn():
    files = rendered(SPECS / "energie-verhuizen", options={"locale": "en"})
    assert files and all(name.endswith(".en.html") for name in files)
    result = render(SPEC, options={"locale": "fr"})
    assert result.ok
    assert any("no words for locale 'fr'" in w for w in result.warnings)
    assert "Phone scenario" in result.text("teasers/j/proposed-c.fr.html")


# --- golden files and determinism ---------------------------------------------------------------------------------

@pytest.mark.parametrize("workspace", WORKSPACES)
def test_golden_files(workspace):
    produced = example(workspace)
    golden = GOLDEN / workspace
    if os.environ.get("JOURNEYQL_UPDATE_GOLDEN"):
        shutil.rmtree(golden, ignore_errors=True)
        for name, data in produced.items():
            (golden / name).parent.mkdir(parents=True, exist_ok=True)
            (golden / name).write_bytes(data)
    expected = {p.relative_to(golden).as_posix(): p.read_bytes() for p in sorted(golden.rglob("*")) if p.is_file()}
    assert sorted(produced) == sorted(expected)
    for name in expected:
        assert produced[name] == expected[name], f"{workspace}/{name} differs from its golden file"


def test_measured_results_from_real_responses_reach_the_teasers(tmp_path, monkeypatch, capsys):
    """Through the CLI, as users run it: the telecom responses are analysed, and the proposals and
    feelings on the pages are the analysis' own numbers (checked against `journeyql analyze`). The
    journey is shared by two operators: each one's material speaks with its own respondents' figures."""
    from journeyql.cli import main

    monkeypatch.setenv("JOURNEYQL_LOAD_PLUGINS", "teasers")
    workspace = SPECS / "telecom-switch"
    assert main(["analyze", str(workspace), "--format", "json"]) == 0
    analysis = json.loads(capsys.readouterr().out)
    out = tmp_path / "out"
    assert main(["render", str(workspace), "--to", "teasers", "-o", str(out), "--force"]) == 0, \
        capsys.readouterr().err
    steps = analysis["benchmark"]["journeys"]["switch"]["steps"]
    for organisation in ("lumen", "signal"):
        folder = out / "teasers" / f"switch--{organisation}"
        stems = re.findall(r'href="proposed-([^".]+)\.', (folder / "index.en.html").read_text(encoding="utf-8"))
        assert stems
        measured = {key.split(".", 1)[1]: row["organisations"][organisation] for key, row in steps.items()
                    if row["organisations"][organisation]["n"]}
        # the journey is measured, so proposals rank measured steps first, each with its measured score
        assert stems[0] in measured
        for stem in stems:
            if stem in measured:
                value = round(measured[stem]["mean"], 1)
                score = f"{value:+g}" if value else "0"  # zero is written without a sign
                page = (folder / f"proposed-{stem}.en.html").read_text(encoding="utf-8")
                assert f"low measured emotion: {score} on a scale of" in page, (organisation, stem)
        # the role-play and the days in the life show measured next to expected
        day = (folder / "day-in-the-life-priya.en.html").read_text(encoding="utf-8")
        assert "(expected); " in day and "(measured, n=" in day
    # the first bill: Lumen's customers feel it below the sector, SignalNet's above: not one pooled figure
    lumen = steps["switch.first_bill"]["organisations"]["lumen"]["mean"]
    signal = steps["switch.first_bill"]["organisations"]["signal"]["mean"]
    assert lumen < 0 < signal
    day = {o: (out / "teasers" / f"switch--{o}" / "day-in-the-life-priya.en.html").read_text(encoding="utf-8")
           for o in ("lumen", "signal")}
    assert f"{round(lumen, 1):+g} (measured, n=150)" in day["lumen"]
    assert f"{round(signal, 1):+g} (measured, n=150)" in day["signal"]


def test_output_is_deterministic():
    measured = Results(steps={"j.c": Metrics(n=3, valence_mean=-1.5, valence_n=3)})
    assert rendered(SPEC, results=measured) == rendered(SPEC, results=measured)
    assert rendered(SPECS / "telecom-switch") == rendered(SPECS / "telecom-switch")


def test_every_teaser_file_sits_under_its_journey_for_the_site():
    """A journey's material in `teasers/<journey>/`; a shared journey's per organisation in
    `teasers/<journey>--<organisation>/`, so the site's rule of file names scopes it to that organisation."""
    for workspace in WORKSPACES:
        folders = set()
        for journey in journeyql.load(str(SPECS / workspace)).journeys:
            folders |= {f"{journey.id}--{o}" for o in journey.organisations} if journey.shared else {journey.id}
        files = example(workspace)
        assert {name.split("/")[1] for name in files if name.count("/") == 2} == folders
        for name in files:
            parts = name.split("/")
            assert parts[0] == "teasers" and len(parts) in (2, 3), name
            if len(parts) == 3:
                assert parts[1] in folders and re.fullmatch(r"[\w-]+\.[\w-]+\.html", parts[2]), name


# --- templates ----------------------------------------------------------------------------------------------

def test_workspace_template_overrides_the_default():
    override = '{% extends "teasers/base.html.j2" %}{% block body %}<p id="ours">OURS {{ teaser.label }}</p>{% endblock %}\n'
    files = rendered(SPEC, files={"templates/teasers/letter.html.j2": override})
    assert '<p id="ours">OURS Proposed: The letter</p>' in files["teasers/j/proposed-b.en.html"].decode()
    assert "OURS" not in files["teasers/j/proposed-c.en.html"].decode()  # the phone template is untouched


@pytest.mark.parametrize("body, line", [
    ("<p>fine</p>\n<p>fine</p>\n{% if %}\n", 3),                     # a syntax error
    ("<p>fine</p>\n{{ teaser.label }}\n{{ no_such_variable }}\n", 3),  # an undefined variable
])
def test_template_error_names_the_template_and_line(body, line):
    result = render(SPEC, files={"templates/teasers/letter.html.j2": body})
    assert not result.ok
    assert "teasers/letter.html.j2" in result.message and f"line {line}" in result.message, result.message


def test_docs_name_every_option_template_and_kind():
    text = (ROOT / "docs" / "teasers.md").read_text(encoding="utf-8")
    for option in journeyql_teasers.TeasersOptions.model_fields:
        assert f"| `{option}` |" in text, option
    shipped = ROOT / "templates" / "journeyql_templates"
    for template in sorted(p.relative_to(shipped).as_posix() for p in (shipped / "teasers").glob("*.j2")):
        assert f"`{template}`" in text, template
    for kind, template in journeyql_teasers.TEMPLATES.items():
        assert f"`{kind}`" in text and (shipped / template).is_file(), kind
    assert set(journeyql_teasers.TEMPLATES) == set(TeaserKind.__args__)


# --- hostile labels -------------------------------------------------------------------------------------------

INJECTED = "<script>window.__pwned=1</script>"
HOSTILE = [
    INJECTED,
    '"double" and \'single\' quotes',
    "closing </script> inside text",
    "{{ braces }} and {% block %} and ${template}",
    "back\\slash \\u003c and \\n",
    "line one\nline two",
    "emoji 🙂 and مرحبا and ünïcödé",
    "x" * 500,
]
KINDS = ["letter", "email", "web_page", "form", "phone", "roleplay", "day_in_life", "video", "other"]


def hostile_spec() -> str:
    q = [quote(text) for text in HOSTILE]
    lines = [f"stakeholder ops {q[0]} {{ kind internal }}", f"channel web {q[1]} {{ kind web }}",
             f"channel phone {q[2]} {{ kind phone }}",
             f"persona p {q[3]} {{\n  prefers web\n  quote {q[0]}\n  need {q[2]}\n  context {q[5]}\n}}",
             f"journey j {q[0]} {{\n  personas p\n  goal {q[2]}"]
    for i, text in enumerate(q):
        lines.append(f"  stage s{i} {text} {{\n    step st{i} {text} {{\n      action {text}\n      need {text}")
        lines.append(f"      touchpoint t{i} {text} {{ channel {'phone' if i % 2 else 'web'}  owner ops\n"
                     f"        moment negative, {text} }}")
        lines.append(f"      fail {text} {{ touchpoint t{i} }}\n      wait {i + 1}min, {text}")
        lines.append(f"      frontstage {text}\n      backstage {text} {{ owner ops  system {text} }}")
        lines.append(f"      evidence {text}\n      expected {i % 7 - 3}\n      for p {{ note {text} }}\n    }}\n  }}")
    lines.append("}")
    for i, kind in enumerate(KINDS):
        text = q[i % len(q)]
        lines.append(f"teaser k_{kind} {text} {{\n  kind {kind}\n  imitates j.t{i % len(q)}, j.st{(i + 1) % len(q)}\n"
                     f"  pain {q[0]}\n  audience ops\n  note {q[2]}\n  note {q[3]}\n}}")
    return "\n".join(lines) + "\n"


class ScriptBlocks(HTMLParser):
    """The <script> elements of a page, by id (``""`` for the page's own code), as the browser splits them."""

    def __init__(self):
        super().__init__()
        self.scripts: dict[str, str] = {}
        self._current: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._current = dict(attrs).get("id") or ""
            self.scripts[self._current] = ""

    def handle_endtag(self, tag):
        if tag == "script":
            self._current = None

    def handle_data(self, data):
        if self._current is not None:
            self.scripts[self._current] += data

    @classmethod
    def of(cls, page: str) -> dict[str, str]:
        parser = cls()
        parser.feed(page)
        return parser.scripts


def test_hostile_labels_are_escaped_everywhere():
    files = rendered(hostile_spec(), options={"max_proposals": 5})
    kinds_seen, revealed = set(), set()
    for name, data in files.items():
        page = data.decode("utf-8")
        assert INJECTED not in page, name
        assert "</script> inside" not in page, name
        assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page or "teasers/index" in name, name
        scripts = ScriptBlocks.of(page)
        # only our own two scripts: the JSON data and the page's code, which is not spec text
        assert set(scripts) <= {"", "teaser-data"}, (name, set(scripts))
        if "teaser-data" in scripts:
            kinds_seen.add(name)
            payload = json.loads(scripts["teaser-data"])
            assert INJECTED in payload["reveal"]
            revealed.update(payload["reveal"])
    assert "closing </script> inside text" in revealed and HOSTILE[3] in revealed  # read back unchanged
    for kind in ("roleplay", "day_in_life"):  # the kinds that show every step
        assert ("x" * 500) in files[f"teasers/j/k_{kind}.en.html"].decode(), kind
    assert any("k_form" in name for name in kinds_seen) and any("k_web_page" in name for name in kinds_seen)
    for kind in KINDS:
        assert f"teasers/j/k_{kind}.en.html" in files


# --- in a real browser ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    with open_browser() as launched:  # tests/browser.py: Debian's chromium, never `playwright install`
        yield launched


@pytest.fixture()
def tab(browser):
    """One tab (tests/browser.py's PageChecker): every request outside file:// aborted and recorded."""
    context = browser.new_context()
    checker = PageChecker(context)
    yield checker
    context.close()


def test_the_browser_guard_sees_external_requests_and_errors(tab, tmp_path):
    """The checks below would be empty promises if the guard saw nothing: prove it does."""
    page = tmp_path / "bad.html"
    page.write_text('<h1>x</h1><img src="http://example.invalid/pixel.png"><script>throw new Error("boom")</script>',
                    encoding="utf-8")
    report = tab.check(page)
    assert any("example.invalid" in url for url in report.external_requests)
    assert any("boom" in error for error in report.page_errors)
    assert not report.clean


def write(files: dict[str, bytes], directory: Path) -> list[Path]:
    paths = []
    for name, data in sorted(files.items()):
        (directory / name).parent.mkdir(parents=True, exist_ok=True)
        (directory / name).write_bytes(data)
        paths.append(directory / name)
    return paths


@pytest.mark.parametrize("workspace", WORKSPACES)
def test_every_page_opens_without_errors_or_external_requests(browser, workspace, tmp_path):
    paths = write(example(workspace), tmp_path)
    reports = check_pages(browser, paths)
    # console errors, page errors, requests leaving file://, broken images and links between the pages
    assert all(r.clean for r in reports), "\n".join(r.summary() for r in reports if not r.clean)
    assert len(reports) == len(paths) and all(r.links > 0 for r in reports)
    assert all(r.text.strip() for r in reports)


def test_web_form_clicks_through_to_the_flawed_error(tab, tmp_path):
    paths = write(example("energie-verhuizen"), tmp_path)
    report = tab.check(next(p for p in paths if p.name == "teaser_formulier.nl.html"))
    page = tab.page
    page.click("#teaser-submit")  # nothing filled in: the fields say they are required
    assert page.text_content("#error-name") == WORDS["nl"]["required"]
    assert page.text_content("#teaser-error") == ""
    page.fill("#field-name", "Sanne de Vries")
    page.fill("#field-email", "sanne@example.invalid")
    page.fill("#field-postcode", "1234 AB 5")
    page.fill("#field-date", "2026-09-01")
    page.click("#teaser-submit")
    assert page.text_content("#teaser-error") == WORDS["nl"]["vague_error"]
    assert page.text_content("#error-date") == WORDS["nl"]["date_refused"]
    assert page.get_attribute("#field-date", "aria-invalid") == "true"
    assert not page.is_visible("#teaser-reveal")
    page.click("#teaser-submit")
    assert page.text_content("#teaser-attempts") == "Pogingen: 3"
    assert page.is_visible("#teaser-reveal")
    revealed = page.locator("#teaser-reveal-list li").all_text_contents()
    assert revealed == ["Datum verder dan 6 weken vooruit wordt geweigerd",
                        "De datum van de sleuteloverdracht wordt geweigerd"]
    page.click(".teaser-nav-link >> nth=0")  # the menu leads nowhere, and says so vaguely
    assert page.text_content("#teaser-error") == WORDS["nl"]["page_not_found"]
    assert report.clean, report.summary()


def test_letter_prints_on_a4_without_the_flaw_marks(tab, tmp_path):
    paths = write(example("energie-verhuizen"), tmp_path)
    report = tab.check(next(p for p in paths if p.name == "teaser_eindnota.nl.html"))
    page = tab.page
    assert page.evaluate("getComputedStyle(document.querySelector('.letter mark')).borderBottomStyle") == "solid"
    page.emulate_media(media="print")
    style = "getComputedStyle(document.querySelector('{}'))"
    assert page.evaluate(style.format(".letter mark") + ".borderBottomStyle") == "none"
    assert page.evaluate(style.format(".letter sup") + ".display") == "none"
    assert page.evaluate(style.format("button") + ".display") == "none"
    assert page.evaluate(style.format(".sheet") + ".breakBefore") == "page"
    pdf = page.pdf(prefer_css_page_size=True)
    width, height = map(float, re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf).groups())
    assert (round(width), round(height)) in ((595, 842), (596, 843))  # A4 in points
    assert report.clean, report.summary()


def test_injected_script_never_runs(tab, tmp_path):
    paths = write(rendered(hostile_spec(), options={"max_proposals": 5}), tmp_path)
    assert len(paths) > 10
    forms = 0
    for path in paths:
        report = tab.check(path)
        page = tab.page
        if page.locator("#teaser-form").count():
            forms += 1
            for field in page.locator("#teaser-form input").all():
                field.fill("2026-01-01" if field.get_attribute("type") == "date" else "x@example.invalid")
            for _ in range(3):
                page.click("#teaser-submit")
            revealed = page.locator("#teaser-reveal-list li").all_text_contents()
            assert INJECTED in revealed, path  # shown as text, not run
            for link in page.locator(".teaser-nav-link").all():
                link.click()
        assert page.evaluate("typeof window.__pwned") == "undefined", path
        assert report.clean, report.summary()
        assert INJECTED in page.inner_text("body") or path.name.startswith("index."), path
    assert forms >= 2  # the web page and the form were clicked through


# --- the material's own text: written content, or a fallback that reads like the real thing -----------------

def _article(page: str, tag: str = "article") -> str:
    """The visible text of the material the customer gets (the <article>), tags removed."""
    body = page[page.index(f"<{tag}"):page.index(f"</{tag}>")]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


WRITTEN = SPEC + '''
teaser the_letter "The estimate letter" {
  kind letter
  imitates j.letter
  pain "Customers cannot tell an estimate from a reading"
  subject "Your final bill"
  subject.nl "Uw eindafrekening"
  content """
    Dear customer,

    Your final bill is based on [[an estimated meter reading]].
    Please pay within 14 days.

    Kind regards,
    Billing
  """
  content.nl """
    Geachte klant,

    Uw eindafrekening is gebaseerd op [[een geschatte meterstand]].
  """
}
teaser the_call "The call" {
  kind phone
  imitates j.call
  content """
    Agent: Good morning, how can I help?
    Pat: I never got my bill.
    Agent: [[I cannot see that here, please call billing.]]
  """
}
teaser the_page "The page" {
  kind web_page
  imitates j.form
  content """
    Moving? Tell us [[at least six weeks]] in advance.

    Log in with your customer number.
  """
}
'''


def test_a_letter_with_its_own_content_prints_that_text_with_the_flaws_marked():
    files = rendered(WRITTEN)
    page = files["teasers/j/the_letter.en.html"].decode()
    letter = _article(page)
    assert "Regarding: Your final bill" in letter
    assert "Your final bill is based on an estimated meter reading 1 . Please pay within 14 days." in letter
    assert "<mark>an estimated meter reading</mark><sup>1</sup>" in page
    # its own salutation and closing, once: nothing generated around a written letter
    assert letter.count("Dear customer") == 1 and letter.count("Kind regards") == 1
    assert "Kind regards, Billing" in letter
    # prose wrapped in the spec reads as one paragraph; a closing of short lines keeps its lines
    assert "<mark>an estimated meter reading</mark><sup>1</sup>. Please pay within 14 days." in page
    assert "Kind regards,<br>Billing" in page
    # the organisation's description of the pain is for the facilitator, never in the letter
    assert "Customers cannot tell an estimate from a reading" not in letter
    assert "Customers cannot tell an estimate from a reading" in page
    # the flaws sheet explains the marked passage and the spec's fail point
    sheet = page[page.index("</article>"):]
    assert "an estimated meter reading" in sheet and "The letter quotes an estimate" in sheet


def test_the_written_content_is_translated_like_every_text():
    files = rendered(WRITTEN, options={"locale": "nl"})
    letter = _article(files["teasers/j/the_letter.nl.html"].decode())
    assert "Betreft: Uw eindafrekening" in letter
    assert "Uw eindafrekening is gebaseerd op een geschatte meterstand" in letter
    assert "Your final bill" not in letter


def test_a_phone_teaser_plays_its_own_script_lines():
    page = rendered(WRITTEN)["teasers/j/the_call.en.html"].decode()
    rows = re.findall(r'<tr class="(\w+)">(.*?)</tr>', page, re.S)
    said = [(kind, " ".join(re.sub(r"<[^>]+>", " ", row).split())) for kind, row in rows]
    lines = [(kind, text) for kind, text in said if "Good morning" in text or "never got" in text
             or "call billing" in text]
    assert [kind for kind, _ in lines] == ["agent", "agent", "fail"]
    assert re.match(r"\d+:\d\d Pat I never got my bill\. 15 seconds$", lines[1][1]), lines[1][1]
    assert "[[" not in page  # the marks are read, not printed


def test_a_web_page_shows_its_own_copy_and_reveals_the_marked_passage():
    page = rendered(WRITTEN)["teasers/j/the_page.en.html"].decode()
    assert "<mark>at least six weeks</mark><sup>1</sup>" in page
    assert "Log in with your customer number." in page
    payload = json.loads(re.search(r'<script type="application/json"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert "at least six weeks" in payload["reveal"]


def test_the_generated_letter_reads_as_a_letter_never_the_pain_or_the_channel_name():
    # issue 16: "Hierbij ontvangt u: Brief: uw paspoort ligt klaar." with the pain as its body
    spec = SPEC.replace('touchpoint letter "The letter"', 'touchpoint letter "Letter: your meter reading is due"') + '''
teaser the_letter "The letter" {
  kind letter
  imitates j.letter
  pain "We never say which reading we used"
}
'''
    page = rendered(spec)["teasers/j/the_letter.en.html"].decode()
    letter = _article(page)
    assert "Regarding: Your meter reading is due" in letter
    assert "Letter:" not in letter and "Please find enclosed: " not in letter
    assert "We never say which reading we used" not in letter   # the pain: the briefing's, not the letter's
    assert "The letter quotes an estimate" not in letter        # a fail point is explained, not printed
    assert "<mark>Your meter reading is due.</mark><sup>1</sup>" in page
    assert "Your next step: Call." in letter
    flaws = page[page.index("</article>"):]
    assert "The letter quotes an estimate" in flaws


def test_a_generated_letter_about_a_thing_says_what_it_brings():
    page = rendered(SPEC + 'teaser l "L" {\n  kind letter\n  imitates j.letter\n}\n',
                    options={"locale": "nl"})["teasers/j/l.nl.html"].decode()
    assert "Hierbij ontvangt u uw the letter." in _article(page)


def test_a_role_play_or_video_shows_its_own_text_with_the_flaws_listed():
    spec = SPEC + '''
teaser play "At the counter" {
  kind roleplay
  imitates j.call
  content """
    Employee: Your number, please.

    Employee: [[That is not in the system.]]
  """
}
teaser film "The film" {
  kind video
  imitates j.letter
  content "A kitchen table, a pile of envelopes, [[an estimate in red]]."
}
'''
    files = rendered(spec)
    play = files["teasers/j/play.en.html"].decode()
    assert "The text as written for this teaser" in play
    assert "Employee: Your number, please." in play and "<mark>That is not in the system.</mark><sup>1</sup>" in play
    assert '<li class="flaw">That is not in the system.</li>' in play
    film = files["teasers/j/film.en.html"].decode()
    assert "<mark>an estimate in red</mark><sup>1</sup>" in film
