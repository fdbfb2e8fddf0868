"""Measurement waves: analysing the same answers as four waves against analysing them as one measurement.

    python benchmarks/bench_waves.py                 # 1M and 10M answers (Parquet), 4 waves
    python benchmarks/bench_waves.py --quick         # 1M only (a smoke test)
    python benchmarks/bench_waves.py --rows 300000 --waves 4
    python benchmarks/bench_waves.py --rows 1000000,3000000 --organisations 5   # the benchmark case too
    python benchmarks/bench_waves.py --rows 10000000 --organisations 5 --cases waves-orgs --repeat 1

The answers are bench_analyze.py's (generated once by DuckDB into ``$TMPDIR/journeyql-bench-analyze``).
They are split per measurement plan (one per journey) and per wave (a respondent's wave is a hash of
their id), into Parquet files: the *one wave* workspace names each plan's files as plain ``data``
(today's analysis: every answer pooled), the *waves* workspace gives each plan ``--waves`` wave
blocks. Both read exactly the same answers. Each case runs in a fresh process, cold (empty cache:
validation included) and warm (cache filled), and reports its CPU time (user + system of the process,
DuckDB's threads included) from ``load_responses`` to the finished ``Results``: with waves that is
every wave's own analysis, the changes and trends, and the current results (the latest wave).

With ``--organisations N`` (issue 12's sector benchmark) two more workspaces read the same answers with one
change: every journey is shared by N organisations (``organisations org0, ..., orgN-1``; the spec gains the
organisations it lacks) and each respondent's rows carry one of them (a hash of the respondent id,
independent of the wave's). *1 wave x N orgs* analyses them as one measurement, *W waves x N orgs* as W
waves; both add the benchmark (Welch per organisation, step and touchpoint) to every analysis. The ratios
stay over the plain one-wave analysis, so the organisations' cost is inside them.

Checked, not only timed: every wave's respondents add up to the one-wave analysis's respondents per
journey (and, with organisations, that the benchmark's respondents add up to the journey's). Target
(issue 12): 10M answers over 4 waves and 5 organisations within 2x of one wave's analysis. It prints
figures; it exits 1 only when a result is wrong.
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


def shared_spec(spec: str, organisations: int) -> str:
    """``spec`` with every journey shared by ``organisations`` organisations, as ``check`` wants it: the
    organisations it lacks declared with a service department, and every touchpoint owned at each of them
    (a ``for`` view naming that organisation's service department where the default owner is another's)."""
    names = [f"org{k}" for k in range(organisations)]
    declared = set(re.findall(r"^organisation (\w+) ", spec, flags=re.M))
    extra = "".join(f'organisation {o} "Organisation {o[3:]}" {{\n  sector energy\n  locale en\n}}\n'
                    f'stakeholder {o}_service "Service department" {{\n  kind internal\n  organisation {o}\n}}\n'
                    for o in names if o not in declared)
    shared = re.sub(r'(\njourney \w+ "[^"]*" \{\n)  organisation \w+\n', rf"\1  organisations {', '.join(names)}\n",
                    spec)

    def owned(match):
        mine = match.group(2).split("_", 1)[0]
        return match.group(1) + "".join(f"        for {o} {{\n          owner {o}_service\n        }}\n"
                                        for o in names if o != mine)

    shared = re.sub(r'(      touchpoint \w+ "[^"]*" \{\n        channel \w+\n        owner (\w+)\n)', owned, shared)
    return extra + shared


def prepare(cache: Path, rows: int, waves: int, organisations: int = 0, cases: list[str] | None = None) -> dict[str, Path]:
    """The workspaces over the same answers, split per plan and wave (written once); ``cases``: only these
    (and ``one``, the baseline)."""
    import duckdb

    import bench_analyze

    source = bench_analyze.generate_files(cache, rows)["parquet"]
    spec = bench_analyze.spec_text()
    plans = re.findall(r"measurement (\w+) \"Measurement\" \{\n  journey (\w+)\n", spec)
    roots = {"one": cache / f"one-{rows}", "waves": cache / f"waves{waves}-{rows}"}
    if organisations:
        roots["one-orgs"] = cache / f"one-orgs{organisations}-{rows}"
        roots["waves-orgs"] = cache / f"waves{waves}-orgs{organisations}-{rows}"
    if cases:
        roots = {name: root for name, root in roots.items() if name == "one" or name in cases}
    if all((root / "bench.jql").is_file() for root in roots.values()):
        return roots
    for root in roots.values():
        (root / "answers").mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET memory_limit = '2GB'")
    con.execute("SET enable_progress_bar = false")
    texts = {name: spec if not name.endswith("-orgs") else shared_spec(spec, organisations) for name in roots}
    # each respondent's organisation: a hash of their id salted apart from the wave's hash
    owner = f"* REPLACE ('org' || (hash(respondent_id, 'org') % {max(1, organisations)}) AS organisation)"
    for plan, journey in plans:
        for name, root in roots.items():
            picked = owner if name.endswith("-orgs") else "*"
            header = f'measurement {plan} "Measurement" {{\n  journey {journey}\n'
            if name.startswith("waves"):
                for wave in range(waves):
                    target = root / "answers" / f"{plan}-{wave + 1}.parquet"
                    con.execute(f"COPY (SELECT {picked} FROM read_parquet('{source}') WHERE journey = '{journey}' "
                                f"AND hash(respondent_id) % {waves} = {wave}) TO '{target}' (FORMAT parquet)")
                blocks = "".join(f'  wave w{k} "Wave {k}" {{\n    data "answers/{plan}-{k}.parquet"\n  }}\n'
                                 for k in range(1, waves + 1))
                texts[name] = texts[name].replace(header, header + blocks)
            else:
                con.execute(f"COPY (SELECT {picked} FROM read_parquet('{source}') WHERE journey = '{journey}') "
                            f"TO '{root / 'answers' / f'{plan}.parquet'}' (FORMAT parquet)")
                texts[name] = texts[name].replace(header, header + f'  data "answers/{plan}.parquet"\n')
    con.close()
    for name, root in roots.items():
        (root / "bench.jql").write_text(texts[name], encoding="utf-8")
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
    # the benchmark's respondents per journey at its first step (every respondent answers there in this data);
    # the benchmark is the current results' (the latest wave), so it is checked against their journeys
    benchmarked = {key: sum(s.n for s in found.steps[0].organisations) if found.steps else 0
                   for key, found in results.benchmarks.items()}
    current = {k: m.n for k, m in results.journeys.items() if k in benchmarked}
    return {"cpu": cpu, "wall": time.perf_counter() - wall, "respondents": respondents,
            "waves": len(results.waves), "changes": len(results.changes), "benchmarked": benchmarked,
            "current": current,
            "organisations": max((len(f.organisations) for f in results.benchmarks.values()), default=0)}


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
    parser.add_argument("--organisations", type=int, default=0,
                        help="also analyse the answers with every journey shared by N organisations (issue 12: 5)")
    parser.add_argument("--cases", help="only these cases, comma-separated, of one, waves, one-orgs, waves-orgs "
                        "(one, the baseline, always runs)")
    parser.add_argument("--repeat", type=int, default=2, help="best of N fresh processes (default: 2)")
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "journeyql-bench-analyze"))
    parser.add_argument("--worker", nargs=2, metavar=("ROOT", "CACHE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(Path(args.worker[0]), Path(args.worker[1]))))
        return 0
    sizes = [1_000_000] if args.quick else [int(r) for r in args.rows.split(",")]
    wrong = False
    labels = {"one": "1 wave", "waves": f"{args.waves} waves", "one-orgs": f"1 wave x {args.organisations} orgs",
              "waves-orgs": f"{args.waves} waves x {args.organisations} orgs"}
    print(f"{'answers':>10}  {'case':<20} {'cold CPU s':>10} {'warm CPU s':>10} {'cold x':>7} {'warm x':>7}")
    for rows in sizes:
        roots = prepare(Path(args.cache), rows, args.waves, args.organisations,
                        args.cases.split(",") if args.cases else None)
        found = {}
        for name, root in roots.items():
            colds, warms = [], []
            for _ in range(max(1, args.repeat)):
                with tempfile.TemporaryDirectory() as scratch:
                    colds.append(run_case(root, Path(scratch)))
                    warms.append(run_case(root, Path(scratch)))
            found[name] = (min(colds, key=lambda r: r["cpu"]), min(warms, key=lambda r: r["cpu"]))
        base_cold, base_warm = found["one"][0]["cpu"], found["one"][1]["cpu"]
        for name in roots:
            cold, warm = found[name]
            print(f"{rows:>10,}  {labels[name]:<20} {cold['cpu']:>10.2f} {warm['cpu']:>10.2f} "
                  f"{cold['cpu'] / base_cold:>6.2f}x {warm['cpu'] / base_warm:>6.2f}x", flush=True)
        for name in roots:
            got = found[name][0]
            if got["respondents"] != found["one"][0]["respondents"] or (name.startswith("waves") and not got["waves"]):
                print(f"  WRONG: {labels[name]}: the respondents {got['respondents']} are not the one wave's "
                      f"{found['one'][0]['respondents']}")
                wrong = True
            if name.endswith("-orgs") and (got["organisations"] != args.organisations
                                           or got["benchmarked"] != got["current"] or not got["benchmarked"]):
                print(f"  WRONG: {labels[name]}: the benchmark ({got['organisations']} organisations) counts "
                      f"{got['benchmarked']} respondents, the journeys {got['current']}")
                wrong = True
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
