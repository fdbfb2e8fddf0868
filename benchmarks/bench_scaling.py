"""Build cost against workspace size, per renderer: 1x, 4x and 16x the workspace.

    python benchmarks/bench_scaling.py                 # 1x, 4x, 16x (about 2 minutes)
    python benchmarks/bench_scaling.py --quick         # 1x and 4x (a smoke test)
    python benchmarks/bench_scaling.py --svg           # with SVG from graphviz (its layout is not ours)

Workspaces come from ``benchmarks/generate.py`` (organisations with their stakeholders,
channels, personas, journeys, measurement plans and improvements): 1x is one organisation
(~33 KB of specs), 4x and 16x hold 4 and 16 times its organisations and journeys. Each size is
built 4 times (16x: twice) and the fastest run counts (the first also compiles the templates). Every standard renderer runs in one run (the
collecting `site` last, linking the others' files), in-process; each renderer's CPU time is
measured (its own process and the programs it starts). The baselines: linear growth (the
growth of the workspace in bytes) and a control row, work that is linear by construction on the
same model (indented JSON of it), whose own ratio shows what a loaded machine adds for bigger
working sets. Target: 16x costs at most 17x the 1x time,
for every renderer. It always exits 0: it prints figures, it does not judge the machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import workspace as generated  # noqa: E402

CONTROL = "(control: JSON)"


def _cpu() -> float:
    own = time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + children.ru_utime + children.ru_stime


def measure(size: int, repeat: int) -> tuple[int, int, dict[str, float], dict[str, int]]:
    """(bytes of specs, journeys, {renderer: best CPU seconds}, {renderer: bytes written}) of one full
    build of a generated workspace."""
    from journeyql.host.plugins import PluginHost
    from journeyql.host.rendering import run_renderers
    from journeyql.workspace import analyse, discover

    host = PluginHost()
    with tempfile.TemporaryDirectory(prefix="bench-scaling-") as temp:
        root = Path(temp) / "ws"
        root.mkdir()
        text = generated(size)
        (root / "spec.jql").write_text(text, encoding="utf-8")
        (root / "journeyql.toml").write_text('[workspace]\nlocale = "en"\n\n[rules]\nunowned-touchpoint = "off"\n',
                                             encoding="utf-8")
        ws = discover([str(root)])[0]
        analysis = analyse(ws, host.rules)
        if analysis.workspace is None:
            raise SystemExit("the generated workspace does not analyse")
        spent: dict[str, float] = {}

        def timed(renderer):
            def render(workspace, context):
                start = _cpu()
                renderer.render(workspace, context)
                spent[renderer.name] = _cpu() - start
            return render

        chosen = [r.__class__(**{**r.__dict__, "render": timed(r)}) for r in host.renderers.values() if r.standard]
        best: dict[str, float] = {}
        written: dict[str, int] = {}
        import json

        for _ in range(repeat):
            # the control: work linear by construction on the same model (its JSON, indented), so a
            # loaded machine's growing cost for bigger working sets shows next to the renderers'
            start = _cpu()
            json.dumps(analysis.workspace.model_dump(mode="json", exclude={"root"}), indent=2)
            best[CONTROL] = min(best.get(CONTROL, float("inf")), _cpu() - start)
        for run in range(repeat):
            outcomes = run_renderers(analysis.workspace, ws, chosen, Path(temp) / f"out{run}", {}, incremental=False,
                                     template_dirs=host.template_dirs)
            failed = [f"{o.renderer}: {o.message}" for o in outcomes if o.status == "failed"]
            if failed:
                raise SystemExit("renderers failed: " + "; ".join(failed))
            for name, seconds in spent.items():
                best[name] = min(best.get(name, float("inf")), seconds)
            for outcome in outcomes:
                written[outcome.renderer] = sum((Path(temp) / f"out{run}" / f).stat().st_size for f in outcome.files)
        return len(text.encode("utf-8")), len(analysis.workspace.journeys), best, written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1x and 4x only")
    parser.add_argument("--svg", action="store_true", help="draw SVG with graphviz (default: DOT only)")
    args = parser.parse_args(argv)
    if not args.svg:
        # graphviz's own layout grows with the graph, whoever calls it; this measures JourneyQL's work
        os.environ["JOURNEYQL_GRAPHVIZ"] = "none"
    factors = (1, 4) if args.quick else (1, 4, 16)
    rows = {1: measure(1, 4)}  # one organisation: the generator's smallest workspace
    for factor in factors[1:]:
        # the generator adds whole organisations until the size is reached: k of them for k-1/2 times 1x
        rows[factor] = measure(int(rows[1][0] * (factor - 0.5)), 4 if factor < 16 else 2)
    big = factors[-1]
    (b1, j1, t1, w1), (bb, jb, tb, wb) = rows[1], rows[big]
    t16 = tb
    t4 = rows[4][2]
    growth = bb / b1
    print("specs: " + ", ".join(f"{f}x {rows[f][0] / 1000:.0f} KB ({rows[f][1]} journeys)" for f in factors)
          + "; CPU seconds, best of 4 runs (16x: 2)")
    # "output": how much more the renderer writes at the big size (a map per organisation: more than the specs)
    # "/control": the renderer's growth over the control's, i.e. with what the machine adds for bigger
    # working sets taken out (1.0: grows exactly like work that is linear by construction)
    control = t16[CONTROL] / t1[CONTROL]
    print(f"{'renderer':<18} {'1x':>8} {'4x':>8} {f'{big}x':>8} {f'{big}x/1x':>8} {'specs':>8} {'output':>8} "
          f"{'/control':>8}  target <= {big + 1}x")
    total = [0.0, 0.0, 0.0]
    for name in sorted(t1, key=lambda n: (n == CONTROL, -t16.get(n, 0))):
        a, b, c = t1[name], t4.get(name, 0.0), t16.get(name, 0.0)
        if name != CONTROL:
            total = [total[0] + a, total[1] + b, total[2] + c]
        ratio = c / a if a > 0 else float("nan")
        output = f"{wb[name] / w1[name]:7.1f}x" if w1.get(name) else f"{'':8}"
        print(f"{name:<18} {a:8.3f} {b:8.3f} {c:8.3f} {ratio:7.1f}x {growth:7.1f}x {output} {ratio / control:8.2f}  "
              f"{'' if name == CONTROL else 'met' if ratio <= big + 1 else 'NOT met'}")
    print(f"{'all renderers':<18} {total[0]:8.3f} {total[1]:8.3f} {total[2]:8.3f} {total[2] / total[0]:7.1f}x "
          f"{growth:7.1f}x {sum(wb.values()) / sum(w1.values()):7.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
