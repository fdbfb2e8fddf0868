"""Accessibility: axe-core (from npm) in headless chromium on every HTML page a build writes.

Every page of ``journeyql build specs`` (site pages in each locale, plan pages, touchpoint
matrices, teasers, the surveys' fill-in pages, whatever else a renderer writes as HTML) and of
generated hostile and minimal workspaces is audited; any moderate, serious or critical
violation fails the test, listed by page, rule and target. axe.min.js is installed once into
tests/.node from the npm registry (like Mermaid for its parser test), never during a page load.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from browser import audit_pages, open_browser
from test_curve import HOSTILE_SPEC
from test_surveys import HOSTILE_CONFIG as SURVEY_CONFIG, hostile_spec as survey_spec

ROOT = Path(__file__).resolve().parent.parent
JOURNEYQL = [str(Path(sys.executable).parent / "journeyql")]

MINIMAL_SPEC = 'journey j "J" { stage s "S" { step a "A" { } } }\n'
# a 20-step journey: its blueprint and curve are wider than a page and scroll (the figure must
# then be reachable by keyboard)
LONG_SPEC = ('stakeholder ops "Ops" { kind internal }\nchannel web "Web" { kind web }\n'
             'journey long "Twenty steps" {\n  stage s "Stage" {\n'
             + "".join(f'    step s{i} "Step number {i} with a longer label" {{ touchpoint t{i} "Touchpoint {i}" '
                       f'{{ channel web  owner ops }}  expected {i % 7 - 3} }}\n' for i in range(20))
             + "  }\n}\n")


def build(spec_dir: Path, out: Path) -> Path:
    done = subprocess.run([*JOURNEYQL, "build", str(spec_dir), "-o", str(out), "--force"], capture_output=True,
                          text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def report(violations) -> str:
    counts = Counter((v.impact, v.rule) for v in violations)
    head = ", ".join(f"{n} {impact} {rule}" for (impact, rule), n in sorted(counts.items()))
    return f"{len(violations)} violations ({head}):\n" + "\n".join(map(str, violations[:60]))


@pytest.fixture(scope="module")
def chromium():
    """One chromium for every audit of the module."""
    with open_browser() as browser:
        yield browser


def test_every_page_of_the_example_build_passes_axe(tmp_path, chromium):
    out = build(ROOT / "specs", tmp_path / "site")
    pages = sorted(out.rglob("*.html"))
    folders = {p.relative_to(out).parts[1] if len(p.relative_to(out).parts) > 2 else "" for p in pages}
    # the audit covers every kind of page the build writes, not only the site's own
    assert {"journeys", "personas", "plan", "touchpoint-matrix", "teasers", "surveys"} <= folders, folders
    assert len(pages) >= 100
    violations = audit_pages(chromium, pages)
    assert violations == [], report(violations)


@pytest.mark.parametrize("name, spec, config", [
    ("hostile", HOSTILE_SPEC, '[workspace]\nlocale = "en"\nlocales = ["en", "nl"]\n'),
    ("survey", survey_spec(), SURVEY_CONFIG),
    ("minimal", MINIMAL_SPEC, None),
    ("long", LONG_SPEC, None),
])
def test_generated_workspaces_pass_axe(name, spec, config, tmp_path, chromium):
    spec_dir = tmp_path / name
    spec_dir.mkdir()
    (spec_dir / "spec.jql").write_text(spec, encoding="utf-8")
    if config:
        (spec_dir / "journeyql.toml").write_text(config, encoding="utf-8")
    out = build(spec_dir, tmp_path / "out")
    pages = sorted(out.rglob("*.html"))
    assert pages
    violations = audit_pages(chromium, pages)
    assert violations == [], report(violations)


def test_the_audit_finds_what_it_should(tmp_path, chromium):
    """A page with known faults: the audit names each with its rule, impact and target."""
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html lang="en"><head><title>Bad</title></head><body>'
                    '<h1>Bad</h1><h3 id="skip">Skipped a level</h3><img src="x.png">'
                    # a chart wider than its scrolling figure, as the site's were before they got tabindex
                    '<figure id="wide" style="width:200px;overflow-x:auto"><img alt="chart" width="900" height="40" '
                    'src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%22900%22/%3E"></figure>'
                    '</body></html>', encoding="utf-8")
    found = {(v.rule, v.impact, v.target) for v in audit_pages(chromium, [page])}
    assert ("image-alt", "critical", 'img[src="x.png"]') in found
    assert ("heading-order", "moderate", "#skip") in found
    assert ("scrollable-region-focusable", "serious", "#wide") in found
    assert ("landmark-one-main", "moderate", "html") in found
