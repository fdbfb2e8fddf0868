"""Pages fit a 1280 px screen, checked by element boxes in chromium (not by eye on screenshots).

The plan's tables once broke words in the middle ("verbet ering", "middella nge termijn") because
their cells allowed a break anywhere; a word may now wrap only at a space or after a hyphen.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from browser import open_browser
from journeyql.cli import main

ROOT = Path(__file__).resolve().parent.parent

#: every word of the page's tables whose boxes sit on more than one line, and how wide the page is
BROKEN_WORDS = """() => {
  const broken = [];
  for (const table of document.querySelectorAll('table')) {
    const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const word = /[^\\s\\-\\u2010\\u2011]+/g;     // a hyphen is a fair place to wrap
      let m;
      while ((m = word.exec(node.data))) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(m[0]);
      }
    }
  }
  return {broken, width: document.documentElement.scrollWidth};
}"""


@pytest.fixture(scope="module")
def plan_pages(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("plan")
    assert main(["render", str(ROOT / "specs"), "--to", "plan", "-o", str(out), "--force"]) == 0
    pages = sorted(out.rglob("plan/*.html"))
    assert len(pages) >= 10 and any(p.name.endswith(".nl.html") for p in pages)
    return pages


def test_plan_tables_never_break_a_word_and_fit_1280_px(plan_pages):
    problems = []
    with open_browser() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        try:
            for path in plan_pages:
                page.goto(path.as_uri())
                found = page.evaluate(BROKEN_WORDS)
                if found["broken"] or found["width"] > 1280:
                    problems.append(f"{path.name}: {found['width']} px wide, words broken: {found['broken']}")
        finally:
            page.close()
    assert problems == [], "\n".join(problems)
