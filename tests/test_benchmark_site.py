"""The site of a shared journey: the benchmark page, each organisation's own page, and scoping.

Scoping is tested on the real example: every link and source of every HTML page of the built
telecom-switch workspace is read, and none of an organisation's pages (its journey view, its plan)
may point at a file that names another organisation (site links.belongs_to_organisation). The surveys
and teasers made per organisation (`surveys/<plan>--<org>.*`, `teasers/<journey>--<org>/`) are its pages too.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from journeyql.cli import main
from journeyql_site.links import belongs_to_organisation, names_organisation
from test_site import Page

ROOT = Path(__file__).resolve().parents[1]
ORGANISATIONS = ("lumen", "signal")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("telecom") / "out"
    assert main(["build", str(ROOT / "specs" / "telecom-switch"), "-o", str(out)]) == 0
    return out


def targets(page: Path, root: Path) -> list[str]:
    found = []
    for value in Page(page).links():
        parts = urlsplit(value)
        if parts.scheme or not parts.path:
            continue
        target = (page.parent / unquote(parts.path)).resolve()
        found.append(target.relative_to(root.resolve()).as_posix())
    return found


def owner_of(path: str) -> str | None:
    """The organisation a page belongs to, if one: its own journey view or its own plan."""
    named = [o for o in ORGANISATIONS if names_organisation(path, o)]
    return named[0] if len(named) == 1 else None


def test_no_page_of_an_organisation_links_or_embeds_another_organisations_file(site):
    pages = sorted(p for p in site.rglob("*.html"))
    owned = {p.relative_to(site).as_posix(): owner_of(p.relative_to(site).as_posix()) for p in pages}
    assert {"journeys/switch--lumen.html", "journeys/switch--signal.html", "plan/lumen.en.html",
            "plan/signal.en.html"} <= {p for p, o in owned.items() if o}
    # the surveys and teasers made per organisation are its pages too, and are scanned like them
    for organisation in ORGANISATIONS:
        assert {f"surveys/switch_benchmark--{organisation}.en.html",
                f"teasers/switch--{organisation}/workshop-kit.en.html",
                f"teasers/switch--{organisation}/day-in-the-life-priya.en.html"} <= {
            p for p, o in owned.items() if o == organisation}
    checked = 0
    for page in pages:
        organisation = owned[page.relative_to(site).as_posix()]
        if organisation is None:
            continue
        for target in targets(page, site):
            other = [o for o in ORGANISATIONS if o != organisation and names_organisation(target, o)]
            assert not other, f"{page.relative_to(site)} links {target}, a file of {other}"
            checked += 1
    assert checked > 20  # the scan saw real links, not an empty page
    # and the positive side: each organisation's page links its own plan, its own survey in every form
    # (the shared plan's survey is made per organisation) and its own teasers
    for organisation in ORGANISATIONS:
        found = set(targets(site / "journeys" / f"switch--{organisation}.html", site))
        assert f"plan/{organisation}.en.html" in found
        assert {t for t in found if t.startswith("surveys/")} == {
            f"surveys/switch_benchmark--{organisation}{suffix}" for suffix in (".en.html", ".surveyjs.json", ".xlsx")}
        teasers = {t for t in found if t.startswith("teasers/switch")}
        assert {f"teasers/switch--{organisation}/workshop-kit.en.html",
                f"teasers/switch--{organisation}/day-in-the-life-priya.en.html"} <= teasers
        assert all(t.startswith(f"teasers/switch--{organisation}/") for t in teasers), teasers
        assert "journeys/switch.html" in found  # back to the benchmark, which belongs to every organisation
        # its own drawings: its view of the journey, drawn by the curve, blueprint and matrix renderers
        assert {f"emotion-curve/switch--{organisation}.svg", f"blueprint/switch--{organisation}.svg",
                f"touchpoint-matrix/switch--{organisation}.html"} <= found
        # and not the journey as written (no organisation's own), which the benchmark page shows
        assert not {"emotion-curve/switch.svg", "blueprint/switch.svg", "touchpoint-matrix/switch.html"} & found
    # every organisation's own drawing was scanned too: its matrix page is one of its pages
    assert {"touchpoint-matrix/switch--lumen.html", "touchpoint-matrix/switch--signal.html"} <= set(owned)


def test_downloads_name_each_organisations_survey(site):
    text = (site / "downloads.html").read_text(encoding="utf-8")
    for label in ("Lumen Telecom", "SignalNet"):
        for kind in ("SurveyJS", "web page, English"):
            assert re.search(rf">Switch benchmark: Lumen and SignalNet, for {label}: [^<]*{kind}", text), (label, kind)


def test_belongs_to_every_organisation_is_explicit():
    everyone = ["lumen", "signal"]
    assert belongs_to_organisation("surveys/switch_benchmark.en.html", "lumen", everyone)  # names none: everyone's
    # an organisation's survey and teasers of a shared journey name it: `--` keeps the name a whole word
    assert belongs_to_organisation("surveys/switch_benchmark--lumen.xlsx", "lumen", everyone)
    assert not belongs_to_organisation("surveys/switch_benchmark--signal.en.html", "lumen", everyone)
    assert not belongs_to_organisation("teasers/switch--signal/workshop-kit.en.html", "lumen", everyone)
    assert belongs_to_organisation("plan/lumen.en.html", "lumen", everyone)
    assert not belongs_to_organisation("plan/signal.en.html", "lumen", everyone)
    assert not belongs_to_organisation("journeys/switch--signal.html", "lumen", everyone)


def test_the_benchmark_page_has_the_chart_the_table_and_each_organisations_view(site):
    page = site / "journeys" / "switch.html"
    text = page.read_text(encoding="utf-8")
    parsed = Page(page)
    assert not parsed.problems
    assert {"switch--lumen.html", "switch--signal.html"} <= {Path(t).name for t in parsed.links()}
    svg = re.search(r"<svg class=\"benchmark-chart\".*?</svg>", text, re.S).group(0)
    assert 'class="sector-band"' in svg
    groups = re.findall(r'<g class="organisation org-\d"><title>([^<]+)</title><polyline([^>]*)/>(.*?)</g>', svg, re.S)
    assert [g[0] for g in groups] == ["Lumen Telecom", "SignalNet"]
    # readable without colour: a dash pattern and a marker shape of its own, and the name at the line's end
    assert "stroke-dasharray" not in groups[0][1] and 'stroke-dasharray="8 4"' in groups[1][1]
    assert "<circle" in groups[0][2] and "<rect" in groups[1][2] and "<circle" not in groups[1][2]
    assert ">Lumen Telecom</text>" in groups[0][2] and ">SignalNet</text>" in groups[1][2]
    # the table: the first bill, where SignalNet is supported above and Lumen below the sector
    row = re.search(r"<tr><th scope=\"row\">First bill</th>(.*?)</tr>", text, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert "below the sector (supported)" in cells[0] and "above the sector (supported)" in cells[1]
    assert cells[-2:] == ["SignalNet", "Lumen Telecom"]  # best, worst
    outage = re.search(r"<tr><th scope=\"row\">Connection drops in the first week</th>(.*?)</tr>", text, re.S)
    assert "not enough data" in outage.group(1)
    # 28 and 33 respondents (report_n 30): shown, but neither is named best or worst
    assert re.findall(r"<td[^>]*>(.*?)</td>", outage.group(1), re.S)[-2:] == ["", ""]


def test_an_organisations_page_judges_kpis_on_its_own_respondents(site):
    """A KPI on an organisation's page is that organisation's: a step's valence from its own respondents;
    the journey's NPS, not measured per organisation, is shown as all organisations' figure, not as
    this organisation's "missed"."""
    for organisation in ORGANISATIONS:
        text = (site / "journeys" / f"switch--{organisation}.html").read_text(encoding="utf-8")
        rows = {re.sub(r"<[^>]+>", "", cells[0]): [re.sub(r"<[^>]+>", "", c) for c in cells[1:]]
                for cells in (re.findall(r"<td>(.*?)</td>", row, re.S)
                              for row in re.findall(r'<tr class="kpi-[a-z]+">(.*?)</tr>', text, re.S))}
        assert rows["Switching to fibre"] == ["NPS ≥ 20", "-35 (all organisations together)",
                                              "not measured per organisation"], rows
        # Technician visit >= 1.5: Lumen -0.93 (n=143), SignalNet -0.91 (n=150), the benchmark's means
        label = {"lumen": "Technician visit", "signal": "Partner technician visit"}[organisation]  # its own name
        assert rows[label] == ["Feeling ≥ 1.5", "-0.9", "missed"], rows
    benchmark = (site / "journeys" / "switch.html").read_text(encoding="utf-8")
    assert "not measured per organisation" not in benchmark


def test_an_organisations_page_shows_its_own_view_and_figures(site):
    signal = (site / "journeys" / "switch--signal.html").read_text(encoding="utf-8")
    lumen = (site / "journeys" / "switch--lumen.html").read_text(encoding="utf-8")
    assert "Installation date by e-mail" in signal and "Installation slot picker" not in signal
    assert "Reminder the day before" in lumen and "Reminder the day before" not in signal  # SignalNet skips it
    assert "SignalNet installation partner desk" in signal and "Lumen installation planning" not in signal
    # SignalNet's own teaser-free, improvement-free page: the teasers and improvements are Lumen's
    assert "Two-hour installation windows" in lumen and "Two-hour installation windows" not in signal


def test_an_organisations_page_embeds_its_own_curve_and_blueprint(site):
    for organisation, other in (("lumen", "signal"), ("signal", "lumen")):
        text = (site / "journeys" / f"switch--{organisation}.html").read_text(encoding="utf-8")
        assert f'src="../emotion-curve/switch--{organisation}.svg"' in text
        assert f'src="../blueprint/switch--{organisation}.svg"' in text
        assert f'href="../touchpoint-matrix/switch--{organisation}.html"' in text
        assert f"switch--{other}." not in text
    signal = (site / "journeys" / "switch--signal.html").read_text(encoding="utf-8")
    assert 'alt="Emotional curve of Switching to fibre: SignalNet"' in signal
    # the benchmark page keeps the drawings as written and leaves each organisation's own to its page
    benchmark = set(targets(site / "journeys" / "switch.html", site))
    assert {"emotion-curve/switch.svg", "blueprint/switch.svg"} <= benchmark
    assert not any(names_organisation(t, o) for t in benchmark for o in ORGANISATIONS
                   if t.split("/", 1)[0] in ("emotion-curve", "blueprint", "touchpoint-matrix", "mermaid", "markdown"))


def test_an_organisations_page_in_chromium(site, tmp_path):
    from browser import check_pages, open_browser

    pages = [site / "journeys" / "switch--signal.html", site / "journeys" / "switch--lumen.html"]
    with open_browser() as browser:
        reports = check_pages(browser, pages)
        assert all(r.clean for r in reports), "\n".join(r.summary() for r in reports if not r.clean)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(pages[0].as_uri())
        shown = page.evaluate("""() => Array.from(document.querySelectorAll('#curve img, #blueprint img'))
            .map(i => [i.getAttribute('src'), i.complete && i.naturalWidth > 0])""")
        page.screenshot(path=str(tmp_path / "switch--signal.png"), full_page=True)
        page.close()
    assert shown == [["../emotion-curve/switch--signal.svg", True], ["../blueprint/switch--signal.svg", True]]
    assert (tmp_path / "switch--signal.png").stat().st_size > 10_000


def test_the_benchmark_page_in_chromium(site):
    from browser import open_browser

    with open_browser() as browser:
        page = browser.new_page()
        errors, requests = [], []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("request", lambda r: requests.append(r.url))
        page.goto((site / "journeys" / "switch.html").as_uri())
        assert page.locator("svg.benchmark-chart polyline").count() == 2
        page.close()
    assert errors == []
    assert all(url.startswith("file://") for url in requests), requests
