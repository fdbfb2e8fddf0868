"""`journeyql serve`: the site on loopback, rebuilt on save, open pages reloaded, errors shown as an
overlay page; driven end to end in Chromium (tests/browser.py)."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from browser import open_browser

ROOT = Path(__file__).resolve().parents[1]
JOURNEYQL = str(Path(sys.executable).parent / "journeyql")


class Server:
    """`journeyql serve` in a process of its own; its messages collected as they come."""

    def __init__(self, workspace: Path, site: Path):
        self.process = subprocess.Popen([JOURNEYQL, "serve", str(workspace), "--port", "0", "-o", str(site)],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self.wait_for(r"serving on (http://127\.0\.0\.1:\d+/)").group(1)

    def _read(self) -> None:
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = 120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if match := re.search(pattern, line):
                    return match
            assert self.process.poll() is None, "\n".join(self.lines)
            time.sleep(0.05)
        raise AssertionError(f"no {pattern!r} in:\n" + "\n".join(self.lines))

    def state(self) -> dict:
        with urllib.request.urlopen(self.url + "__journeyql/state", timeout=10) as response:
            return json.loads(response.read())

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)


def test_serve_rebuilds_on_save_and_the_open_page_follows(tmp_path):
    workspace = tmp_path / "telecom"
    shutil.copytree(ROOT / "specs" / "telecom-switch", workspace, ignore=shutil.ignore_patterns("responses"))
    spec = workspace / "telecom.jql"
    text = spec.read_text(encoding="utf-8")
    server = Server(workspace, tmp_path / "site")
    try:
        assert server.url.startswith("http://127.0.0.1:") and server.state() == {"build": 1, "ok": True}
        for outside in ("../telecom/telecom.jql", "%2e%2e/telecom/telecom.jql", "..%2ftelecom%2ftelecom.jql"):
            try:
                urllib.request.urlopen(server.url + outside, timeout=10)
                raise AssertionError(f"{outside} was served")
            except urllib.error.HTTPError as error:
                assert error.code == 404
        with open_browser() as browser:
            page = browser.new_page()
            page.goto(server.url)
            assert "Switching to fibre" in page.inner_text("body")
            # a save: the page reloads itself with the new label
            spec.write_text(text.replace('"Switching to fibre"', '"Fibre in one afternoon"'),
                            encoding="utf-8")
            page.wait_for_function("document.body.innerText.includes('Fibre in one afternoon')", timeout=120_000)
            assert "Switching to fibre" not in page.inner_text("body")
            # a mistake: the error overlay, with the diagnostic, instead of a stale site
            spec.write_text(text + '\npersona broken "B" {\n  goal\n}\n', encoding="utf-8")
            page.wait_for_function("!!document.getElementById('journeyql-errors')", timeout=120_000)
            overlay = page.inner_text("body")
            assert "The workspace has errors" in overlay and "`goal` has no value" in overlay
            assert "telecom.jql:" in overlay
            # fixed: the site is back
            spec.write_text(text, encoding="utf-8")
            page.wait_for_function("document.body.innerText.includes('Switching to fibre')",
                                   timeout=120_000)
            assert server.state()["ok"] is True
    finally:
        code = server.stop()
    assert code == 0, "\n".join(server.lines)
    assert not any("Traceback" in line for line in server.lines)


def test_serve_refuses_what_is_not_a_workspace_folder(tmp_path):
    done = subprocess.run([JOURNEYQL, "serve", str(tmp_path / "missing")], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=60)
    assert done.returncode == 2 and "is not a directory" in done.stderr and "Traceback" not in done.stderr
