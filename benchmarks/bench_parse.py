"""Parse + resolve + validate throughput, side by side with loading the same model from YAML.

    python benchmarks/bench_parse.py            # 0.1, 1 and 4 MB, best of 3
    python benchmarks/bench_parse.py --quick    # 0.1 MB, one run (a smoke test)

Columns:
  check path   what `journeyql check` and `render` run: parse, bind (every value checked
               against the schema), resolve names, build the frozen model (validated by pydantic,
               or for small workspaces built directly: construct.py), rules
  check cmd    what the `journeyql check` command runs when no installed plugin registers a rule:
               the check path building the light classes of language/light_model.py instead of the
               pydantic model (the same diagnostics: tests/test_light_model.py)
  parse()      the public API journeyql.parse(): the same, plus pydantic re-validating the model
  YAML+pydantic  yaml.load(CLoader) of the same model as YAML, then Workspace.model_validate
  JSON+pydantic  json.loads of the same model as JSON (Workspace.model_dump_json: every field, spans
               included), then Workspace.model_validate: the cheapest way to get the typed model
               from a file; "check/JSON" is the check path's CPU time over it
  Mermaid      (after the table) Mermaid's own parser (mermaid.parse in Node.js) on the journey
               diagrams of the same journeys (the `mermaid` renderer's), CPU time per task, against the
               check path's CPU time per step of the whole workspace
Times are CPU seconds of this process (or of the Node.js process), best of the runs.
Targets (issue #2): >= 2 MB/s at 1 MB; 4 MB within 4.4x the 1 MB time; faster than YAML+pydantic;
`journeyql check` on one example spec under 0.25 s from a cold start. Issue 14: within 1.5x of
JSON+pydantic, within 2x of Mermaid per step.
It always exits 0: it prints figures, it does not judge the machine it runs on.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402


def _best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def _json_path(document: str):
    from journeyql.language.model import Workspace

    return Workspace.model_validate(json.loads(document))


NODE_DIR = HERE.parent / "tests" / ".node"


def _mermaid_per_task(workspace, repeat: int) -> tuple[int, float] | None:
    """(tasks, CPU seconds per task) of Mermaid's parser on the journeys' diagrams; None without Node.js."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        print("  (Mermaid: Node.js and npm are not installed, so it is not measured)")
        return None
    if not (NODE_DIR / "node_modules" / "mermaid").is_dir() or not (NODE_DIR / "node_modules" / "jsdom").is_dir():
        NODE_DIR.mkdir(parents=True, exist_ok=True)  # the same packages the Mermaid tests install
        subprocess.run([npm, "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(NODE_DIR),
                        "mermaid@11", "jsdom@26"], check=True, capture_output=True, timeout=600)
    from journeyql_mermaid import diagram

    with tempfile.TemporaryDirectory(prefix="bench-mermaid-") as temp:
        files = []
        for journey in workspace.journeys:
            path = Path(temp) / f"{journey.id}.mmd"
            path.write_text(diagram(workspace, journey), encoding="utf-8")
            files.append(str(path))
        shutil.copy(HERE / "mermaid_parse.mjs", NODE_DIR / "mermaid_parse.mjs")
        done = subprocess.run([node, str(NODE_DIR / "mermaid_parse.mjs"), str(repeat), *files], cwd=NODE_DIR,
                              capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        print(f"  (Mermaid failed: {done.stderr[-500:]})")
        return None
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["tasks"], result["seconds"] / result["tasks"]


def _check_path(text: str, light: bool = False):
    from journeyql.workspace.config import Config
    from journeyql.workspace import Source, WorkspaceSources, analyse

    analysis = analyse(WorkspaceSources(Path("."), [Source("bench.jql", text)], Config()), validate=None, light=light)
    assert analysis.workspace is not None and not analysis.errors, analysis.errors[:3]
    return analysis


def _yaml_path(document: str):
    import yaml

    from journeyql.language.model import Workspace

    return Workspace.model_validate(yaml.load(document, Loader=yaml.CLoader))


def _cold_check(spec: Path, repeat: int = 5) -> tuple[float, str]:
    exe = shutil.which("journeyql")
    command = [exe, "check", str(spec)] if exe else [sys.executable, "-m", "journeyql.cli", "check", str(spec)]
    # an installed JourneyQL has its bytecode compiled: allow writing it, and warm it once
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(command, capture_output=True, check=False, env=env)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False, env=env)
        times.append(time.perf_counter() - start)
    shown = ["journeyql" if i == 0 else c for i, c in enumerate(command) if not c.endswith("python") and c != "-m"]
    return min(times), " ".join(shown).replace(str(HERE.parent) + "/", "")


def _interpreter_floor(repeat: int = 5) -> float:
    code = "import lark, pydantic\nclass M(pydantic.BaseModel):\n    x: int\nM(x=1)"
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="JourneyQL parse throughput benchmark")
    parser.add_argument("--quick", action="store_true", help="0.1 MB only, one run")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    import journeyql

    sizes = [100_000] if args.quick else [100_000, 1_000_000, 4_000_000]
    repeat = 1 if args.quick else args.repeat
    journeyql.parse('channel c "C" { kind web }')  # warm the parser (grammar load) outside the timing
    print(f"JourneyQL {journeyql.__version__}, Python {sys.version.split()[0]}, best of {repeat}")
    print()
    print(f"{'size':>8} | {'check path':>18} | {'parse() (API)':>18} | {'YAML+pydantic':>18} | {'check vs YAML':>13}"
          f" | {'JSON+pydantic':>18} | {'check/JSON':>10} | {'check cmd':>18} | {'cmd/JSON':>8}")
    print("-" * 154)
    results = {}
    per_step = {}
    for size in sizes:
        text = generate.workspace(size)
        mb = len(text.encode("utf-8")) / 1e6
        document = generate.as_yaml(text)
        ours = _best(lambda: _check_path(text), repeat)
        command = _best(lambda: _check_path(text, light=True), repeat)
        api = _best(lambda: journeyql.parse(text, "bench.jql"), repeat)
        yaml_time = _best(lambda: _yaml_path(document), repeat)
        analysis = _check_path(text)
        as_json = analysis.workspace.model_dump_json()
        json_time = _best(lambda: _json_path(as_json), repeat)
        results[size] = (mb, ours, api, yaml_time)
        steps = sum(len(j.steps) for j in analysis.workspace.journeys)
        per_step[size] = (analysis.workspace, ours / steps, command / steps)
        print(f"{mb:>6.2f}MB | {ours:>7.3f}s {mb / ours:>5.2f}MB/s | {api:>7.3f}s {mb / api:>5.2f}MB/s | "
              f"{yaml_time:>7.3f}s {mb / yaml_time:>5.2f}MB/s | {yaml_time / ours:>12.1f}x | "
              f"{json_time:>7.3f}s {mb / json_time:>5.2f}MB/s | {ours / json_time:>9.2f}x | "
              f"{command:>7.3f}s {mb / command:>5.2f}MB/s | {command / json_time:>7.2f}x")
    print()
    workspace, ours_per_step, command_per_step = per_step[sizes[-1] if args.quick else 1_000_000]
    mermaid = _mermaid_per_task(workspace, max(repeat, 3))
    if mermaid is not None:
        tasks, theirs = mermaid
        print(f"per step ({tasks} steps): JourneyQL check path {ours_per_step * 1e6:.1f} us, Mermaid's parser "
              f"{theirs * 1e6:.1f} us per task: {ours_per_step / theirs:.2f}x; the check command "
              f"{command_per_step * 1e6:.1f} us: {command_per_step / theirs:.2f}x")
        print()
    if not args.quick:
        mb1, ours1, api1, yaml1 = results[1_000_000]
        mb4, ours4, api4, _ = results[4_000_000]
        ratio = ours4 / ours1
        per_mb_ratio = (ours4 / mb4) / (ours1 / mb1)
        checks = [
            ("throughput at 1 MB >= 2 MB/s (check path)", mb1 / ours1 >= 2, f"{mb1 / ours1:.2f} MB/s"),
            ("throughput at 1 MB >= 2 MB/s (parse() API)", mb1 / api1 >= 2, f"{mb1 / api1:.2f} MB/s"),
            ("4 MB time <= 4.4 x 1 MB time", ratio <= 4.4,
             f"{ratio:.2f}x for {mb4 / mb1:.2f}x the bytes (time per MB {per_mb_ratio:.2f}x that at 1 MB)"),
            ("faster than YAML + pydantic at 1 MB", ours1 < yaml1, f"{yaml1 / ours1:.1f}x faster"),
        ]
        spec = HERE.parent / "specs" / "bank-mortgage"
        cold, command = _cold_check(spec)
        floor = _interpreter_floor()
        checks.append((f"cold `{command}` < 0.25 s", cold < 0.25, f"{cold:.3f} s (python + import lark + pydantic alone: {floor:.3f} s)"))
        for label, ok, figure in checks:
            print(f"  {'PASS' if ok else 'FAIL'}  {label}: {figure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
