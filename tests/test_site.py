"""The roadmap `site`: structure, links, locales and print checked statically, then in a real browser.

The whole example site is built with ``journeyql build specs`` (every standard
renderer). Other renderers are written by others and change: these tests only
require that whatever they wrote is linked from the site and loads, never
their exact files.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import journeyql
import journeyql.host.testing
import browser as browser_helper
from browser import check_pages, open_browser
from journeyql.measure.results import Metrics, Results
from test_curve import HOSTILE_SPEC

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
WORKSPACES = sorted(p.parent.name for p in SPECS.glob("*/journeyql.toml"))
JOURNEYQL = [str(Path(sys.executable).parent / "journeyql")]
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*JOURNEYQL, *args], capture_output=True, text=True, cwd=ROOT, timeout=600)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "out"
    done = run("build", "specs", "-o", str(out))
    # every standard renderer succeeds on the examples (no error, no warning), except the one warning
    # specs/municipality-services is there to give: ten respondents whose rows name two personas
    disagreement = ("warning: 10 respondent(s) whose rows name more than one persona: each counts under the "
                    "first (A-Z) for every metric\n")
    assert done.stderr.count(disagreement) == 1, done.stderr
    rest = done.stderr.replace(disagreement, "")
    assert done.returncode == 0 and "error" not in rest and "warning" not in rest, done.stderr
    return out


@pytest.fixture(scope="module")
def chromium():
    """One chromium for the module's browser tests (launching costs more than a page)."""
    with open_browser() as browser:
        yield browser


def manifest(workspace_out: Path) -> list[dict]:
    return json.loads((workspace_out / "manifest.json").read_text(encoding="utf-8"))["files"]


def site_pages(workspace_out: Path) -> list[Path]:
    return [workspace_out / f["path"] for f in manifest(workspace_out)
            if f["renderer"] == "site" and f["path"].endswith(".html")]


def others(workspace_out: Path) -> list[str]:
    return sorted(f["path"] for f in manifest(workspace_out) if f["renderer"] != "site")


class Page(HTMLParser):
    """A page's structure: unbalanced tags, its links and sources, its ids, its text."""

    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.refs: list[tuple[str, str, str]] = []     # (tag, attribute, value)
        self.ids: set[str] = set()
        self.scripts = 0
        self.text_parts: list[str] = []
        self.doctype = False
        self.lang = None
        self.feed(path.read_text(encoding="utf-8"))
        self.close()
        if self.stack:
            self.problems.append(f"unclosed {self.stack}")

    def handle_decl(self, decl):
        self.doctype = decl.lower() == "doctype html"

    def handle_starttag(self, tag, attrs):
        self._attrs(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self._attrs(tag, attrs)

    def _attrs(self, tag, attrs):
        if tag == "script":
            self.scripts += 1
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        for name, value in attrs:
            if name == "id":
                self.ids.add(value)
            if name in ("href", "src", "srcset", "action", "poster", "data") or name.startswith("on") \
                    or name == "style":
                self.refs.append((tag, name, value or ""))

    def handle_endtag(self, tag):
        if tag in VOID:
            self.problems.append(f"end tag for void element {tag}")
        elif not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text_parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def links(self) -> list[str]:
        return [v for tag, name, v in self.refs if name in ("href", "src")]

    def targets(self, root: Path) -> set[str]:
        """Every file this page links to, relative to ``root``."""
        found = set()
        for value in self.links():
            path = urlsplit(value).path
            if path:
                here = self.path.parent.relative_to(root).as_posix()
                found.add(posixpath.normpath(posixpath.join(here, unquote(path))))
        return found


def names_journey(path: str, journey_id: str) -> bool:
    """The rule the site promises: a segment or file stem is the id, or starts with it then a non-identifier."""
    names = path.split("/") + [path.rsplit("/", 1)[-1].split(".", 1)[0]]
    return any(n == journey_id or (n.startswith(journey_id) and not re.match(r"\w", n[len(journey_id)]))
               for n in names)


# --- the built example site, statically ---------------------------------------------------

@pytest.mark.parametrize("workspace", WORKSPACES)
def test_every_layer_gets_a_page(built, workspace):
    model = journeyql.load(str(SPECS / workspace))
    out = built / workspace
    expected = {"index.html", "stakeholders.html", "downloads.html", "assets/site.css"}
    expected |= {f"journeys/{j.id}.html" for j in model.journeys} | {f"personas/{p.id}.html" for p in model.personas}
    # a journey several organisations share: its benchmark page, and a page per organisation
    expected |= {f"journeys/{j.id}--{o}.html" for j in model.journeys if j.shared for o in j.organisations}
    written = {f["path"] for f in manifest(out) if f["renderer"] == "site"}
    assert expected <= written
    extra = written - expected
    locales = {path.split("/", 1)[0] for path in extra}
    assert extra == {f"{locale}/{path}" for locale in locales for path in expected - {"assets/site.css"}}


@pytest.mark.parametrize("workspace", WORKSPACES)
def test_pages_are_well_formed_and_self_contained(built, workspace):
    out = built / workspace
    for path in site_pages(out):
        page = Page(path)
        assert page.doctype and page.lang, path
        assert page.problems == [], (path, page.problems)
        assert page.scripts == 0, path                   # the site needs no JavaScript
        for tag, name, value in page.refs:
            assert not name.startswith("on"), (path, tag, name)
            assert not re.match(r"(?i)^(?:[a-z][a-z0-9+.-]*:|//)", value), (path, tag, value)
    css = (out / "assets" / "site.css").read_text(encoding="utf-8")
    assert not re.search(r"(?i)https?:|//|@import|url\(", re.sub(r"/\*.*?\*/", "", css, flags=re.S))


@pytest.mark.parametrize("workspace", WORKSPACES)
def test_every_internal_link_resolves(built, workspace):
    out = built / workspace
    for path in site_pages(out):
        page = Page(path)
        for value in page.links():
            parts = urlsplit(value)
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            assert target.is_file(), (path, value)
            assert out.resolve() in target.parents, (path, value)   # never outside the output directory
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in Page(target).ids, (path, value)


@pytest.mark.parametrize("workspace", WORKSPACES)
def test_downloads_page_links_every_other_output(built, workspace):
    """Each language's downloads page links the files in its language (and those in none): together, every file."""
    out = built / workspace
    linked = set()
    for page in [out / "downloads.html", *sorted(out.glob("*/downloads.html"))]:
        linked |= Page(page).targets(out)
    assert set(others(out)) - linked == set()


@pytest.mark.parametrize("workspace", WORKSPACES)
def test_journey_pages_link_their_outputs_and_embed_the_charts(built, workspace):
    model = journeyql.load(str(SPECS / workspace))
    out = built / workspace
    files = set(others(out))
    copies = [p.parent for p in out.glob("*/journeys")]  # the site in each further language
    for journey in model.journeys:
        page = Page(out / "journeys" / f"{journey.id}.html")
        linked = page.targets(out)
        for copy in copies:  # each language's page links the files in its language
            linked |= Page(copy / "journeys" / f"{journey.id}.html").targets(out)
        for organisation in journey.organisations if journey.shared else ():
            # a shared journey's pages: the benchmark page and each organisation's, which links its own drawings
            for folder in [out / "journeys", *copies]:
                linked |= Page(folder / f"{journey.id}--{organisation}.html").targets(out)
        related = {p for p in files if names_journey(p, journey.id)}
        assert related - linked == set(), journey.id
        images = {posixpath.normpath(posixpath.join("journeys", v)) for t, n, v in page.refs if t == "img"}
        for chart in (f"emotion-curve/{journey.id}.svg", f"blueprint/{journey.id}.svg"):
            assert (chart in images) == (chart in files), chart
        if f"touchpoint-matrix/{journey.id}.html" in files:
            assert f"touchpoint-matrix/{journey.id}.html" in linked
        for touchpoint in journey.touchpoints:
            assert touchpoint.text("label", model.locale) in page.text


def test_journey_page_shows_plan_results_teasers_and_improvements(built):
    out = built / "energie-verhuizen"
    page = Page(out / "journeys" / "verhuizen.html")
    for section in ("steps", "moments", "measurement", "teasers", "improvements"):
        assert section in page.ids, section
    text = page.text
    assert "Verhuismeting 2026" in text and "direct na" in text            # the plan, in Dutch
    assert re.search(r"Gevoel ≥ 1 .*?(gehaald|niet gehaald|nog niet gemeten)", text)  # a KPI, in words
    assert "Het formulier weigert een verhuisdatum verder dan 6 weken vooruit" in text   # a moment of truth
    assert "Klantenservice" in text or "klantenservice" in text                         # an owner
    if (SPECS / "energie-verhuizen" / "responses").is_dir():      # the build measures: results and KPI verdicts
        assert "results" in page.ids and "Respondenten" in text and "Hele klantreis" in text
        html = (out / "journeys" / "verhuizen.html").read_text(encoding="utf-8")
        assert re.findall(r'<tr class="kpi-(met|missed)">', html)
        curve = out / "emotion-curve" / "verhuizen.svg"
        assert not curve.is_file() or 'class="series series-measured"' in curve.read_text(encoding="utf-8")
    links = page.targets(out)
    assert any(p.startswith("teasers/") for p in links) == any(p.startswith("teasers/") for p in others(out))
    assert any(p.startswith("plan/") for p in links) == any(p.startswith("plan/") for p in others(out))


def test_stakeholders_page_embeds_the_stakeholder_maps(built):
    for workspace in WORKSPACES:
        out = built / workspace
        page = Page(out / "stakeholders.html")
        # one image per map, in the page's language: the workspace's own maps have no locale suffix
        maps = {p for p in others(out) if p.startswith("stakeholder-map/") and p.endswith(".svg")
                and not p.endswith(".en.svg")}
        images = {v for t, n, v in page.refs if t == "img"}
        assert maps == images
        model = journeyql.load(str(SPECS / workspace))
        for stakeholder in model.stakeholders:
            assert stakeholder.text("label", model.locale) in page.text


def test_a_copy_per_locale_with_a_language_switch(built):
    out = built / "energie-verhuizen"
    dutch, english = Page(out / "journeys" / "verhuizen.html"), Page(out / "en" / "journeys" / "verhuizen.html")
    assert dutch.lang == "nl" and english.lang == "en"
    assert "Klantreizen" in dutch.text and "Contactmomenten" in dutch.text and "Verhuizen" in dutch.text
    assert "Customer journeys" in english.text and "Moving house" in english.text
    assert "Touchpoints" in english.text and "Klantreizen" not in english.text
    assert "../en/journeys/verhuizen.html" in dutch.links()
    assert "../../journeys/verhuizen.html" in english.links()
    if (out / "emotion-curve" / "verhuizen.en.svg").is_file():       # the chart in the page's language
        assert ("img", "src", "../../emotion-curve/verhuizen.en.svg") in english.refs
        assert ("img", "src", "../emotion-curve/verhuizen.svg") in dutch.refs
    # one language only: no switch
    single = Page(built / "bank-mortgage" / "index.html")
    assert "English" not in single.text and not (built / "bank-mortgage" / "en").exists()


def test_previous_and_next_journey(built):
    out = built / "municipality-services"
    first, second = (Page(out / "journeys" / f"{j}.html") for j in ("address_change", "parking_permit"))
    assert "parking_permit.html" in first.links() and "address_change.html" in second.links()
    rels = re.findall(r'rel="(prev|next)"', (out / "journeys" / "address_change.html").read_text(encoding="utf-8"))
    assert rels == ["next"]


def test_print_stylesheet(built):
    css = (built / "bank-mortgage" / "assets" / "site.css").read_text(encoding="utf-8")
    assert re.search(r"@page poster\s*{\s*size:\s*A3 landscape", css)
    assert re.search(r"@media print\s*{", css) and ".journey-page { page: poster; }" in css


def test_build_is_deterministic(tmp_path):
    # two builds back to back, with different hash seeds (set order differs between processes);
    # not compared with the module's build: other renderers may change in between while being written
    builds = []
    for seed in ("1", "2"):
        out = tmp_path / f"build{seed}"
        subprocess.run([*JOURNEYQL, "build", "specs", "-o", str(out), "--force"], capture_output=True, text=True,
                       cwd=ROOT, timeout=600, env={**os.environ, "PYTHONHASHSEED": seed})
        builds.append(out)
    for workspace in WORKSPACES:
        pages = site_pages(builds[0] / workspace)
        assert pages
        for path in pages:
            relative = path.relative_to(builds[0] / workspace)
            assert (builds[1] / workspace / relative).read_bytes() == path.read_bytes(), relative


# --- generic linking, results and KPIs, with outputs under our control -------------------------

LINKING_SPEC = '''
stakeholder ops "Ops" { kind internal }
channel web "Web" { kind web }
persona p "Pia" { prefers web }
journey j "Jay" {
  personas p
  stage s "S" {
    step a "A" { touchpoint ta "Touch A" { channel web  owner ops } expected 1 }
    step b "B" { touchpoint tb "Touch B" { channel web  owner ops } expected -1 }
  }
}
journey k "Kay" {
  stage s "S" { step c "C" { touchpoint tc "Touch C" { channel web  owner ops } expected 0 } }
}
measurement m1 "Plan one" {
  journey j
  valence { scale -3..3 }
  nps "Would you recommend us?"
  sample ta, tb
  sample end
  kpi ta.valence >= 1
  kpi nps >= 10
  kpi tb.negative_share <= 25%
}
teaser t1 "Teaser one" { kind letter  imitates ta }
'''

FAKE_FILES = {
    "blueprint/j.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
    "touchpoint-matrix/j.html": "<!DOCTYPE html><html><head><title>m</title></head><body>m</body></html>",
    "plan/j.nl.html": "plan", "plan/index.html": "plan index", "plan/k.html": "plan k",
    "teasers/t1.html": "teaser", "surveys/m1.xml": "<survey/>", "misc/j--p.txt": "j p",
    "misc/jj.txt": "not j", "misc/k.txt": "k", "emotion-curve-like/j/chart.txt": "under a j folder",
}


class FakeOutputs:
    """A renderer writing files named like the other renderers' (which the site must find generically)."""

    @journeyql.hookimpl
    def register_renderers(self, register):
        def render(workspace, context):
            for path, text in FAKE_FILES.items():
                context.write_text(path, text)

        register(name="fake-outputs", description="Files for the site to link.", render=render)


def build_with_fake(tmp_path: Path, results=None) -> Path:
    from journeyql.host.plugins import PluginHost
    from journeyql.host.rendering import run_renderers
    from journeyql.workspace import analyse, discover

    root = tmp_path / "ws"
    root.mkdir(parents=True)
    (root / "spec.jql").write_text(LINKING_SPEC, encoding="utf-8")
    host = PluginHost(entry_points=True, plugins=(FakeOutputs(),))
    ws = next(w for w in discover([str(root)]) if w.sources)
    analysis = analyse(ws, host.rules)
    out = tmp_path / "out"
    outcomes = run_renderers(analysis.workspace, ws, [host.renderers["fake-outputs"], host.renderers["site"]], out,
                             {}, incremental=False, template_dirs=host.template_dirs, results=results)
    assert [o.status for o in outcomes] == ["written", "written"], [o.message for o in outcomes]
    return out


def test_journey_page_links_outputs_by_journey_id(tmp_path):
    out = build_with_fake(tmp_path)
    page = Page(out / "journeys" / "j.html")
    linked = page.targets(out)
    assert {"plan/j.nl.html", "plan/index.html", "teasers/t1.html", "surveys/m1.xml", "misc/j--p.txt",
            "emotion-curve-like/j/chart.txt", "touchpoint-matrix/j.html", "blueprint/j.svg"} <= linked
    assert not {"plan/k.html", "misc/jj.txt", "misc/k.txt"} & linked
    assert ("img", "src", "../blueprint/j.svg") in page.refs
    other = Page(out / "journeys" / "k.html").targets(out)
    assert {"plan/k.html", "misc/k.txt"} <= other and "misc/j--p.txt" not in other
    assert set(FAKE_FILES) <= Page(out / "downloads.html").targets(out)


def test_results_and_kpis_met_missed_or_not_measured(tmp_path):
    results = Results(
        touchpoints={"j.ta": Metrics(n=12, valence_mean=1.5, valence_ci=(0.9, 2.1), valence_n=12,
                                     nps=40.0, nps_ci=(12.0, 61.0), nps_n=12)},
        journeys={"j": Metrics(n=20, valence_mean=0.4, valence_ci=(0.1, 0.7), nps=5.0, nps_ci=(-20.0, 30.0),
                               nps_n=20)})
    out = build_with_fake(tmp_path, results)
    html = (out / "journeys" / "j.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr class="kpi-(\w+)"><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>', html)
    assert rows == [("met", "Touch A", "Feeling ≥ 1", "1.5"), ("missed", "Jay", "NPS ≥ 10", "5"),
                    ("unknown", "Touch B", "Share negative ≤ 25%", "")]  # KPIs in words, not code
    text = Page(out / "journeys" / "j.html").text
    assert "Touch A 12 +1.5 [0.9, 2.1] +40 [12, 61]" in text
    assert "Whole journey 20 +0.4 [0.1, 0.7] +5 [-20, 30]" in text
    without = build_with_fake(tmp_path / "none")
    assert "results" not in Page(without / "journeys" / "j.html").ids


def test_workspace_index_for_the_cli(tmp_path):
    import journeyql_site

    html = journeyql_site.workspace_index([("Energie <b>", "energie/index.html"),
                                           {"label": "Bank", "href": "bank/index.html", "description": "a & b"}],
                                          "nl")
    assert '<html lang="nl">' in html and "Werkruimten" in html
    assert "Energie &lt;b&gt;" in html and 'href="energie/index.html"' in html and "a &amp; b" in html
    assert journeyql_site.stylesheet().strip() in html
    (tmp_path / "index.html").write_text(html, encoding="utf-8")
    page = Page(tmp_path / "index.html")
    assert page.problems == [] and page.doctype and page.scripts == 0
    assert page.links() == ["energie/index.html", "bank/index.html"]
    assert not re.search(r"(?i)https?:|<script", html)
    for bad in ("https://example.org/", "/etc/passwd", "../up/index.html", "javascript:alert(1)"):
        with pytest.raises(ValueError):
            journeyql_site.workspace_index([("x", bad)])


def test_a_locale_without_ui_words_gets_english_words_and_its_own_name():
    result = journeyql.host.testing.render(LINKING_SPEC, "site", config='[workspace]\nlocale = "nl"\n'
                                                                  'locales = ["nl", "de-AT"]\n')
    assert result.ok, result.message
    assert 'lang="de-AT"' in result.text("de-AT/index.html") and "Customer journeys" in result.text("de-AT/index.html")
    assert "Deutsch (de-AT)" in result.text("index.html") and "Nederlands" in result.text("de-AT/index.html")
    assert "Klantreizen" in result.text("index.html")


def test_locale_that_is_no_language_tag_is_refused():
    # `check` refuses it already (JQL007), so no renderer ever sees it
    with pytest.raises(journeyql.SpecError) as raised:
        journeyql.host.testing.render(LINKING_SPEC, "site", config='[workspace]\nlocale = "en"\n'
                                                                  'locales = ["en", "../x"]\n')
    errors = [d for d in raised.value.diagnostics if d.severity is journeyql.Severity.ERROR]
    assert [d.code for d in errors] == ["JQL007"] and "locales" in errors[0].message


# --- the real browser ----------------------------------------------------------------------------

def test_example_site_in_a_real_browser(built, chromium):
    pages = [built / "index.html"] + [p for workspace in WORKSPACES for p in site_pages(built / workspace)]
    reports = check_pages(chromium, pages)
    problems = [r.summary() for r in reports if not r.clean]
    assert problems == [], "\n".join(problems)
    by_path = {r.path: r for r in reports}
    for workspace in WORKSPACES:
        out = built / workspace
        if any(p.startswith("emotion-curve/") for p in others(out)):
            # an organisation's view of a shared journey (`<journey>--<organisation>.html`) embeds no drawing:
            # the curve and blueprint renderers draw the journey as written, which is no organisation's own
            journey_pages = [r for p, r in by_path.items() if p.parent == out / "journeys" and "--" not in p.name]
            assert all(r.images >= 1 for r in journey_pages)
    assert all(r.links > 5 for r in reports if r.path != built / "index.html")
    # each workspace's site, and each of its journeys' pages (the index shows their curves and figures)
    assert by_path[built / "index.html"].links >= len(WORKSPACES)


def test_hostile_labels_never_run_in_a_real_browser(tmp_path, chromium):
    spec = tmp_path / "hostile"
    spec.mkdir()
    (spec / "spec.jql").write_text(HOSTILE_SPEC, encoding="utf-8")
    (spec / "journeyql.toml").write_text('[workspace]\nlocale = "en"\nlocales = ["en", "nl"]\n', encoding="utf-8")
    out = tmp_path / "out"
    done = run("render", str(spec), "--to", "emotion-curve,site", "-o", str(out))
    assert done.returncode in (0, 1) and "failed" not in done.stdout + done.stderr, done.stdout + done.stderr
    pages = sorted(out.rglob("*.html"))
    assert len(pages) == 2 * 6
    reports = check_pages(chromium, pages, watch_globals=["__pwned"])
    for report in reports:
        assert report.clean, report.summary()
        assert report.globals["__pwned"] is None, report.path
    journey = next(r for r in reports if r.path == out / "journeys" / "j.html")
    assert "J <script>window.__pwned=1</script>" in journey.text
    assert '<img src=x onerror="window.__pwned=4">' in journey.text
    assert "I need </dd><script>window.__pwned=7</script>" in journey.text
    assert journey.images == 3                                  # the journey's and two personas' curves
    persona = next(r for r in reports if r.path == out / "personas" / "p.html")
    assert "</blockquote><script>window.__pwned=6</script>" in persona.text
    stakeholders = next(r for r in reports if r.path == out / "stakeholders.html")
    assert '<img src=x onerror=window.__pwned=2> {braces} \\ back' in stakeholders.text


def test_print_hides_navigation_in_a_real_browser(built, chromium):
    page_path = built / "municipality-services" / "journeys" / "address_change.html"
    page = chromium.new_page()
    try:
        page.goto(page_path.as_uri())
        shown = "el => getComputedStyle(el).display"
        assert page.eval_on_selector(".site-header", shown) != "none"
        page.emulate_media(media="print")
        for selector in (".site-header", ".breadcrumbs", ".pager"):
            assert page.eval_on_selector(selector, shown) == "none", selector
        assert page.eval_on_selector(".print-only", shown) == "block"
        pdf = page.pdf(prefer_css_page_size=True)
        assert pdf.startswith(b"%PDF")
    finally:
        page.close()


def test_missing_chromium_fails_with_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setattr(browser_helper, "CHROMIUM", str(tmp_path / "no-chromium"))
    with pytest.raises(AssertionError, match="chromium not found at .*apt-get install chromium"):
        with open_browser():
            pass


def test_minimal_workspaces_give_a_valid_site(tmp_path):
    for number, spec in enumerate(['stakeholder ops "Ops" { kind internal }\n',
                                   'channel web "Web" { kind web }\n'
                                   'journey j "J" { stage s "S" { step a "A" { } } }\n']):
        result = journeyql.host.testing.render(spec, "site")
        assert result.ok, result.message
        out = tmp_path / str(number)
        for path, data in result.files.items():
            (out / path).parent.mkdir(parents=True, exist_ok=True)
            (out / path).write_bytes(data)
        for path in out.rglob("*.html"):
            page = Page(path)
            assert page.problems == [], (path, page.problems)
            for value in page.links():
                parts = urlsplit(value)
                assert (path.parent / unquote(parts.path)).is_file() if parts.path else True, (path, value)
    assert "No journeys yet." in Page(tmp_path / "0" / "index.html").text
    assert "all customers" in Page(tmp_path / "1" / "journeys" / "j.html").text


def test_several_workspaces_open_at_one_index(built):
    """`build specs` renders four workspaces: index.html at the root links each one's site."""
    page = (built / "index.html").read_text(encoding="utf-8")
    for workspace in WORKSPACES:
        assert f'href="{workspace}/index.html"' in page
        assert (built / workspace / "index.html").is_file()
    assert "<script" not in page and "http" not in page


def test_the_english_copy_embeds_the_english_maps(built):
    out = built / "energie-verhuizen"
    journey = {v for t, n, v in Page(out / "en" / "journeys" / "verhuizen.html").refs if t == "img"}
    assert "../../blueprint/verhuizen.en.svg" in journey and "../../emotion-curve/verhuizen.en.svg" in journey
    stakeholders = {v for t, n, v in Page(out / "en" / "stakeholders.html").refs if t == "img"}
    assert stakeholders == {"../stakeholder-map/stakeholders.en.svg"}


def test_small_samples_are_marked_on_the_site(tmp_path):
    """n below report_n: the count gets a dagger; below show_n: a double dagger and no figure; a note says so."""
    results = Results(
        touchpoints={"j.ta": Metrics(n=12, valence_mean=1.5, valence_ci=(0.9, 2.1), valence_n=12, nps=40.0,
                                     nps_ci=(12.0, 61.0), nps_n=12, sample="small"),
                     "j.tb": Metrics(n=3, valence_mean=-2.0, valence_ci=(-3.0, -1.0), valence_n=3, nps=-100.0,
                                     nps_ci=(-100.0, -20.0), nps_n=3, sample="too_small")},
        journeys={"j": Metrics(n=40, valence_mean=0.4, valence_ci=(0.1, 0.7), nps=5.0, nps_ci=(-20.0, 30.0),
                               nps_n=40, sample="ok")}, report_n=30, show_n=5)
    out = build_with_fake(tmp_path, results)
    text = Page(out / "journeys" / "j.html").text
    assert "Touch A 12 \u2020 +1.5 [0.9, 2.1] +40 [12, 61]" in text
    assert "Touch B 3 \u2021 \u2013 \u2013 \u2013 \u2013" in text and "-2" not in text.split("Touch B 3")[1][:40]
    assert "Whole journey 40 +0.4 [0.1, 0.7] +5 [-20, 30]" in text
    assert "\u2020 small sample (fewer than 30 respondents): read with care" in text
    assert "\u2021 too few respondents (fewer than 5) to show a figure" in text
