"""A cold process's first SVG: WebAssembly graphviz with an empty cache, with the cache, and the system `dot`.

    python benchmarks/bench_graphviz_start.py [--runs 5]

Each case is a fresh Python process that imports ``journeyql.graphviz`` and draws one small map;
it reports the CPU time of that first ``dot_to_svg`` call (its own threads plus any child process,
so the system ``dot`` counts too), and the parent reports the CPU time of the whole process
(interpreter start-up included). Medians of ``--runs`` processes, as ratios to the system ``dot``
in the same run. "empty cache" gets a new cache directory every time, so it compiles the
module; "cached" shares one that an untimed process filled first. Not a timed test: figures for
docs/performance.md and docs/maps.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: runs in the child: times the first dot_to_svg of the process, in CPU seconds (threads and children)
CHILD = r"""
import json, resource, sys, time
def cpu():
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + child.ru_utime + child.ru_stime
from journeyql.graphviz import dot_to_svg
source = 'digraph g { rankdir=LR; a [label="Klant"]; b [label="Facturatie"]; c [label="Notaris"]; a -> b -> c; a -> c [label="geld"]; }'
started = cpu()
svg = dot_to_svg(source, engine=sys.argv[1])
print(json.dumps({"first_svg": cpu() - started, "ok": "Facturatie" in svg}))
"""


def one_process(engine: str, cache: str) -> tuple[float, float]:
    """(CPU seconds of the first SVG, CPU seconds of the whole process)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, "-c", CHILD, engine], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "JOURNEYQL_CACHE_DIR": cache}, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = json.loads(done.stdout)
    if not report["ok"]:
        raise SystemExit(f"{engine}: the SVG lacks its labels")
    whole = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return report["first_svg"], whole


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows: dict[str, list[tuple[float, float]]] = {"wasm, empty cache": [], "wasm, cached": [], "system dot": []}
    with tempfile.TemporaryDirectory() as temp:
        shared = str(Path(temp) / "shared")
        one_process("wasm", shared)  # fills the shared cache, untimed
        for run in range(args.runs):
            rows["wasm, empty cache"].append(one_process("wasm", str(Path(temp) / f"empty-{run}")))
            rows["wasm, cached"].append(one_process("wasm", shared))
            rows["system dot"].append(one_process("system", shared))
    medians = {name: (statistics.median(f for f, _ in runs), statistics.median(w for _, w in runs))
               for name, runs in rows.items()}
    base_first, base_whole = medians["system dot"]
    print(f"cold process, first SVG (CPU time, median of {args.runs} processes)")
    print(f"{'engine':<20} {'first SVG':>10} {'vs dot':>7} {'whole process':>14} {'vs dot':>7}")
    for name, (first, whole) in medians.items():
        print(f"{name:<20} {first * 1000:>8.0f}ms {first / base_first:>6.1f}x {whole * 1000:>12.0f}ms "
              f"{whole / base_whole:>6.2f}x")


if __name__ == "__main__":
    main()
