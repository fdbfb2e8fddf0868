"""The top-level index.html that `journeyql build` writes when it renders several workspaces."""

from __future__ import annotations

from html.parser import HTMLParser

from journeyql.host.workspace_index import WorkspaceEntry, workspace_index, write_workspace_index


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.text, self.scripts = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts += 1
        self.hrefs += [value for name, value in attrs if name in ("href", "src")]

    def handle_data(self, data):
        self.text.append(data)


def test_links_each_workspace_site_or_its_files(tmp_path):
    (tmp_path / "bank").mkdir()
    (tmp_path / "bank" / "index.html").write_text("<html></html>")
    (tmp_path / "energie").mkdir()
    entries = [WorkspaceEntry("energie", "Energie: verhuizen", 1, 2, 10, failed=("site",)),
               WorkspaceEntry("bank", "Bank <script>alert(1)</script>", 2, 3, 20)]
    page = write_workspace_index(entries, tmp_path, "nl").read_text(encoding="utf-8")
    parser = _Links()
    parser.feed(page)
    assert parser.hrefs == ["bank/index.html", "energie/manifest.json"]  # sorted by folder
    assert parser.scripts == 0 and "&lt;script&gt;" in page  # spec text is escaped, never markup
    assert "Klantbelevingsroadmaps" in page and "mislukte renderers" in page and "site" in "".join(parser.text)
    assert not any(h.startswith(("http:", "https:", "//")) for h in parser.hrefs)


def test_is_deterministic(tmp_path):
    entries = [WorkspaceEntry("b", "B", 1, 1, 1), WorkspaceEntry("a", "A", 1, 1, 1)]
    assert workspace_index(entries, tmp_path) == workspace_index(list(reversed(entries)), tmp_path)


def test_each_workspace_shows_its_journeys_with_a_small_curve_and_headline_figures(tmp_path):
    """Built from the real examples: the figures match means computed here from the response CSV."""
    import csv
    import re
    import shutil
    import statistics
    from pathlib import Path

    from journeyql.cli import main

    specs = Path(__file__).resolve().parent.parent / "specs"
    for name in ("bank-mortgage", "insurer-claim"):
        shutil.copytree(specs / name, tmp_path / "specs" / name)
    assert main(["render", str(tmp_path / "specs"), "--to", "emotion-curve,site", "-o", str(tmp_path / "out"),
                 "--force"]) == 0
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    parser = _Links()
    parser.feed(page)
    assert "bank-mortgage/journeys/mortgage.html" in parser.hrefs
    assert "insurer-claim/journeys/car_claim.html" in parser.hrefs
    assert page.count('<svg width="240"') == 2  # one small curve per journey
    assert 'aria-label="Emotional curve Applying for a mortgage: expected' in page
    # the latest wave's answers, on the claim's own -3..3 scale: their plain mean is the journey's mean
    with (specs / "insurer-claim" / "responses" / "claims-2.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["journey"] == "car_claim"]
    valence = [float(r["value"]) for r in rows if r["item"] == "valence"]
    respondents = {r["respondent_id"] for r in rows}
    card = page[page.index("Car damage claim"):]
    assert f"respondents: {len(respondents)}" in card
    mean = statistics.fmean(valence)
    assert re.search(r"mean emotion ([+-]?\d+\.\d)", card).group(1) == f"{mean:+.1f}"
    assert "6 steps" in card and "5 moments of truth" in card


def test_the_small_curve_draws_expected_and_measured_apart():
    from journeyql.host.workspace_index import sparkline

    words = {"curve": "Curve", "expected": "expected", "measured": "measured", "not_measured": "not measured"}
    summary = {"label": "J", "low": -3.0, "high": 3.0, "expected": [-3, 0, 3], "measured": [None, 1.5, 3]}
    svg = sparkline(summary, words, width=112, height=56)
    # x: 6, 56, 106; y: 4 + (3 - v) / 6 * 48
    assert '<polyline points="6.0,52.0 56.0,28.0 106.0,4.0" fill="none" stroke="#1f5fa8"' in svg
    assert '<polyline points="56.0,16.0 106.0,4.0" fill="none" stroke="#b3261e"' in svg
    assert '<line x1="0" y1="28.0"' in svg  # the zero line
