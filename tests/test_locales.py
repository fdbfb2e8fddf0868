"""Each example workspace, built in each of its locales, reads in that locale only.

A person reading the English site of a Dutch workspace sees no Dutch spec text, and no page of
any site shows a raw id (``call_again``, ``web_page``), a metric code (``negative_share``) or a
comparison as typed (``>=``): every id reads as its label in the page's language. The visible
text is what an HTML parser finds outside scripts, styles and inline drawings, plus image
alternatives (tests/visible_text.py).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import journeyql
from journeyql.host import names as builtin_names
from journeyql.language.model import text_in
from journeyql.language.schema import METRICS, TOP_LEVEL
from journeyql.workspace.config import load_config
from visible_text import visible_text

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
WORKSPACES = sorted(p.parent.name for p in SPECS.glob("*/journeyql.toml"))
JOURNEYQL = str(Path(sys.executable).parent / "journeyql")

#: Texts a page may show although they look like code or like the other language; keep it short.
ALLOWED = {
    "-3..3", "1..5", "1..7", "0..10",  # emotion and answer scales, written as the method writes them
    "PrEmo", "PANAS", "NPS", "CES", "CSAT", "KPI", "CRM",  # names of methods and systems, the same in every language
}
SNAKE = re.compile(r"(?<![\w./-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w.-])")  # call_again, negative_share
TYPED = re.compile(r"\s(?:>=|<=|==)\s")  # a comparison as typed in a spec, not as typeset


def _objects(workspace):
    """(object, spec) of every construct in the workspace, nested ones too."""
    def visit(item, spec):
        yield item, spec
        for _key, (field, child) in spec.blocks.items():
            for part in getattr(item, field, ()) or ():
                yield from visit(part, child)
    for field, spec in TOP_LEVEL.values():
        for item in getattr(workspace, field):
            yield from visit(item, spec)


def _texts(workspace, locale: str) -> set[str]:
    """Every spec text as the page in ``locale`` shows it."""
    found = set()
    for item, spec in _objects(workspace):
        for attr in spec.texts.values():
            value = text_in(item, attr.field, locale)
            for text in (value if isinstance(value, tuple) else (value,)):
                if text:
                    found.add(" ".join(text.split()))
    return found


def _foreign(workspace, locale: str, others) -> set[str]:
    """Spec texts and built-in names of the other locales that differ from anything said in ``locale``."""
    own = _texts(workspace, locale)
    foreign = set()
    for other in others:
        foreign |= _texts(workspace, other)
        for table in (builtin_names.EMOTIONS, builtin_names.INTENTS, builtin_names.METRICS,
                      builtin_names.TEASER_KINDS):
            theirs = table.get(builtin_names.language(other), {})
            ours = table.get(builtin_names.language(locale), {})
            foreign |= {word for key, word in theirs.items() if word != ours.get(key)}
    # a text the same in both languages (a name, "E-mail") is nobody's foreign text
    return {text for text in foreign - own if len(text) >= 5 and not any(text in mine for mine in own)}


#: the standard plugins' own word tables ({locale: {key: words}} somewhere in each module)
WORD_MODULES = ("journeyql_site.words", "journeyql_plan.words", "journeyql_teasers.words", "journeyql_surveys.words",
                "journeyql_maps.words", "journeyql_curve.words", "journeyql_markdown", "journeyql_mermaid",
                "journeyql.host.names")


def _vocabulary(locale: str) -> str:
    """Every word the standard plugins themselves say in ``locale``: an id that is also a word of the
    language ("valence", "satisfaction" in English) is that word, not a leaked id."""
    import importlib

    said = []
    for name in WORD_MODULES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, dict) and isinstance(value.get(builtin_names.language(locale)), dict):
                said += [str(v) for v in value[builtin_names.language(locale)].values()]
    return " ".join(said).lower()


def _ids(workspace) -> set[str]:
    """Names a spec writes that a person should never read as they are."""
    found = {item.id for item, _spec in _objects(workspace) if getattr(item, "id", None)}
    for journey in workspace.journeys:
        for step in journey.steps:
            for emotion in (step.expected, step.target, *(v.expected for v in step.personas),
                            *(v.target for v in step.personas)):
                found |= set(emotion.emotions) if emotion is not None else set()
    for measurement in workspace.measurements:
        for instrument in measurement.instruments:
            found |= set(instrument.items)
    return found | set(METRICS)


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """Every example built once: {workspace: (output folder, [(locale, folder of its site copy)])}."""
    out = tmp_path_factory.mktemp("locales")
    done = subprocess.run([JOURNEYQL, "build", "specs", "-o", str(out)], capture_output=True, text=True,
                          cwd=ROOT, timeout=900)
    assert done.returncode == 0, done.stderr
    found = {}
    for name in WORKSPACES:
        config, _findings = load_config(SPECS / name)
        default = config.workspace.locale
        locales = list(dict.fromkeys([default, *config.workspace.locales]))
        found[name] = (out / name, [(loc, out / name if loc == default else out / name / loc) for loc in locales])
    return found


def _pages(site: Path, output: Path, locale: str, locales) -> list[Path]:
    """The site's pages in ``locale`` and the HTML outputs in that language (or in none) they link."""
    pages = [*site.glob("*.html"), *site.glob("journeys/*.html"), *site.glob("personas/*.html")]
    linked = set()
    for page in pages:
        _text, links = visible_text(page.read_text(encoding="utf-8"))
        for href, _label in links:
            target = (page.parent / href.split("#")[0]).resolve()
            if target.suffix != ".html" or not target.is_file() or output.resolve() not in target.parents:
                continue
            place = target.relative_to(output.resolve()).parts
            if place[0] in locales or place[0] in ("journeys", "personas") or len(place) == 1:
                continue  # a page of the site itself: the language switch leads to the other copy
            linked.add(target)
    return sorted(set(pages) | linked)


@pytest.mark.parametrize("name", WORKSPACES)
def test_every_page_reads_in_its_own_locale_without_codes(sites, name):
    output, languages = sites[name]
    workspace = journeyql.load(str(SPECS / name))
    codes = [loc for loc, _site in languages]
    ids = _ids(workspace)
    problems = []
    for locale, site in languages:
        own_words = " ".join(_texts(workspace, locale)) + " " + _vocabulary(locale)
        foreign = _foreign(workspace, locale, [c for c in codes if c != locale])
        for page in _pages(site, output, locale, codes):
            pieces, links = visible_text(page.read_text(encoding="utf-8"))
            # a download's file name is shown as it is on disk (a list of files, not prose)
            files = {text for href, text in links if text and text == href.rsplit("/", 1)[-1]}
            text = " \n ".join(p for p in pieces if p not in files and p not in ALLOWED)
            where = f"{locale} {page.relative_to(output)}"
            problems += [f"{where}: foreign text {t!r}" for t in sorted(foreign)
                         if re.search(rf"(?<!\w){re.escape(t)}(?!\w)", text)
                         # one word both languages have ("Brief": a letter in Dutch, an actor's brief in English)
                         and not (" " not in t and re.search(rf"(?<!\w){re.escape(t.lower())}(?!\w)", own_words))]
            problems += [f"{where}: code {m!r}" for m in sorted(set(SNAKE.findall(text)))
                         if m not in own_words and m not in ALLOWED]
            problems += [f"{where}: comparison as typed {m.strip()!r}" for m in TYPED.findall(text)]
            problems += [f"{where}: raw id {i!r}" for i in sorted(ids)
                         if re.search(rf"(?<![\w/.-]){re.escape(i)}(?![\w/-])", text) and i not in own_words
                         and i not in ALLOWED]
    problems = list(dict.fromkeys(problems))
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:80])
