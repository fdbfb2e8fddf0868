"""Cold start: `journeyql check` of an example workspace against `import lark, pydantic`, in CPU time.

    python benchmarks/bench_startup.py             # 9 rounds, medians
    python benchmarks/bench_startup.py --runs 3    # quicker
    python benchmarks/bench_startup.py --before /tmp/old   # plus `check` of an earlier commit's
                                                           # journeyql/ (e.g. `git archive main | tar -x -C /tmp/old`)

Each round runs every command once in a fresh process, interleaved, so a busy machine slows all
columns alike; CPU time (user + system of the child) rather than wall time for the same reason.
Columns, each as a ratio of the baseline `python -c "import lark, pydantic"`:

  check             `journeyql check specs/bank-mortgage` (the console script of this interpreter)
  check, no plugins the same with JOURNEYQL_DISABLE_PLUGINS=all: what the core costs alone
  --help            `journeyql --help`: building the argument parser
  python            `python -c pass`: the interpreter's own start-up
  check NAME        with --workspaces: `check` of each other example workspace
  check, before     with --before DIR: the same `check`, importing journeyql from DIR (PYTHONPATH),
                    in the same rounds, so a change is measured against its parent side by side
  floor rows        what any `check` built on pydantic models pays before it reads a spec: `import
                    lark, pydantic` plus pydantic's BaseModel machinery, plus JourneyQL's model and
                    settings classes (defined, no validator built). They show how much of the gap
                    to the baseline is the model being pydantic classes at all.

Target (issue 14): check <= 1.5x the baseline. It always exits 0: it prints figures, it does not
judge the machine it runs on.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "specs" / "bank-mortgage"


def _journeyql() -> list[str]:
    script = Path(sys.executable).with_name("journeyql")
    return [str(script)] if script.exists() else [sys.executable, "-m", "journeyql.cli"]


def _cpu(command: list[str], env: dict) -> float:
    """CPU seconds (user + system) one run of ``command`` takes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="JourneyQL cold-start benchmark")
    parser.add_argument("--runs", type=int, default=9, help="rounds (default: 9); medians are shown")
    parser.add_argument("--workspaces", action="store_true",
                        help="also a `check` row for every other example workspace under specs/")
    parser.add_argument("--before", metavar="DIR", help="also run `check` with journeyql imported from DIR")
    args = parser.parse_args(argv)

    # bytecode compiled once, as in an installed JourneyQL
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    bare = {**env, "JOURNEYQL_DISABLE_PLUGINS": "all"}
    cases = {
        "import lark, pydantic": ([sys.executable, "-c", "import lark, pydantic"], env),
        "check": ([*_journeyql(), "check", str(SPEC)], env),
        "check, no plugins": ([*_journeyql(), "check", str(SPEC)], bare),
        **({"check, before": ([*_journeyql(), "check", str(SPEC)], {**env, "PYTHONPATH": args.before})}
           if args.before else {}),
        **{f"check {folder.name}": ([*_journeyql(), "check", str(folder)], env)
           for folder in (sorted(p for p in SPEC.parent.iterdir() if p.is_dir() and p != SPEC)
                          if args.workspaces else ())},
        "--help": ([*_journeyql(), "--help"], env),
        "python": ([sys.executable, "-c", "pass"], env),
        "floor: + BaseModel": ([sys.executable, "-c", "import lark, pydantic; from pydantic import BaseModel"], env),
        "floor: + model classes": ([sys.executable, "-c", "import lark, journeyql.language.model, "
                                    "journeyql.workspace.config"], env),
    }
    for command, case_env in cases.values():  # warm the bytecode and the grammar cache
        _cpu(command, case_env)
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(max(args.runs, 1)):
        for name, (command, case_env) in cases.items():
            times[name].append(_cpu(command, case_env))
    base = statistics.median(times["import lark, pydantic"])
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"cold start, CPU seconds (median of {max(args.runs, 1)}), {SPEC.relative_to(ROOT).as_posix()}, "
          f"load average {load:.1f}")
    print(f"{'':<32}{'CPU s':>8}{'x baseline':>12}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<32}{median:>8.3f}{median / base:>11.2f}x")
    print("target: check <= 1.50x `import lark, pydantic`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
