"""How long the roadmap site takes: the whole build, and the `site` renderer alone.

    python benchmarks/bench_site.py            # best of 3
    python benchmarks/bench_site.py --quick    # one run (a smoke test)

Rows:
  build (all renderers)     `journeyql build specs --force`: every standard renderer of the four
                            example workspaces, the collecting `site` last (wall clock, a subprocess)
  render --to site          `journeyql render specs --to site`: the CLI with the site alone (start-up,
                            parsing, reading responses included; no other outputs to link)
  site renderer, in-process the `site` render function alone per workspace, given the results and
                            the other renderers' files of the build above: the site's own cost
Target: the site of the examples builds in seconds, not minutes.
It always exits 0: it prints figures, it does not judge the machine it runs on.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
JOURNEYQL = str(Path(sys.executable).parent / "journeyql")


def _wall(args: list[str], repeat: int, engine: str | None = None) -> float:
    """Best wall time of the CLI; ``engine`` forces a graphviz engine (JOURNEYQL_GRAPHVIZ)."""
    import os

    env = dict(os.environ)
    if engine:
        env["JOURNEYQL_GRAPHVIZ"] = engine
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run([JOURNEYQL, *args], cwd=ROOT, capture_output=True, text=True, timeout=1800, env=env)
        if done.returncode != 0:
            raise SystemExit(f"journeyql {' '.join(args)} failed ({engine or 'default engine'}):\n{done.stderr}")
        best = min(best, time.perf_counter() - start)
    return best


def _site_alone(build_dir: Path, repeat: int) -> list[tuple[str, float, int]]:
    """(workspace, best seconds, files written) of the site render function, in-process."""
    from journeyql.cli.render import measured  # the same results the CLI hands the renderers
    from journeyql.host.output import OutputSink
    from journeyql.host.plugins import PluginHost
    from journeyql.host.rendering import RenderContext, resolve_options
    from journeyql.workspace import analyse, discover

    host = PluginHost()
    site = host.renderers["site"]
    rows = []
    for ws in discover([str(SPECS)]):
        if not ws.sources:
            continue
        analysis = analyse(ws, host.rules)
        with contextlib.redirect_stderr(io.StringIO()):  # the CLI's "responses: ... rows read" notes
            results, _problem = measured(analysis.workspace, ws, None, host, ws.root.name)
        files = json.loads((build_dir / ws.root.name / "manifest.json").read_text(encoding="utf-8"))["files"]
        outputs: dict[str, list[str]] = {}
        for entry in files:
            if entry["renderer"] != "site":
                outputs.setdefault(entry["renderer"], []).append(entry["path"])
        outputs = {name: tuple(paths) for name, paths in outputs.items()}
        options = resolve_options(site, {}, {})
        locales = tuple(ws.config.workspace.locales) or (ws.config.workspace.locale,)
        best, written = float("inf"), 0
        for _ in range(repeat):
            with tempfile.TemporaryDirectory(prefix="bench-site-") as temp:
                sink = OutputSink(Path(temp))
                start = time.perf_counter()
                context = RenderContext("site", options, ws.config.workspace.locale, locales, ws.root, sink,
                                        [ws.root / "templates", *host.template_dirs], results=results,
                                        outputs=outputs)
                sink.begin("site")
                site.render(analysis.workspace, context)
                written = len(sink.commit("bench"))
                best = min(best, time.perf_counter() - start)
        rows.append((ws.root.name, best, written))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one run of each, for a smoke test")
    args = parser.parse_args()
    repeat = 1 if args.quick else 3
    with tempfile.TemporaryDirectory(prefix="bench-site-") as temp:
        out = Path(temp) / "build"
        build = _wall(["build", "specs", "-o", str(out), "--force"], repeat)
        from journeyql.graphviz import available_engines

        engines = {engine: _wall(["build", "specs", "-o", str(Path(temp) / engine), "--force"], repeat, engine)
                   for engine in ("system", "wasm", "none") if engine == "none" or engine in available_engines()}
        alone = _wall(["render", "specs", "--to", "site", "-o", str(Path(temp) / "alone")], repeat)
        rows = _site_alone(out, repeat)
    width = 48
    print(f"{'what':<{width}}{'seconds':>9}")
    print(f"{'build (all renderers, 4 workspaces)':<{width}}{build:>9.2f}")
    for engine, seconds in engines.items():
        label = {"system": "system dot", "wasm": "WebAssembly graphviz", "none": "no SVG (DOT only)"}[engine]
        print(f"{'  the same build, SVG by ' + label if engine != 'none' else '  the same build, ' + label:<{width}}"
              f"{seconds:>9.2f}")
    print(f"{'render --to site (4 workspaces)':<{width}}{alone:>9.2f}")
    for name, seconds, written in rows:
        print(f"{'site renderer, in-process: ' + name:<{width}}{seconds:>9.3f}  ({written} files)")
    print(f"{'site renderer, in-process: total':<{width}}{sum(r[1] for r in rows):>9.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
