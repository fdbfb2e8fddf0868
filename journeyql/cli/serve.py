"""`journeyql serve`: the site, rebuilt on every save, on 127.0.0.1 (tools/preview.py serves it)."""

from __future__ import annotations

HELP = "build the site, serve it on 127.0.0.1 and rebuild it on every save"
DESCRIPTION = ("Build the site, serve it on 127.0.0.1 and watch the workspace: every save rebuilds what "
               "changed and reloads the open pages; while a spec has errors the pages show them instead.")


def add_arguments(parser) -> None:
    parser.add_argument("path", nargs="?", default=".", metavar="PATH", help="a workspace directory (default: .)")
    parser.add_argument("-p", "--port", type=int, default=8000, help="the port on 127.0.0.1 (default 8000; 0 picks a free one)")
    parser.add_argument("-o", "--output", metavar="DIR",
                        help="where the site is built (default: a temporary folder, removed afterwards)")


def run(args) -> int:
    import argparse
    import sys
    import tempfile
    from pathlib import Path

    from . import common
    from ..diagnostics import Severity
    from ..diagnostics.views import as_human
    from ..extras import require
    from ..workspace import UsageError, analyse, discover
    from .render import render_workspaces

    require("serve", "journeyql serve")
    root = Path(args.path)
    if not root.is_dir():
        return common.usage_error(f"{args.path} is not a directory: serve watches a workspace folder")
    if not 0 <= args.port <= 65535:
        return common.usage_error(f"--port {args.port} is not a port number (0..65535)")
    temporary = None if args.output else tempfile.TemporaryDirectory(prefix="journeyql-serve-")
    site = Path(args.output or temporary.name)

    def build() -> str | None:
        """None when the site was rebuilt, else the errors to show instead."""
        try:
            workspaces = [w for w in discover([str(root)]) if w.sources or w.diagnostics]
        except UsageError as error:
            return str(error)
        reports = []
        for ws in workspaces:
            analysis = analyse(ws, common.host().rules, validate=None)
            errors = [d for d in analysis.diagnostics if d.severity is Severity.ERROR]
            if errors or analysis.workspace is None:
                sources = {s.path: s.text for s in ws.sources if s.text is not None}
                reports.append(as_human(errors, len(ws.sources), sources, False))
        if reports:
            return "\n".join(reports)
        options = argparse.Namespace(paths=[str(root)], set=[], force=False, responses=None)
        if render_workspaces(options, None, output=str(site)) != common.EXIT_CLEAN:
            return "the build did not finish: see the messages of `journeyql serve` in the terminal"
        return None

    from ..tools.preview import serve

    import signal
    import threading

    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():  # `kill` (SIGTERM) stops it as Ctrl-C does
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        serve(root, site, build, port=args.port, ready=common.say, stop=stop)
    except OSError as error:
        return common.usage_error(f"cannot serve on 127.0.0.1:{args.port}: {error.strerror or error}")
    except KeyboardInterrupt:
        pass
    finally:
        if temporary is not None:
            temporary.cleanup()
    sys.stderr.flush()
    return common.EXIT_CLEAN
