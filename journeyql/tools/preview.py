"""Live preview: serve a built site on loopback, rebuild when a spec is saved, reload open pages.

`journeyql serve` (cli/serve.py) hands this module a ``build`` function; this module knows only
files, HTTP and time. Every HTML page it serves gets a small script that asks ``/__journeyql/state``
twice a second and reloads the page when the build number changes. While the workspace has
errors, every page is the error overlay instead (the diagnostics, never a stale site), and it
turns back into the site on the first clean build.

Only 127.0.0.1 is ever bound: the preview is for the person at the machine.
"""

from __future__ import annotations

import html
import json
import mimetypes
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

from ..extras import require

HOST = "127.0.0.1"
STATE_PATH = "/__journeyql/state"
WATCHED_SUFFIXES = (".jql", ".toml", ".csv", ".json", ".parquet", ".xlsx")

#: the build's outcome: None when it is clean, else the error report to show (plain text)
Build = Callable[[], "str | None"]

RELOAD_SCRIPT = """<script>/* journeyql serve: reload when the site is rebuilt */
(function () {
  var seen = %(build)d;
  function poll() {
    fetch("%(state)s", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (s.build !== seen) { location.reload(); } else { setTimeout(poll, 500); }
    }).catch(function () { setTimeout(poll, 1000); });
  }
  setTimeout(poll, 500);
})();
</script>"""

OVERLAY = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>JourneyQL: the workspace has errors</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem;color:#1a1a1a}
h1{font-size:1.3rem;color:#a40000}pre{background:#f6f6f6;border-left:4px solid #a40000;padding:1rem;
white-space:pre-wrap;overflow-wrap:anywhere}</style></head>
<body><main><h1>The workspace has errors: the site is not rebuilt</h1>
<p>Fix them and save; this page turns back into the site by itself.</p>
<pre id="journeyql-errors">%(report)s</pre></main></body></html>
"""


@dataclass
class Preview:
    """What the server shows: the site folder, the build number and the current errors."""

    site: Path
    build: Build
    number: int = 0
    errors: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def rebuild(self) -> None:
        with self.lock:
            try:
                errors = self.build()
            except Exception as error:  # a crashed build is shown like any error, never kills the server
                errors = f"the build failed: {type(error).__name__}: {error}"
            self.errors = errors
            self.number += 1

    def state(self) -> dict:
        return {"build": self.number, "ok": self.errors is None}


def _handler(preview: Preview):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - quiet: the rebuild messages are what matter
            pass

        def do_GET(self):  # noqa: N802 - http.server's name
            path = unquote(urlsplit(self.path).path)
            if path == STATE_PATH:
                return self._send(200, "application/json", json.dumps(preview.state()).encode())
            file = self._file(path)
            if preview.errors is not None and (file is None or file.suffix == ".html"):
                page = OVERLAY % {"report": html.escape(preview.errors)}
                return self._send(200, "text/html; charset=utf-8", self._with_reload(page))
            if file is None:
                return self._send(404, "text/plain; charset=utf-8", b"not found")
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            body = file.read_bytes()
            if file.suffix == ".html":
                return self._send(200, "text/html; charset=utf-8", self._with_reload(body.decode("utf-8")))
            self._send(200, kind, body)

        def _file(self, path: str) -> Path | None:
            root = preview.site.resolve()
            target = (root / path.lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            # never outside the site folder (`..`, symbolic links)
            if not target.is_file() or (target != root and root not in target.parents):
                return None
            return target

        def _with_reload(self, page: str) -> bytes:
            script = RELOAD_SCRIPT % {"build": preview.number, "state": STATE_PATH}
            at = page.lower().rfind("</body>")
            page = page + script if at < 0 else page[:at] + script + page[at:]
            return page.encode("utf-8")

        def _send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler


def serve(root: Path, site: Path, build: Build, port: int = 8000, ready: Callable[[str], None] = print,
          stop: threading.Event | None = None) -> None:
    """Build, serve ``site`` on 127.0.0.1:``port`` and rebuild on every change under ``root`` until ``stop``."""
    require("serve", "journeyql serve")
    from watchfiles import watch

    preview = Preview(site, build)
    preview.rebuild()
    server = ThreadingHTTPServer((HOST, port), _handler(preview))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stop = stop or threading.Event()
    ready(f"serving on http://{HOST}:{server.server_address[1]}/ (Ctrl-C stops)")
    site_folder = site.resolve()

    def relevant(change, path: str) -> bool:
        where = Path(path).resolve()
        # the site is written inside the workspace when -o points there: its own writes are no edits
        return where.suffix in WATCHED_SUFFIXES and site_folder not in where.parents

    try:
        for _ in watch(root, watch_filter=relevant, stop_event=stop, debounce=200, step=50, rust_timeout=500,
                       yield_on_timeout=False):
            preview.rebuild()
            ready(f"rebuilt (build {preview.number}{'' if preview.errors is None else ', with errors'})")
    finally:
        server.shutdown()
        server.server_close()
