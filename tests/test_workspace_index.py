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
