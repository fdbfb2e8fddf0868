"""The survey renderers `surveyjs`, `xlsform` and `survey-html`, each checked by the tool that consumes it:
SurveyJS's own survey-core (Node), pyxform (XLSForm -> ODK XForm) and a real headless Chromium.

Regenerate the golden files after an intended change with
``JOURNEYQL_UPDATE_GOLDEN=1 python -m pytest tests/test_surveys.py`` and review the diff.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import journeyql
import journeyql.host.testing
import journeyql_surveys
from journeyql.language.formatter import quote
from journeyql.measure.items import parse_question_name
from journeyql_surveys import html as survey_html
from journeyql_surveys import xlsform

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"
GOLDEN = Path(__file__).parent / "golden_surveys"
NODE_DIR = Path(__file__).parent / ".node"
WORKSPACES = sorted(p.parent.name for p in SPECS.glob("*/journeyql.toml"))
RENDERERS = ("surveyjs", "xlsform", "survey-html")
CSV_HEADER = ["respondent_id", "journey", "touchpoint", "item", "value", "timestamp", "persona", "organisation"]


def render(spec, renderer: str, **kwargs) -> journeyql.host.testing.RenderResult:
    return journeyql.host.testing.render(spec, renderer, plugins=[journeyql_surveys], installed=False, **kwargs)


def render_all(spec, out: Path, **kwargs) -> dict[str, bytes]:
    """Every survey output of ``spec``, written into ``out`` too (for the tools that read files)."""
    files: dict[str, bytes] = {}
    for renderer in RENDERERS:
        result = render(spec, renderer, **kwargs)
        assert result.ok, result.message
        files.update(result.files)
    for name, data in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    return files


@pytest.fixture(scope="module")
def examples(tmp_path_factory) -> dict[str, Path]:
    """Every example workspace's surveys, rendered once: {workspace: output directory}."""
    root = tmp_path_factory.mktemp("examples")
    return {ws: (render_all(SPECS / ws, root / ws), root / ws)[1] for ws in WORKSPACES}


def workbook_cells(data: bytes) -> dict[str, list[list[str]]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    return {sheet.title: [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            for sheet in book.worksheets}


def survey_rows(cells: dict) -> list[dict]:
    header, *rows = cells["survey"]
    return [dict(zip(header, row)) for row in rows]


# --- hostile input --------------------------------------------------------------------------------------------

HOSTILE = [
    'Colon: here; semi # hash',
    '"quoted" and \\ backslash',
    "<script>window.__pwned = 1</script>",
    "line one\nline two",
    "emoji 🙂 and مرحبا and ünïcödé",
    "{t-t0-valence} and ${t-t0-valence} braces",
    '=HYPERLINK("http://example.invalid")',
    "x" * 500,
    "</script><script>window.__pwned = 2</script><!--",
]


def hostile_spec() -> str:
    lines = ['stakeholder owner "Owner" { kind internal }', f"channel web {quote(HOSTILE[2])} {{ kind web }}",
             'persona p "P" { prefers web }', f"journey j {quote(HOSTILE[0])} {{", "  personas p",
             '  stage s "S" {']
    for i, label in enumerate(HOSTILE):
        lines.append(f"    step st{i} {quote(label)} {{ touchpoint t{i} {quote(label)} {{ channel web  owner owner }} }}")
    lines += ["  }", "}",
              f"measurement m {quote(HOSTILE[8])} {{", "  journey j", "  locales nl, en",
              f"  valence {{ scale -3..3  question {quote(HOSTILE[5])}  question.en {quote(HOSTILE[2])} }}",
              "  emotions irritation, relief", "  intents call_again, complain",
              f"  csat {quote(HOSTILE[1])}", f"  nps {quote(HOSTILE[3])}",
              f"  question why {quote(HOSTILE[6])} {{ answer choice  option {quote(HOSTILE[2])}  option {quote(HOSTILE[4])} }}",
              "  sample " + ", ".join(f"t{i}" for i in range(len(HOSTILE))), "  sample end", "}"]
    return "\n".join(lines) + "\n"


HOSTILE_CONFIG = '[workspace]\nname = "hostile"\nlocale = "nl"\nlocales = ["nl", "en"]\n'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hostile")
    render_all(hostile_spec(), out, config=HOSTILE_CONFIG)
    return out


# --- golden files and structure ---------------------------------------------------------------------------------

@pytest.mark.parametrize("workspace", WORKSPACES)
def test_golden_surveys(workspace, examples):
    """SurveyJS JSON and the XLSForm's cells (JSON lines, reviewable in a diff) per example workspace."""
    out = examples[workspace] / "surveys"
    produced = {}
    for path in sorted(out.glob("*.surveyjs.json")):
        produced[path.name] = path.read_text(encoding="utf-8")
    for path in sorted(out.glob("*.xlsx")):
        # one JSON line per row: {"sheet": ..., "row": [...]}
        produced[path.stem + ".xlsform.jsonl"] = "".join(
            json.dumps({"sheet": sheet, "row": row}, ensure_ascii=False) + "\n"
            for sheet, rows in workbook_cells(path.read_bytes()).items() for row in rows)
    golden = GOLDEN / workspace
    if os.environ.get("JOURNEYQL_UPDATE_GOLDEN"):
        shutil.rmtree(golden, ignore_errors=True)
        golden.mkdir(parents=True)
        for name, text in produced.items():
            (golden / name).write_text(text, encoding="utf-8")
    expected = {p.name: p.read_text(encoding="utf-8") for p in sorted(golden.glob("*"))}
    assert sorted(produced) == sorted(expected)
    for name, text in expected.items():
        assert produced[name] == text, f"{workspace}/{name} differs from its golden file"


@pytest.mark.parametrize("workspace", WORKSPACES)
def test_every_sampled_touchpoint_is_asked(workspace, examples):
    ws = journeyql.load(SPECS / workspace)
    assert ws.measurements
    for measurement in ws.measurements:
        shared = ws.get(measurement.journey)
        # a journey several organisations share: one survey per organisation, from its view
        views = [(f"{measurement.id}--{o}", shared.for_organisation(o)) for o in shared.organisations] \
            if shared.shared else [(measurement.id, shared)]
        for stem, journey in views:
            check_survey(ws, measurement, journey, examples[workspace] / "surveys" / f"{stem}.surveyjs.json")


def check_survey(ws, measurement, journey, path: Path) -> None:
    survey = json.loads(path.read_text("utf-8"))
    sampled = {key for sample in measurement.samples for key in sample.after}
    expected_pages = [f"touchpoint-{tp.id}" for tp in journey.touchpoints if tp.key in sampled] + ["end"]
    assert [page["name"] for page in survey["pages"]] == expected_pages
    kinds = {i.kind for i in measurement.instruments}
    for page in survey["pages"]:
        touchpoint = page["name"].removeprefix("touchpoint-") if page["name"] != "end" else None
        refs = [parse_question_name(q["name"]) for q in page["elements"]]
        assert all(r is not None and r.touchpoint == touchpoint for r in refs), page["name"]
        items = [r.item for r in refs]
        if touchpoint is None:
            assert items[0] == "nps" and {f"question.{i.id}" for i in measurement.instruments
                                          if i.kind == "question"} <= set(items)
            continue
        expected = [item for kind, item in (("valence", "valence"), ("emotions", "emotion")) if kind in kinds]
        expected += ["cause"] if expected else []
        expected += [item for kind, item in (("intents", "intent"), ("ces", "ces"), ("csat", "csat")) if kind in kinds]
        assert items == expected, page["name"]
        # the page says where the customer just was: touchpoint label and channel (of the respondent's view)
        tp = next(t for t in journey.touchpoints if t.id == touchpoint)
        assert tp.label in page["title"][ws.locale] and ws.get(tp.channel).label in page["title"][ws.locale]
    values = {v["name"]: v["expression"] for v in survey["calculatedValues"]}
    assert values == {"journeyql_journey": f"'{journey.id}'", "journeyql_measurement": f"'{measurement.id}'",
                      **({"journeyql_organisation": f"'{journey.organisation}'"} if journey.organisation else {})}


def test_dutch_survey_is_in_dutch_and_english(examples):
    survey = json.loads((examples["energie-verhuizen"] / "surveys" / "verhuismeting.surveyjs.json").read_text("utf-8"))
    assert survey["locale"] == "nl"
    localised = []

    def walk(node):
        if isinstance(node, dict):
            if "default" in node:
                localised.append(node)
            else:
                for value in node.values():
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(survey)
    assert len(localised) > 100
    assert all(set(text) == {"default", "nl", "en"} and text["default"] == text["en"] for text in localised)
    valence = survey["pages"][0]["elements"][0]
    # the spec's own text and its translation
    assert valence["title"]["nl"] == "Hoe voelde u zich net, na dit contact met Stroomwerk?"
    assert valence["title"]["en"] == "How did you feel just now, after this contact with Stroomwerk?"
    # the spec says CES only in Dutch: English gets the default text, with the organisation's name
    ces = next(q for q in survey["pages"][0]["elements"] if q["name"].endswith("-ces"))
    assert ces["title"]["nl"] == "Stroomwerk maakte het mij makkelijk om dit te regelen."
    assert ces["title"]["en"].startswith("Stroomwerk") and "easy" in ces["title"]["en"]
    emotion = survey["pages"][0]["elements"][1]
    assert {"value": "joy", "text": {"default": "Joy", "en": "Joy", "nl": "Vreugde"}} in emotion["rows"]
    assert survey["pages"][0]["title"]["en"].startswith("Online moving form")


def test_follow_up_rules_and_required_answers(examples):
    survey = json.loads((examples["bank-mortgage"] / "surveys" / "mortgage_pulse.surveyjs.json").read_text("utf-8"))
    questions = {q["name"]: q for page in survey["pages"] for q in page["elements"]}
    # scale 1..5: below the midpoint 3, or any emotion named
    assert questions["t-upload-cause"]["visibleIf"] == "{t-upload-valence} < 3 or {t-upload-emotion} notempty"
    assert questions["t-upload-intent"]["visibleIf"] == questions["t-upload-cause"]["visibleIf"]
    assert [c["value"] for c in questions["t-upload-intent"]["columns"]] == [1, 0]
    assert (questions["t-upload-valence"]["rateMin"], questions["t-upload-valence"]["rateMax"]) == (1, 5)
    assert (questions["t-upload-ces"]["rateMin"], questions["t-upload-ces"]["rateMax"]) == (1, 7)
    assert (questions["j-nps"]["rateMin"], questions["j-nps"]["rateMax"], questions["j-nps"]["isRequired"]) == (0, 10, True)
    # valence is required where every customer meets the touchpoint, optional where only some do
    ws = journeyql.load(SPECS / "bank-mortgage")
    for name, question in questions.items():
        if name.endswith("-valence"):
            tp = ws.get("mortgage." + parse_question_name(name).touchpoint)
            assert question.get("isRequired", False) == (tp.reach is None or tp.reach >= 100), name


# --- SurveyJS's own library -------------------------------------------------------------------------------------

def _survey_core() -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    assert node and npm, "Node.js and npm are needed to check the SurveyJS output with survey-core"
    if not (NODE_DIR / "node_modules" / "survey-core").is_dir():
        NODE_DIR.mkdir(exist_ok=True)
        result = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(NODE_DIR),
                                 "survey-core@2"], capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr[-2000:]
    script = NODE_DIR / "surveyjs_check.mjs"
    shutil.copy(Path(__file__).parent / "node" / "surveyjs_check.mjs", script)
    return script


def survey_core(files: list[Path]) -> dict:
    script = _survey_core()
    result = subprocess.run(["node", str(script), *map(str, files)], capture_output=True, text=True, timeout=300,
                            cwd=NODE_DIR)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def test_survey_core_loads_every_survey(examples, hostile, tmp_path):
    files = sorted(p for out in [*examples.values(), hostile] for p in out.glob("surveys/*.surveyjs.json"))
    # the examples' measurement plans (two in municipality-services; telecom-switch's shared plan one per
    # organisation) and the hostile one
    assert len(files) == 8
    checked = survey_core(files)
    for file, result in checked.items():
        assert result["ok"], (file, result.get("errors"), result.get("error"))
        assert result["completed"], (file, result.get("stuckAt"))
        survey = json.loads(Path(file).read_text("utf-8"))
        journey = survey["calculatedValues"][0]["expression"].strip("'")
        assert result["data"]["journeyql_journey"] == journey
        assert result["data"]["journeyql_measurement"] == survey["calculatedValues"][1]["expression"].strip("'")
        # the organisation is in every result without being asked (no question has its name)
        organisation = {v["name"]: v["expression"].strip("'") for v in survey["calculatedValues"]}.get(
            "journeyql_organisation")
        assert result["data"].get("journeyql_organisation") == organisation, file
        assert "journeyql_organisation" not in {q["name"] for q in result["questions"]}
        # follow-ups: hidden until the valence is low or an emotion is named
        assert result["followUps"], file
        for name, seen in result["followUps"].items():
            assert seen["none"] is False and seen["lowest"] is True and seen["highest"] is False, (file, name, seen)
            assert seen.get("middle", False) is False and seen["emotionNamed"] is True, (file, name, seen)
        ratings = {q["name"]: q["values"] for q in result["questions"] if q["type"] == "rating"}
        assert ratings["j-nps"] == list(range(0, 11))
        # every locale's texts are what the JSON says for that locale
        for locale, texts in result["locales"].items():
            assert texts["pages"] == [page["title"][locale] for page in survey["pages"]], (file, locale)
    hostile_result = checked[str(hostile / "surveys" / "m.surveyjs.json")]
    en = hostile_result["locales"]["en"]
    assert en["pages"][2].startswith("<script>window.__pwned = 1</script> (<script>")  # text, not markup
    assert en["pages"][5].startswith("\uff5bt-t0-valence\uff5d and $\uff5bt-t0-valence\uff5d braces")
    assert en["questions"]["t-t0-valence"] == HOSTILE[2]
    assert hostile_result["locales"]["nl"]["questions"]["t-t0-valence"] == HOSTILE[5].replace("{", "\uff5b").replace(
        "}", "\uff5d")


# --- XLSForm through pyxform --------------------------------------------------------------------------------------

def xls2xform(path: Path) -> tuple[str, list[str]]:
    import lark.lexer

    # lark checks every pair of pyxform's (unicode-heavy) terminals for collisions with interegular when it is
    # installed (it is, for our own grammar's strict test): minutes and gigabytes. pyxform does not need it.
    saved, lark.lexer.has_interegular = lark.lexer.has_interegular, False
    try:
        from pyxform.xls2xform import convert
    finally:
        lark.lexer.has_interegular = saved
    warnings: list[str] = []
    result = convert(str(path), warnings=warnings, pretty_print=True)
    return result.xform, warnings


def test_pyxform_converts_every_workbook(examples, hostile):
    files = sorted(p for out in [*examples.values(), hostile] for p in out.glob("surveys/*.xlsx"))
    assert len(files) == 8  # seven example surveys (telecom-switch: one per organisation) and the hostile one
    for path in files:
        xform, warnings = xls2xform(path)
        assert warnings == [], (path.name, warnings)
        survey = json.loads(path.with_name(path.stem + ".surveyjs.json").read_text("utf-8"))
        for page in survey["pages"]:
            for question in page["elements"]:
                assert f'/{page["name"]}/{question["name"]}"' in xform, (path.name, question["name"])
                if question["name"].endswith("-emotion"):
                    for row in question["rows"]:
                        assert f'/{question["name"]}-{row["value"]}"' in xform
        assert "/journeyql_journey" in xform and "/journeyql_measurement" in xform
        organisation = next((v["expression"] for v in survey["calculatedValues"]
                             if v["name"] == "journeyql_organisation"), None)
        if organisation is not None:  # recorded in every submission, never asked
            assert (f'<bind nodeset="/data/journeyql_organisation" type="string" calculate="{organisation}"/>'
                    in xform), path.name
        languages = {"bank-mortgage": ["English (en)"], "insurer-claim": ["English (en)"],
                     "telecom-switch": ["English (en)"], "municipality-services": ["English (en)"]}.get(path.parent.parent.name, ["Nederlands (nl)", "English (en)"])
        for language in languages:
            assert f'<translation lang="{language}"' in xform, (path.name, language)
    dutch, _ = xls2xform(examples["energie-verhuizen"] / "surveys" / "verhuismeting.xlsx")
    assert "<value>Vreugde</value>" in dutch and "<value>Joy</value>" in dutch
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in xls2xform(hostile / "surveys" / "m.xlsx")[0]


def test_xlsform_sheets_rules_and_settings(examples, hostile):
    cells = workbook_cells((examples["energie-verhuizen"] / "surveys" / "verhuismeting.xlsx").read_bytes())
    assert list(cells) == ["survey", "choices", "settings"]
    rows = {row["name"]: row for row in survey_rows(cells)}
    assert "label::Nederlands (nl)" in cells["survey"][0] and "label::English (en)" in cells["survey"][0]
    assert "hint::English (en)" in cells["survey"][0]
    assert rows["journeyql_journey"]["calculation"] == "'verhuizen'"
    assert rows["t-eindnota-valence"]["constraint"] == ". >= -3 and . <= 3"
    assert rows["t-eindnota-cause"]["relevant"] == "${t-eindnota-valence} < 0 or count-selected(${t-eindnota-emotion}) > 0"
    assert rows["t-eindnota-emotion"]["type"] == "select_multiple emotion"
    assert rows["t-eindnota-emotion-joy"]["relevant"] == "selected(${t-eindnota-emotion}, 'joy')"
    assert rows["t-eindnota-emotion-joy"]["constraint"] == ". >= 1 and . <= 5"
    assert rows["t-eindnota-intent"]["type"] == "select_multiple intent"
    assert rows["j-nps"]["constraint"] == ". >= 0 and . <= 10" and rows["j-nps"]["required"] == "yes"
    settings = dict(zip(*cells["settings"]))
    assert settings["form_id"] == "verhuismeting" and settings["default_language"] == "Nederlands (nl)"
    # a label that looks like a formula is a text cell, and `${...}` in spec text is no reference
    from openpyxl import load_workbook

    book = load_workbook(hostile / "surveys" / "m.xlsx")
    formula_like = [c for row in book["survey"].iter_rows() for c in row if str(c.value).startswith("=HYPERLINK")]
    assert formula_like and all(c.data_type == "s" for c in formula_like)
    header = [c.value for c in book["survey"][1]]
    texts = [c.value for row in book["survey"].iter_rows(min_row=2) for c in row
             if header[c.column - 1].startswith(("label::", "hint::"))]
    assert any("\uff04{t-t0-valence}" in str(t) for t in texts) and not any("${" in str(t) for t in texts)


def test_outputs_are_deterministic(tmp_path):
    first = render_all(SPECS / "energie-verhuizen", tmp_path / "a")
    second = render_all(SPECS / "energie-verhuizen", tmp_path / "b")
    assert sorted(first) == ["surveys/verhuismeting.en.html", "surveys/verhuismeting.nl.html",
                             "surveys/verhuismeting.surveyjs.json", "surveys/verhuismeting.xlsx"]
    assert first == second


# --- edge cases: clear errors or valid outputs -----------------------------------------------------------------

BASE = """
stakeholder ops "Ops" { kind internal }
channel web "Web" { kind web }
persona p "P" { prefers web }
journey j "J" { personas p  stage s "S" { step a "A" { touchpoint t "T" { channel web  owner ops } } } }
"""
RULES_OFF = '[workspace]\nname = "x"\nlocale = "en"\n[rules]\nmeasurement-without-sampling = "off"\n'


@pytest.mark.parametrize("measurement, message", [
    ('measurement m "M" { journey j  valence -3..3 }', "measurement `m` never says when to ask"),
    ('measurement m "M" { journey j  sample t }', "measurement `m` asks nothing"),
    ('measurement m "M" { journey j  valence -3..3  valence 1..5  sample t }', "asks `valence` twice"),
    ('measurement m "M" { journey j  question q "Q?" { answer choice }  sample end }', "choice question without options"),
    ('measurement m "M" { journey j  question q { answer text }  sample end }', "question `q` of measurement `m` has no text"),
])
def test_plans_that_cannot_be_asked_fail_clearly(measurement, message):
    for renderer in RENDERERS:
        result = render(BASE + measurement, renderer, config=RULES_OFF)
        assert result.status == "failed" and message in result.message, (renderer, result.message)
        assert "Traceback" not in result.message and not result.files


def test_a_plan_that_samples_only_the_end_asks_about_the_whole_journey(tmp_path):
    spec = BASE + 'measurement m "M" {\n journey j\n valence 0..100\n emotions panas\n csat {}\n sample end\n}'
    out = tmp_path / "out"
    render_all(spec, out)
    survey = json.loads((out / "surveys" / "m.surveyjs.json").read_text("utf-8"))
    assert [p["name"] for p in survey["pages"]] == ["end"]
    questions = {q["name"]: q for q in survey["pages"][0]["elements"]}
    assert list(questions) == ["j-valence", "j-emotion", "j-cause", "j-csat"]
    assert questions["j-valence"]["type"] == "text" and questions["j-valence"]["max"] == 100  # too many for buttons
    assert questions["j-csat"]["title"]["en"] == "How satisfied are you with the whole journey?"
    assert len(questions["j-emotion"]["rows"]) == 20  # PANAS
    result = survey_core([out / "surveys" / "m.surveyjs.json"])
    assert all(r["ok"] and r["completed"] for r in result.values()), result
    xform, warnings = xls2xform(out / "surveys" / "m.xlsx")
    assert warnings == [] and "j-emotion-afraid" in xform


COMBINATIONS = [
    # (instruments and samples, the questions per page, a warning expected)
    ("intents call_again, complain\n csat {}\n sample t", {"touchpoint-t": ["t-t-intent", "t-t-csat"]}, None),
    ("emotions premo\n sample t, end", {"touchpoint-t": ["t-t-emotion", "t-t-cause"]}, None),
    ("nps {}\n sample t", {"end": ["j-nps"]}, "asks nothing there"),
    ('valence 1..5\n question q "Q?" { answer number }\n sample t',
     {"touchpoint-t": ["t-t-valence", "t-t-cause"], "end": ["j-question-q"]}, "does not sample `end`"),
]


@pytest.mark.parametrize("instruments, pages, warning", COMBINATIONS)
def test_unusual_instrument_combinations_give_valid_surveys(instruments, pages, warning, tmp_path):
    spec = BASE + f'measurement m "M" {{\n journey j\n {instruments}\n}}'
    result = render(spec, "surveyjs")
    assert result.ok, result.message
    assert (warning is None and result.warnings == []) or any(warning in w for w in result.warnings), result.warnings
    out = tmp_path / "out"
    render_all(spec, out)
    survey = json.loads((out / "surveys" / "m.surveyjs.json").read_text("utf-8"))
    assert {p["name"]: [q["name"] for q in p["elements"]] for p in survey["pages"]} == pages
    questions = {q["name"]: q for p in survey["pages"] for q in p["elements"]}
    if "t-t-intent" in questions and "t-t-emotion" not in questions:
        assert "visibleIf" not in questions["t-t-intent"]  # nothing to follow up on: always asked
    checked = survey_core([out / "surveys" / "m.surveyjs.json"])
    [(_, loaded)] = checked.items()
    assert loaded["ok"] and loaded["completed"], loaded
    for seen in loaded["followUps"].values():  # whichever of valence and emotions the plan asks decides
        assert seen["none"] is False and seen.get("emotionNamed", True) is True
        assert seen.get("lowest", True) is True and seen.get("highest", False) is False
        assert "emotionNamed" in seen or "lowest" in seen
    xform, warnings = xls2xform(out / "surveys" / "m.xlsx")
    assert warnings == [] and all(f"/{name}\"" in xform for name in questions)


def test_a_locale_without_built_in_words_falls_back_to_english_and_warns():
    spec = BASE + 'measurement m "M" {\n journey j\n locales en, de\n valence -3..3\n nps {}\n sample t, end\n}'
    result = render(spec, "surveyjs")
    assert result.ok and any("locale `de`" in w for w in result.warnings)
    survey = json.loads(result.text("surveys/m.surveyjs.json"))
    assert survey["pages"][1]["elements"][0]["title"]["de"] == survey["pages"][1]["elements"][0]["title"]["en"]


def test_script_json_cannot_close_its_script_element():
    text = str(survey_html.script_json({"x": "</script><!-- & \u2028 <script>"}))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"x": "</script><!-- & \u2028 <script>"}
    assert xlsform.spec_text("${a} \x01 b") == "\uff04{a}  b"


# --- the HTML survey in a real browser ------------------------------------------------------------------------

CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path("/usr/bin/chromium").exists(), "Debian's chromium is needed for the browser tests"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Page:
    """A survey page opened from file://, with every console error and outside request recorded."""

    def __init__(self, browser, path: Path, query: str = ""):
        self.context = browser.new_context(accept_downloads=True)
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.as_uri() + query)

    def _route(self, route):
        if route.request.url.startswith(("file:", "blob:", "data:")):
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def tap(self, name: str, value) -> None:
        self.page.click(f"label:has(input[name='{name}'][value='{value}'])")

    def visible(self, name: str) -> bool:
        return self.page.is_visible(f"#q-{name}")

    def save(self) -> list[dict]:
        with self.page.expect_download() as download:
            self.page.click("#save")
        text = Path(download.value.path()).read_text(encoding="utf-8")
        self.filename = download.value.suggested_filename
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader)
        assert header == CSV_HEADER
        return [dict(zip(header, row)) for row in reader]

    def close(self):
        self.context.close()


def test_html_survey_is_filled_in_and_saved_as_canonical_csv(browser, examples):
    page = Page(browser, examples["energie-verhuizen"] / "surveys" / "verhuismeting.nl.html", "?persona=sanne")
    p = page.page
    assert p.locator("html").get_attribute("lang") == "nl"
    assert p.inner_text("h2 >> nth=0") == "Online verhuisformulier (Website)"
    # follow-ups appear only when the answers call for them
    assert not page.visible("t-eindnota-cause") and not page.visible("t-eindnota-intent")
    page.tap("t-eindnota-valence", 2)
    assert not page.visible("t-eindnota-cause")
    page.tap("t-eindnota-valence", -2)
    assert page.visible("t-eindnota-cause") and page.visible("t-eindnota-intent")
    p.fill("textarea[name='t-eindnota-cause']", 'Te hoog, "geschat"\nen =1+1 erbij')
    page.tap("t-eindnota-emotion", "dissatisfaction")
    # an emotion named without its intensity blocks saving, as does a required answer left open
    p.click("#save")
    assert p.is_visible("#e-t-eindnota-emotion") and p.is_visible("#e-j-nps")
    assert p.inner_text("#e-j-nps") == "Beantwoord deze vraag alstublieft."
    page.tap("t-eindnota-emotion-dissatisfaction", 4)
    page.tap("t-eindnota-intent-complain", 1)
    page.tap("t-eindnota-intent-switch", 0)
    for touchpoint in ("welkomstmail", "meterstand_app", "nabellen_tel"):
        page.tap(f"t-{touchpoint}-valence", 1)
    page.tap("j-nps", 3)
    p.fill("textarea[name='j-question-oorzaak']", "=SUM(A1)")
    rows = page.save()
    assert page.errors == [] and page.requests == []
    respondent = rows[0]["respondent_id"]
    assert len(respondent) == 36 and page.filename == f"verhuismeting-{respondent}.csv"
    assert all(r["respondent_id"] == respondent and r["journey"] == "verhuizen" and r["persona"] == "sanne"
               and r["organisation"] == "stroomwerk" and r["timestamp"].endswith("Z") for r in rows)
    answers = {(r["touchpoint"], r["item"]): r["value"] for r in rows}
    assert answers == {
        ("welkomstmail", "valence"): "1", ("meterstand_app", "valence"): "1", ("nabellen_tel", "valence"): "1",
        ("eindnota", "valence"): "-2", ("eindnota", "emotion.dissatisfaction"): "4",
        ("eindnota", "cause"): 'Te hoog, "geschat"\nen =1+1 erbij', ("eindnota", "intent.complain"): "1",
        ("eindnota", "intent.switch"): "0", ("", "nps"): "3", ("", "question.oorzaak"): "'=SUM(A1)",
    }
    # every row maps back to a touchpoint of the journey and a well-formed item
    ws = journeyql.load(SPECS / "energie-verhuizen")
    from journeyql.measure.items import is_item

    assert all((not r["touchpoint"] or ws.get("verhuizen." + r["touchpoint"])) and is_item(r["item"]) for r in rows)
    # saved: the form is empty again for the next respondent
    assert p.inner_text("#status").startswith("Dank u wel")
    assert not p.is_checked("input[name='j-nps'][value='3']")
    page.close()


def test_html_survey_keeps_a_draft_and_speaks_english(browser, examples):
    path = examples["energie-verhuizen"] / "surveys" / "verhuismeting.en.html"
    page = Page(browser, path)
    p = page.page
    assert p.locator("html").get_attribute("lang") == "en"
    assert p.inner_text("#save") == "Save my answers"
    assert "How did you feel just now" in p.inner_text("#l-t-eindnota-valence")
    page.tap("t-eindnota-valence", -3)
    p.reload()
    assert p.is_checked("input[name='t-eindnota-valence'][value='-3']") and page.visible("t-eindnota-cause")
    assert page.errors == [] and page.requests == []
    page.close()


def test_html_survey_shows_hostile_labels_as_text(browser, hostile):
    page = Page(browser, hostile / "surveys" / "m.en.html", "?persona=%3Cscript%3E")
    p = page.page
    assert p.evaluate("window.__pwned") is None
    titles = p.locator("h2").all_inner_texts()
    assert titles[2] == f"{HOSTILE[2]} ({HOSTILE[2]})" and titles[8].startswith(HOSTILE[8])
    assert titles[7].startswith("x" * 500)
    assert p.inner_text("#l-t-t0-valence") == HOSTILE[2] + " *"  # the text, then the required mark
    assert p.locator("script").count() == 2  # the plan's JSON and the page's own script, nothing injected
    for i in range(len(HOSTILE)):  # every touchpoint here is met by all customers: valence is required
        page.tap(f"t-t{i}-valence", -1 if i == 3 else 1)
    page.tap("j-nps", 10)
    page.tap("j-question-why", 2)
    rows = page.save()
    assert {(r["touchpoint"], r["item"], r["value"]) for r in rows} == {
        *((f"t{i}", "valence", "-1" if i == 3 else "1") for i in range(len(HOSTILE))),
        ("", "nps", "10"), ("", "question.why", "2")}
    assert {r["persona"] for r in rows} == {""}  # only the journey's own personas are taken from the link
    assert page.errors == [] and page.requests == []
    page.close()
