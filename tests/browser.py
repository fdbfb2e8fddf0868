"""A real headless browser for the HTML tests: Playwright driving Debian's chromium.

Shared by every renderer that writes HTML::

    from browser import open_browser, check_pages

    with open_browser() as browser:
        reports = check_pages(browser, sorted(out_dir.rglob("*.html")))
    assert all(r.clean for r in reports), "\\n".join(r.summary() for r in reports if not r.clean)

Each page is opened from a ``file://`` URL with every request routed: only
``file:`` requests go through, anything else is aborted and recorded (the
pages must work offline). A report lists console errors, uncaught page
errors, failed requests, requests that left ``file:``, images that did not
load (``complete && naturalWidth > 0``) and links to files that do not exist
(or to an ``#id`` that is not on the target page).

When chromium (or Playwright) is missing this fails with a message saying
what to install; it never skips: CI installs chromium, and a browser test
that silently does not run proves nothing. ``JOURNEYQL_CHROMIUM`` points at
another chromium binary.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

CHROMIUM = os.environ.get("JOURNEYQL_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class BrowserMissing(AssertionError):
    """No browser to run the HTML tests with (an assertion error, so pytest reports a failure, not a skip)."""


@contextmanager
def open_browser():
    """A launched chromium (Playwright ``Browser``), closed afterwards."""
    if not Path(CHROMIUM).is_file():
        raise BrowserMissing(f"chromium not found at {CHROMIUM}: install it (Debian: `apt-get install chromium`) "
                             "or set JOURNEYQL_CHROMIUM; the HTML tests open every page in a real browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise BrowserMissing(f"Python Playwright is not installed ({error}): `pip install playwright`; "
                             "it drives the system chromium, no `playwright install` needed") from None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageReport:
    path: Path
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)
    broken_links: list[str] = field(default_factory=list)
    images: int = 0
    links: int = 0
    text: str = ""            #: the page's visible text (document.body.innerText)
    globals: dict = field(default_factory=dict)  #: values of the window properties asked for

    @property
    def clean(self) -> bool:
        return not (self.console_errors or self.page_errors or self.failed_requests or self.external_requests
                    or self.broken_images or self.broken_links)

    def summary(self) -> str:
        parts = [f"{self.path}:"]
        for name in ("console_errors", "page_errors", "failed_requests", "external_requests", "broken_images",
                     "broken_links"):
            values = getattr(self, name)
            if values:
                parts.append(f"  {name}: {values}")
        return "\n".join(parts)


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)


_ID_CACHE: dict[Path, set[str]] = {}


def _ids_of(path: Path) -> set[str]:
    if path not in _ID_CACHE:
        parser = _Ids()
        parser.feed(path.read_text(encoding="utf-8", errors="replace"))
        _ID_CACHE[path] = parser.ids
    return _ID_CACHE[path]


def _file_of(url: str) -> tuple[Path, str]:
    parts = urlsplit(url)
    return Path(unquote(parts.path)), unquote(parts.fragment)


class PageChecker:
    """One browser tab that opens page after page, recording what goes wrong on each.

    One tab for all pages: opening a tab costs more than loading a small page.
    """

    def __init__(self, context, *, watch_globals=()):
        self.watch_globals = tuple(watch_globals)
        self.report = PageReport(Path("."))
        self.page = context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.report.page_errors.append(str(error)))
        self.page.on("requestfailed", self._failed)
        self.page.route("**/*", self._route)

    def _console(self, message) -> None:
        if message.type == "error":
            self.report.console_errors.append(message.text)

    def _failed(self, request) -> None:
        if request.url.startswith("file:"):
            self.report.failed_requests.append(f"{request.url} ({request.failure})")

    def _route(self, route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.report.external_requests.append(route.request.url)
            route.abort()

    def check(self, path: Path) -> PageReport:
        report = self.report = PageReport(Path(path))
        page = self.page
        page.goto(Path(path).resolve().as_uri(), wait_until="load")
        images = page.evaluate("() => Array.from(document.images).map(i => [i.currentSrc || i.src, "
                               "i.complete && i.naturalWidth > 0])")
        report.images = len(images)
        report.broken_images = [src for src, ok in images if not ok]
        hrefs = page.evaluate("() => Array.from(document.querySelectorAll('a[href], link[href]')).map(a => a.href)")
        report.links = len(hrefs)
        for href in hrefs:
            if not href.startswith("file:"):
                report.broken_links.append(f"{href} (not a file of the site)")
                continue
            target, fragment = _file_of(href)
            if not target.is_file():
                report.broken_links.append(f"{href} (no such file)")
            elif fragment and target.suffix in (".html", ".htm") and fragment not in _ids_of(target):
                report.broken_links.append(f"{href} (no id {fragment!r} on that page)")
        report.text = page.evaluate("() => document.body ? document.body.innerText : ''")
        for name in self.watch_globals:
            report.globals[name] = page.evaluate(f"() => typeof window[{name!r}] === 'undefined' ? null : "
                                                 f"String(window[{name!r}])")
        return report

    def close(self) -> None:
        self.page.close()


def check_pages(browser, pages, *, watch_globals=()) -> list[PageReport]:
    """Open each page (a file path) in a fresh browser context; one report per page."""
    context = browser.new_context()
    try:
        checker = PageChecker(context, watch_globals=watch_globals)
        return [checker.check(Path(p)) for p in pages]
    finally:
        context.close()



# --- accessibility: axe-core in the same chromium -------------------------------------------------

NODE_DIR = Path(__file__).parent / ".node"
#: the axe-core impacts a page may not have (axe's four levels are minor < moderate < serious < critical)
FAILING_IMPACTS = ("moderate", "serious", "critical")


def axe_script() -> Path:
    """axe.min.js from npm, installed into tests/.node once (like Mermaid for its parser test).

    Installed by the test setup from the npm registry, never fetched while a page is checked.
    """
    script = NODE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not script.is_file():
        import shutil
        import subprocess
        npm = shutil.which("npm")
        if not npm:
            raise BrowserMissing("npm is not installed: the accessibility tests need axe-core from npm "
                                 "(Debian: `apt-get install npm`)")
        NODE_DIR.mkdir(exist_ok=True)
        done = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(NODE_DIR),
                               "axe-core@4"], capture_output=True, text=True, timeout=600)
        assert done.returncode == 0 and script.is_file(), f"npm install axe-core failed: {done.stderr[-2000:]}"
    return script


@dataclass(frozen=True)
class Violation:
    page: Path
    rule: str
    impact: str
    target: str
    help: str

    def __str__(self) -> str:
        return f"{self.page}: {self.impact} {self.rule} at {self.target} ({self.help})"


_RUN_AXE = """() => { window.__axeDone = axe.run(document, {resultTypes: ['violations']}).then(r =>
    r.violations.flatMap(v => v.nodes.map(n => [v.id, n.impact || v.impact, n.target.join(' '), v.help]))); }"""


def audit_pages(browser, pages, *, batch: int = 4, impacts=FAILING_IMPACTS) -> list[Violation]:
    """Run axe-core on each page (a file path); the violations of the given impacts, page by page.

    One context for all pages. Pages are audited ``batch`` at a time, each in its own tab: axe
    starts in every tab of the batch before the first result is awaited, so chromium's renderer
    processes work on several pages at once. The pages' Content-Security-Policy forbids inline
    scripts (rightly), so the audit context bypasses CSP to inject axe into each page.
    """
    context = browser.new_context(bypass_csp=True)
    # an init script is handed to chromium once and compiled once (V8 caches it), where
    # page.add_script_tag would send and compile axe's 560 kB again for every page: 40% of the time
    context.add_init_script(path=str(axe_script()))
    try:
        tabs = [context.new_page() for _ in range(batch)]
        for tab in tabs:        # offline, like check_pages: only file: requests go through
            tab.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                      else route.abort())
        found: list[Violation] = []
        pages = [Path(p) for p in pages]
        for start in range(0, len(pages), batch):
            group = list(zip(tabs, pages[start:start + batch]))
            for tab, path in group:
                tab.goto(path.resolve().as_uri(), wait_until="load")
                tab.evaluate(_RUN_AXE)
            for tab, path in group:
                for rule, impact, target, help_text in tab.evaluate("() => window.__axeDone"):
                    if impact in impacts:
                        found.append(Violation(path, rule, impact, target, help_text))
        return found
    finally:
        context.close()
