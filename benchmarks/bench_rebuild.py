"""Rebuilds against full builds: JourneyQL now and a baseline revision, side by side, in CPU time.

    python benchmarks/bench_rebuild.py                     # best of 3, baseline = BASELINE below
    python benchmarks/bench_rebuild.py --quick             # one run each (a smoke test)
    python benchmarks/bench_rebuild.py --baseline REV      # any git revision of this repository

Each row is one `journeyql build` of a copy of the example workspaces (specs/) in a fresh
process; CPU time is the process's and its children's (graphviz), so the machine's load
does not distort it. Modules run from byte-code (PYTHONDONTWRITEBYTECODE is unset for the
builds), as from an installed package. The baseline revision is extracted with `git archive` and run with the
same interpreter and packages (its modules first on PYTHONPATH), on the examples of its own
revision (the language has grown since: today's examples do not parse there).

Rows:
  full build, cold caches   a new output folder and no .journeyql-cache in the workspaces
  full build                a new output folder; the workspaces' caches (validated responses,
                            compiled templates, measured results) as a previous build left them
  unchanged rebuild         the same command again
  comment-only change       a comment's words changed and a comment line added at the end
  one label change          the label of one journey of one workspace (telecom-switch)
Targets: unchanged <= 5% of a full build, comment-only nothing rebuilt, label change <= 25%;
full build >= 35% cheaper than the baseline's. It always exits 0: it prints figures.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "92240c4"  # main before incremental builds, the shared template environment and linear sites
SPEC = Path("telecom-switch") / "telecom.jql"


def _cpu_of(command: list[str], cwd: Path, env: dict) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=1800)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


class Tree:
    """One JourneyQL (this tree or a baseline) building its own copy of the examples."""

    def __init__(self, name: str, work: Path, pythonpath: str | None, examples: Path = ROOT / "specs"):
        self.name, self.work, self.examples = name, work, examples
        # byte-code as an installed package has it: with PYTHONDONTWRITEBYTECODE set (some shells and
        # CI images set it) every process compiles every module again, ~0.25 s a build for both trees
        self.env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        if pythonpath:
            self.env["PYTHONPATH"] = pythonpath + os.pathsep + self.env.get("PYTHONPATH", "")
        self.specs = work / "specs"
        self.out = work / "out"
        self.labels = 0

    def fresh_specs(self) -> None:
        shutil.rmtree(self.specs, ignore_errors=True)
        shutil.copytree(self.examples, self.specs, ignore=shutil.ignore_patterns(".journeyql-cache"))

    def build(self, *extra: str, out: Path | None = None) -> float:
        command = [sys.executable, "-c", "import sys; from journeyql.cli import console; sys.argv[0] = 'journeyql'; "
                   "console()", "build", "specs", "-o", str(out or self.out), *extra]
        return _cpu_of(command, self.work, self.env)

    def full(self, cold: bool) -> float:
        if cold:
            self.fresh_specs()
        shutil.rmtree(self.out, ignore_errors=True)
        return self.build()

    def comment(self) -> None:
        path = self.specs / SPEC
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0]
        path.write_text(text.replace(first, first + " (reworded)", 1) + "# one more remark\n", encoding="utf-8")

    def label(self) -> None:
        self.labels += 1
        path = self.specs / SPEC
        text = re.sub(r'journey (\w+) "[^"]*"', rf'journey \1 "Switching to fibre {self.labels}"',
                      path.read_text(encoding="utf-8"), count=1)
        path.write_text(text, encoding="utf-8")


def measure(tree: Tree, repeat: int) -> dict[str, float]:
    rows: dict[str, list[float]] = {}

    def add(name: str, seconds: float) -> None:
        rows.setdefault(name, []).append(seconds)

    for _ in range(repeat):
        add("full build, cold caches", tree.full(cold=True))
        add("full build", tree.full(cold=False))
        add("unchanged rebuild", tree.build())
        tree.comment()
        add("comment-only change", tree.build())
        tree.label()
        add("one label change", tree.build())
    return {name: min(values) for name, values in rows.items()}


def baseline_tree(revision: str, work: Path) -> Tree:
    source = work / "source"
    source.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", revision], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    # the standard plugins are top-level packages inside plugins/ and templates/: their parents go first
    path = os.pathsep.join([str(source), str(source / "plugins"), str(source / "templates")])
    # the examples as they were at that revision: today's use syntax it cannot read (translations of
    # every text, measurement waves), and a build with errors renders nothing to time
    tree = Tree(f"baseline {revision}", work, path, examples=source / "specs")
    # the installed entry points are today's: a standard plugin the baseline did not ship yet (the
    # deck) would load from this tree into the baseline's host, so the baseline runs without it
    import tomllib

    today = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["entry-points"]
    newer = sorted(name for name, module in today.get("journeyql", {}).items()
                   if not (source / "plugins" / module).is_dir())
    if newer:
        tree.env["JOURNEYQL_DISABLE_PLUGINS"] = ",".join(newer)
    return tree


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one run of each row")
    parser.add_argument("--baseline", default=BASELINE, help=f"git revision to compare with (default {BASELINE})")
    args = parser.parse_args(argv)
    repeat = 1 if args.quick else 3
    with tempfile.TemporaryDirectory(prefix="bench-rebuild-") as temp:
        now = Tree("JourneyQL", Path(temp) / "now", None)
        now.work.mkdir()
        base = baseline_tree(args.baseline, Path(temp) / "base")
        for tree in (now, base):
            tree.fresh_specs()
        # the rounds alternate between the two trees: a load that rises or falls during the run (other
        # processes on the machine) then weighs on both alike, not on whichever tree ran first
        rounds: dict[str, list[dict[str, float]]] = {now.name: [], base.name: []}
        for _ in range(repeat):
            for tree in (now, base):
                rounds[tree.name].append(measure(tree, 1))
        results = {name: {row: min(r[row] for r in runs) for row in runs[0]} for name, runs in rounds.items()}
    a, b = results[now.name], results[base.name]
    print(f"CPU seconds, best of {repeat}; % of the same JourneyQL's full build (warm caches)")
    print(f"{'':<26} {'JourneyQL':>10} {'%':>6}   {base.name:>16} {'%':>6}")
    for row in a:
        print(f"{row:<26} {a[row]:10.2f} {100 * a[row] / a['full build']:5.1f}%   "
              f"{b[row]:16.2f} {100 * b[row] / b['full build']:5.1f}%")
    print(f"full build: {100 * (1 - a['full build'] / b['full build']):.0f}% cheaper than the baseline's "
          f"(cold caches: {100 * (1 - a['full build, cold caches'] / b['full build, cold caches']):.0f}%); target >= 35%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
