"""How long the maps take with each graphviz engine: the system `dot` and the WebAssembly one.

    python benchmarks/bench_maps.py [--runs 5]

Prints, per case, the median wall time of the DOT writing (the renderer's own work) and of the
SVG layout with each engine, side by side, plus the wasm module's set-up in this process (read from
the on-disk cache when it holds the module, else compiled; see bench_graphviz_start.py).
"render DOT" is the whole `journeyql render` (parse, check, write the DOT) with SVG switched off.
Cases: a 300-step journey's blueprint, and the blueprint and stakeholder map of every example
workspace. Not a timed test: figures for docs/performance.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

from journeyql import graphviz  # noqa: E402
from journeyql.graphviz import dot_to_svg  # noqa: E402


def long_journey(steps: int = 300) -> str:
    """A journey of ``steps`` steps in stages of 10, each with a touchpoint, actions, a wait and a fail point."""
    lines = ['stakeholder ops "Operations" { kind internal }', 'stakeholder cust "Customer" { kind customer }',
             'channel web "Website" { kind web }', 'persona p "Persona" { prefers web }',
             'journey long "A 300-step journey" {', "  personas p"]
    for s in range(steps // 10):
        lines.append(f'  stage s{s} "Stage {s}" {{')
        for i in range(10):
            k = s * 10 + i
            lines.append(
                f'    step st{k} "Step {k}: the customer checks the status" {{\n'
                f'      action "Looks up the status of the application online"\n'
                f'      touchpoint t{k} "Status page {k}" {{ channel web  owner ops }}\n'
                f'      frontstage "Status page shows the last update"\n'
                f'      backstage "Case handler updates the file" {{ owner ops  system "CRM" }}\n'
                f'      support "Case management system"\n      evidence "Status e-mail"\n'
                f'      fail "The status is out of date"\n      wait 2d, "for the next update"\n'
                f'      expected {k % 7 - 3}\n    }}')
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def dot_files(spec_dir: Path, renderers: str) -> dict[str, str]:
    """The DOT of ``renderers`` for a workspace, rendered without SVG (so only the DOT writing is timed)."""
    from journeyql.cli import main

    with tempfile.TemporaryDirectory() as out:
        settings = []
        for name in renderers.split(","):
            settings += ["--set", f"{name}.svg=false"]
        code = main(["render", str(spec_dir), "--to", renderers, "-o", out, "--force", *settings])
        if code != 0:
            raise SystemExit(f"rendering {spec_dir} failed")
        return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(Path(out).rglob("*.dot"))}


def median_seconds(work, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import contextlib
    import io

    started = time.perf_counter()
    graphviz.wasm.backend()
    compile_seconds = time.perf_counter() - started

    cases: list[tuple[str, dict[str, str], float]] = []
    with tempfile.TemporaryDirectory() as temp:
        (Path(temp) / "long.jql").write_text(long_journey(300), encoding="utf-8")
        with contextlib.redirect_stderr(io.StringIO()):
            dots = dot_files(Path(temp), "blueprint")
            writing = median_seconds(lambda: dot_files(Path(temp), "blueprint"), args.runs)
        cases.append(("300-step journey: blueprint", dots, writing))
    for spec in sorted(p.parent for p in (ROOT / "specs").glob("*/journeyql.toml")):
        with contextlib.redirect_stderr(io.StringIO()):
            dots = dot_files(spec, "blueprint,stakeholder-map")
            writing = median_seconds(lambda: dot_files(spec, "blueprint,stakeholder-map"), args.runs)
        cases.append((f"{spec.name}: blueprint + stakeholder-map ({len(dots)} maps)", dots, writing))

    print(f"median of {args.runs} runs; wasm module set-up (once per process): {compile_seconds * 1000:.0f} ms")
    print(f"{'case':<58} {'render DOT':>10} {'system dot':>11} {'wasm':>9}")
    for name, dots, writing in cases:
        figures = []
        for engine in ("system", "wasm"):
            def lay_out(engine=engine):
                for path, source in dots.items():
                    dot_to_svg(source, engine=engine, layout="nop" if path.startswith("blueprint/") else "dot")
            figures.append(median_seconds(lay_out, args.runs))
        print(f"{name:<58} {writing * 1000:>8.0f}ms {figures[0] * 1000:>9.0f}ms {figures[1] * 1000:>7.0f}ms")


if __name__ == "__main__":
    main()
