"""Measurement waves: analysing the same answers as four waves against analysing them as one measurement.

    python benchmarks/bench_waves.py                 # 1M and 10M answers (Parquet), 4 waves
    python benchmarks/bench_waves.py --quick         # 1M only (a smoke test)
    python benchmarks/bench_waves.py --rows 300000 --waves 4

The answers are bench_analyze.py's (generated once by DuckDB into ``$TMPDIR/journeyql-bench-analyze``).
They are split per measurement plan (one per journey) and per wave (a respondent's wave is a hash of
their id), into Parquet files: the *one wave* workspace names each plan's files as plain ``data``
(today's analysis: every answer pooled), the *waves* workspace gives each plan ``--waves`` wave
blocks. Both read exactly the same answers. Each case runs in a fresh process, cold (empty cache:
validation included) and warm (cache filled), and reports its CPU time (user + system of the process,
DuckDB's threads included) from ``load_responses`` to the finished ``Results``: with waves that is
every wave's own analysis, the changes and trends, and the current results (the latest wave).

Checked, not only timed: every wave's respondents add up to the one-wave analysis's respondents per
journey. Target (issue 12): the waves within 2x of one wave's analysis. It prints figures; it exits 1
only when a result is wrong.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def prepare(cache: Path, rows: int, waves: int) -> dict[str, Path]:
    """The two workspaces over the same answers, split per plan and wave (written once)."""
    import duckdb

    import bench_analyze

    source = bench_analyze.generate_files(cache, rows)["parquet"]
    spec = bench_analyze.spec_text()
    plans = re.findall(r"measurement (\w+) \"Measurement\" \{\n  journey (\w+)\n", spec)
    roots = {"one": cache / f"one-{rows}", "waves": cache / f"waves{waves}-{rows}"}
    if all((root / "bench.jql").is_file() for root in roots.values()):
        return roots
    for root in roots.values():
        (root / "answers").mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET memory_limit = '2GB'")
    con.execute("SET enable_progress_bar = false")
    one_text, wave_text = spec, spec
    for plan, journey in plans:
        for wave in range(waves):
            target = roots["waves"] / "answers" / f"{plan}-{wave + 1}.parquet"
            con.execute(f"COPY (SELECT * FROM read_parquet('{source}') WHERE journey = '{journey}' "
                        f"AND hash(respondent_id) % {waves} = {wave}) TO '{target}' (FORMAT parquet)")
        con.execute(f"COPY (SELECT * FROM read_parquet('{source}') WHERE journey = '{journey}') "
                    f"TO '{roots['one'] / 'answers' / f'{plan}.parquet'}' (FORMAT parquet)")
        header = f'measurement {plan} "Measurement" {{\n  journey {journey}\n'
        one_text = one_text.replace(header, header + f'  data "answers/{plan}.parquet"\n')
        blocks = "".join(f'  wave w{k} "Wave {k}" {{\n    data "answers/{plan}-{k}.parquet"\n  }}\n'
                         for k in range(1, waves + 1))
        wave_text = wave_text.replace(header, header + blocks)
    con.close()
    (roots["one"] / "bench.jql").write_text(one_text, encoding="utf-8")
    (roots["waves"] / "bench.jql").write_text(wave_text, encoding="utf-8")
    return roots


def worker(root: Path, cache: Path) -> dict:
    """One run in this process: CPU seconds from reading the answers to the results, and what they say."""
    import journeyql
    from journeyql.cli.render import compute_results
    from journeyql.host.planning import data_files
    from journeyql.measure.responses import load_responses

    workspace = journeyql.load(root)
    files = data_files(workspace, root)
    before = resource.getrusage(resource.RUSAGE_SELF)
    wall = time.perf_counter()
    loaded = load_responses(workspace, root, files, {}, cache_dir=cache)
    results = compute_results(workspace, loaded, None, root)
    loaded.con.close()
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if results.waves:
        respondents: dict[str, int] = {}
        for wave in results.waves:
            for key, metrics in wave.results.journeys.items():
                respondents[key] = respondents.get(key, 0) + metrics.n
    else:
        respondents = {k: m.n for k, m in results.journeys.items() if m.n}
    return {"cpu": cpu, "wall": time.perf_counter() - wall, "respondents": respondents,
            "waves": len(results.waves), "changes": len(results.changes)}


def run_case(root: Path, cache: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--worker", str(root), str(cache)], capture_output=True,
                          text=True, timeout=900)
    if done.returncode != 0:
        raise SystemExit(f"worker failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", default="1000000,10000000", help="answer counts, comma-separated")
    parser.add_argument("--waves", type=int, default=4)
    parser.add_argument("--quick", action="store_true", help="1M answers only")
    parser.add_argument("--repeat", type=int, default=2, help="best of N fresh processes (default: 2)")
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "journeyql-bench-analyze"))
    parser.add_argument("--worker", nargs=2, metavar=("ROOT", "CACHE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(Path(args.worker[0]), Path(args.worker[1]))))
        return 0
    sizes = [1_000_000] if args.quick else [int(r) for r in args.rows.split(",")]
    wrong = False
    print(f"{'answers':>10}  {'case':<8} {'cold CPU s':>10} {'warm CPU s':>10} {'cold x':>7} {'warm x':>7}")
    for rows in sizes:
        roots = prepare(Path(args.cache), rows, args.waves)
        found = {}
        for name, root in roots.items():
            colds, warms = [], []
            for _ in range(max(1, args.repeat)):
                with tempfile.TemporaryDirectory() as scratch:
                    colds.append(run_case(root, Path(scratch)))
                    warms.append(run_case(root, Path(scratch)))
            found[name] = (min(colds, key=lambda r: r["cpu"]), min(warms, key=lambda r: r["cpu"]))
        base_cold, base_warm = found["one"][0]["cpu"], found["one"][1]["cpu"]
        for name, label in (("one", "1 wave"), ("waves", f"{args.waves} waves")):
            cold, warm = found[name]
            print(f"{rows:>10,}  {label:<8} {cold['cpu']:>10.2f} {warm['cpu']:>10.2f} "
                  f"{cold['cpu'] / base_cold:>6.2f}x {warm['cpu'] / base_warm:>6.2f}x")
        if found["waves"][0]["respondents"] != found["one"][0]["respondents"] or found["waves"][0]["waves"] == 0:
            print(f"  WRONG: the waves' respondents {found['waves'][0]['respondents']} are not the one wave's "
                  f"{found['one'][0]['respondents']}")
            wrong = True
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
