"""Analysis throughput: ``analyze`` end to end beside bare DuckDB queries for the same NPS, on 1M and 10M answers.

    python benchmarks/bench_analyze.py                # 1M and 10M rows, Parquet and CSV
    python benchmarks/bench_analyze.py --quick        # 1M rows only (a smoke test)
    python benchmarks/bench_analyze.py --rows 200000  # any sizes, comma-separated
    python benchmarks/bench_analyze.py --formats parquet --memory-limit 256MB   # memory stays bounded

The answers are generated once by DuckDB itself (``range()`` and ``hash()``: seconds, not minutes)
into a cache directory (default: ``$TMPDIR/journeyql-bench-analyze``; never committed) as canonical
response files, CSV and Parquet, for a workspace from ``benchmarks/generate.py`` whose measurement
plans ask every item the data holds (NPS at the end of the journey). Then, each case in a fresh
process so its peak RSS is its own:

  filtered NPS   the NPS per journey and touchpoint as ``compute`` defines it (the NPS answers given
                 there): one GROUP BY over the NPS rows only; DuckDB skips the rest of the file, so it
                 is a floor no analysis that must read every answer can reach
  respondent NPS the faithful yardstick: per journey and touchpoint, the respondents who answered there
                 (``n``, as ``compute`` counts them) and the NPS of those respondents: every row is read,
                 each respondent's NPS answer joined with the touchpoints they answered
  compute        journeyql.measure.analysis.compute over a ``responses`` view on the same file (no validation):
                 every metric of every level, moments, key drivers, KPI targets
  analyze cold   journeyql.measure.responses.load_responses (validation against the spec, the validated Parquet
                 written to an empty cache) then compute: what ``journeyql analyze`` does on a first run
  analyze warm   the same with the cache filled (a second ``analyze``, or ``build`` after it)

Times are CPU seconds of the worker process (all its threads), so load on a shared machine distorts
them little; ``--wall`` times wall-clock seconds instead. Results are checked, not only timed: the
filtered NPS, compute and both analyze runs must give the same NPS per journey, and the respondent
query the same ``n`` per touchpoint and journey NPS. DuckDB runs with ``memory_limit`` (default 1GB; analyze through ``JOURNEYQL_MEMORY_LIMIT``) on the machine's
cores. Times are the best of ``--repeat`` fresh processes (analyze: the spec is parsed before the
clock starts; imports and first-use costs are inside it). Targets (the analysis issue): analyze within
1.5x of the bare query; 10M Parquet rows under 10 s on a 2-core machine; memory bounded. It exits 1
only when a result is wrong: it prints figures, it does not judge the machine it runs on.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

#: what is timed: CPU seconds of the process, all threads (``--wall``: wall-clock seconds). CPU time is what
#: load on a shared machine distorts least; DuckDB's threads count in it.
CPU = True
TOUCHPOINTS_ASKED = 4   # sampled touchpoints per journey in the generated answers
SPEC_BYTES = 60_000     # a few organisations of three journeys each
EXTRA_ITEMS = '  emotions premo\n  intents complain, call_again\n  ces "Easy?"\n  csat "Satisfied?"\n'
# items asked after each sampled touchpoint (emotion.joy only for some respondents)
TOUCHPOINT_ITEMS = ("valence", "emotion.fear", "emotion.joy", "intent.complain", "intent.call_again", "ces")


def spec_text() -> str:
    """The benchmark workspace: generate.py's, with plans that ask intents, CES and CSAT too."""
    import generate

    return generate.workspace(SPEC_BYTES, seed=1).replace("  emotions premo\n", EXTRA_ITEMS)


def _layout(workspace) -> list[tuple]:
    """(journey index, journey, touchpoint local id, touchpoint index, persona a, persona b, organisation)."""
    rows = []
    for jx, journey in enumerate(workspace.journeys):
        personas = list(journey.personas) + [None, None]
        for k, touchpoint in enumerate(journey.touchpoints[:TOUCHPOINTS_ASKED]):
            rows.append((jx, journey.id, touchpoint.key.split(".", 1)[1], k, personas[0], personas[1],
                         journey.organisation))
    return rows


def generate_files(cache: Path, rows: int) -> dict[str, Path]:
    """Canonical response files of about ``rows`` answers (CSV and Parquet), written once."""
    import duckdb

    import journeyql

    cache.mkdir(parents=True, exist_ok=True)
    text = spec_text()
    (cache / "bench.jql").write_text(text, encoding="utf-8")
    files = {"parquet": cache / f"answers-{rows}.parquet", "csv": cache / f"answers-{rows}.csv"}
    if all(p.is_file() for p in files.values()):
        return files
    workspace = journeyql.parse(text, "bench.jql")
    layout = _layout(workspace)
    journeys = len(workspace.journeys)
    per_respondent = TOUCHPOINTS_ASKED * (len(TOUCHPOINT_ITEMS) - 0.5) + 2  # joy for half of them
    respondents = max(journeys, int(rows / per_respondent))
    con = duckdb.connect()
    con.execute("SET memory_limit = '2GB'")
    con.execute("SET enable_progress_bar = false")
    con.execute("CREATE TABLE layout (jx INTEGER, journey VARCHAR, touchpoint VARCHAR, k INTEGER, "
                "persona_a VARCHAR, persona_b VARCHAR, organisation VARCHAR)")
    con.executemany("INSERT INTO layout VALUES (?, ?, ?, ?, ?, ?, ?)", layout)
    con.execute("CREATE TABLE items (item VARCHAR)")
    con.executemany("INSERT INTO items VALUES (?)", [(i,) for i in TOUCHPOINT_ITEMS])
    # valence v_k = hash(i, k) % 7 - 3 at touchpoint k; NPS = 5 + (v_0 + v_1) / 2 + noise, so touchpoints
    # 0 and 1 drive NPS and the key-driver analysis has something to find
    query = f"""
    WITH respondents AS (
        SELECT i, 'r' || i AS respondent_id, i % {journeys} AS jx,
               TIMESTAMP '2026-03-01 00:00:00' + to_seconds(i % 8000000) AS ts FROM range({respondents}) t(i)
    ), at_touchpoints AS (
        SELECT r.respondent_id, l.journey, l.touchpoint, it.item,
               CASE it.item
                 WHEN 'valence' THEN CAST(hash(r.i, l.k) % 7 AS INTEGER) - 3
                 WHEN 'ces' THEN 1 + CAST(hash(r.i, l.k, 'ces') % 7 AS INTEGER)
                 WHEN 'emotion.fear' THEN 1 + CAST(hash(r.i, l.k, 'fear') % 5 AS INTEGER)
                 WHEN 'emotion.joy' THEN 1 + CAST(hash(r.i, l.k, 'joy') % 5 AS INTEGER)
                 ELSE CAST(hash(r.i, l.k, it.item) % 2 AS INTEGER) END AS num,
               r.ts, CASE WHEN r.i % 2 = 0 THEN l.persona_a ELSE l.persona_b END AS persona, l.organisation
        FROM respondents r JOIN layout l ON r.jx = l.jx CROSS JOIN items it
        WHERE it.item <> 'emotion.joy' OR r.i % 2 = 0
    ), at_end AS (
        SELECT r.respondent_id, l.journey, NULL AS touchpoint, e.item,
               CASE e.item WHEN 'csat' THEN 1 + CAST(hash(r.i, 'csat') % 5 AS INTEGER)
                 ELSE greatest(0, least(10, 5 + ((CAST(hash(r.i, 0) % 7 AS INTEGER) - 3)
                                                  + (CAST(hash(r.i, 1) % 7 AS INTEGER) - 3)) // 2
                                            + CAST(hash(r.i, 'noise') % 5 AS INTEGER) - 2)) END AS num,
               r.ts, CASE WHEN r.i % 2 = 0 THEN l.persona_a ELSE l.persona_b END AS persona, l.organisation
        FROM respondents r JOIN (SELECT DISTINCT jx, journey, persona_a, persona_b, organisation FROM layout) l
             ON r.jx = l.jx CROSS JOIN (VALUES ('nps'), ('csat')) e(item)
    )
    SELECT respondent_id, journey, touchpoint, item, CAST(num AS VARCHAR) AS value,
           strftime(ts, '%Y-%m-%dT%H:%M:%S') AS timestamp, persona, organisation
    FROM (SELECT * FROM at_touchpoints UNION ALL SELECT * FROM at_end)
    """
    con.execute(f"CREATE TABLE answers AS {query}")
    con.execute(f"COPY answers TO '{files['parquet']}' (FORMAT parquet, COMPRESSION zstd)")
    con.execute(f"COPY answers TO '{files['csv']}' (HEADER, DELIMITER ',')")
    con.close()
    return files


# --- what each worker process times ----------------------------------------------------------------

FILTERED_NPS = """
SELECT journey, touchpoint, 100.0 * (count_if(num >= 9) - count_if(num <= 6)) / count(*) AS nps
FROM responses WHERE item = 'nps' AND num IS NOT NULL GROUP BY ALL
"""

# per journey x touchpoint: the respondents who answered there and the NPS they gave (a respondent's NPS is
# their NPS answer; touchpoint NULL: the journey-level answers, i.e. the journey's NPS in this data)
RESPONDENT_NPS = """
WITH answered AS (SELECT DISTINCT journey, respondent_id, touchpoint FROM responses),
     promoter AS (SELECT journey, respondent_id, avg(num) AS y FROM responses
                  WHERE item = 'nps' AND num IS NOT NULL GROUP BY ALL)
SELECT a.journey, a.touchpoint, count(*) AS n,
       100.0 * (count_if(y >= 9) - count_if(y <= 6)) / nullif(count(y), 0) AS nps
FROM answered AS a LEFT JOIN promoter AS p ON a.journey = p.journey AND a.respondent_id = p.respondent_id
GROUP BY ALL
"""


def _view(con, path: Path) -> None:
    source = (f"read_parquet('{path}')" if path.suffix == ".parquet" else
              f"read_csv('{path}', header = true, all_varchar = true)")
    con.execute(f"""CREATE VIEW responses AS
        SELECT respondent_id, journey, nullif(touchpoint, '') AS touchpoint, item, value,
               TRY_CAST(value AS DOUBLE) AS num, CAST("timestamp" AS TIMESTAMP) AS ts,
               nullif(persona, '') AS persona, nullif(organisation, '') AS organisation
        FROM {source}""")


def _connect(memory: str):
    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SET memory_limit = '{memory}'")
    return con


def _found(results) -> dict:
    """What a run of compute reports that the yardsticks can check: NPS per journey, n per touchpoint."""
    return {"nps": {k: m.nps for k, m in results.journeys.items() if m.nps is not None},
            "n": {k: m.n for k, m in results.touchpoints.items() if m.n}}


def worker(task: str, path: Path, cache: Path, memory: str) -> dict:
    """One timed run of ``task`` (a fresh process each): seconds (total, load, compute), peak RSS, results."""
    import journeyql

    workspace = journeyql.parse((cache / "bench.jql").read_text(encoding="utf-8"), "bench.jql")
    found: dict = {}
    load = None
    if task in ("filtered", "respondent"):
        con = _connect(memory)
        _view(con, path)
        start, cpu = time.perf_counter(), time.process_time()
        rows = con.execute(FILTERED_NPS if task == "filtered" else RESPONDENT_NPS).fetchall()
        took, cpu = time.perf_counter() - start, time.process_time() - cpu
        if task == "filtered":
            found = {"nps": {j: v for j, t, v in rows if t is None and v is not None}}
        else:
            found = {"nps": {j: v for j, t, n, v in rows if t is None and v is not None},
                     "n": {f"{j}.{t}": n for j, t, n, v in rows if t is not None}}
    elif task == "compute":
        from journeyql.measure.analysis import compute

        con = _connect(memory)
        _view(con, path)
        start, cpu = time.perf_counter(), time.process_time()
        found = _found(compute(workspace, con))
        took, cpu = time.perf_counter() - start, time.process_time() - cpu
    else:  # analyze, cold (empty cache) or warm (the cache of the cold run before it)
        import shutil

        state = cache / f"analyze-{path.name}"
        if task == "cold":
            shutil.rmtree(state, ignore_errors=True)
        start, cpu = time.perf_counter(), time.process_time()
        from journeyql.measure.analysis import compute
        from journeyql.measure.responses import load_responses

        loaded = load_responses(workspace, cache, [path], {}, cache_dir=state, rejects_path=state / "rejects.csv")
        load = time.process_time() - cpu if CPU else time.perf_counter() - start
        found = _found(compute(workspace, loaded.con))
        took, cpu = time.perf_counter() - start, time.process_time() - cpu
        loaded.con.close()
    return {"time": cpu if CPU else took, "wall": took, "cpu": cpu, "load": load, "rss_mb": _peak_rss_mb(),
            "found": found}


def _peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries ru_maxrss over an exec, so a
    worker started by a large parent (one that just generated the data) would report the parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_worker(task: str, path: Path, cache: Path, repeat: int, memory: str) -> dict:
    """The best of ``repeat`` fresh processes (a cold run empties the cache each time)."""
    runs = []
    for _ in range(repeat):
        env = {**os.environ, "JOURNEYQL_MEMORY_LIMIT": memory}
        result = subprocess.run([sys.executable, __file__, "--worker", task, str(path), "--cache", str(cache),
                                 "--memory-limit", memory] + ([] if CPU else ["--wall"]),
                                capture_output=True, text=True, check=False, env=env)
        if result.returncode != 0:
            raise SystemExit(f"{task} on {path.name} failed:\n{result.stderr}")
        runs.append(json.loads(result.stdout.strip().splitlines()[-1]))
    best = min(runs, key=lambda r: r["time"])
    return {**best, "rss_mb": max(r["rss_mb"] for r in runs)}


def _same(a: dict, b: dict) -> bool:
    """Every figure ``a`` and ``b`` both report agrees (NPS to 1e-9, counts exactly)."""
    for kind in a.keys() & b.keys():
        x, y = a[kind], b[kind]
        if x.keys() != y.keys() or any(abs(x[k] - y[k]) > 1e-9 for k in x):
            return False
    return True


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1M rows only")
    parser.add_argument("--rows", help="comma-separated row counts (default 1000000,10000000)")
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "journeyql-bench-analyze"))
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--memory-limit", default="1GB")
    parser.add_argument("--no-pipeline", action="store_true", help="skip analyze (load_responses + compute)")
    parser.add_argument("--formats", default="parquet,csv", help="input formats, comma-separated")
    parser.add_argument("--wall", action="store_true", help="time wall-clock seconds instead of CPU seconds")
    parser.add_argument("--worker", nargs=2, metavar=("TASK", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    cache = Path(args.cache)
    global CPU
    CPU = not args.wall
    if args.worker:
        print(json.dumps(worker(args.worker[0], Path(args.worker[1]), cache, args.memory_limit)))
        return 0
    sizes = [int(s) for s in args.rows.split(",")] if args.rows else (
        [1_000_000] if args.quick else [1_000_000, 10_000_000])
    print(f"analysis benchmark: DuckDB memory_limit {args.memory_limit}, {os.cpu_count()} cores, best of "
          f"{args.repeat} fresh processes; cache {cache}; load average {os.getloadavg()[0]:.1f}")
    print(f"times in {'CPU' if CPU else 'wall-clock'} seconds; the ratio (x) is the time over the respondent NPS "
          "bare query, the faithful yardstick; analyze: total (load_responses); peak RSS of each process in MB")
    print(f"{'':20}{'bare query':^21}")
    print(f"{'rows':>11} {'format':7} {'filtered':>9} {'respondent':>11} {'compute':>13} "
          f"{'analyze cold (load)':>24} {'analyze warm (load)':>24}  same NPS  peak RSS filt/resp/comp/cold/warm")
    wrong = False
    for rows in sizes:
        start = time.perf_counter()
        files = generate_files(cache, rows)
        made = time.perf_counter() - start
        actual = _count(files["parquet"])
        if made > 1:
            print(f"  (generated {actual:,} rows in {made:.1f} s)")
        for fmt in args.formats.split(","):
            runs = {task: run_worker(task, files[fmt], cache, args.repeat, args.memory_limit)
                    for task in ("filtered", "respondent", "compute")
                    + (() if args.no_pipeline else ("cold", "warm"))}
            reference = runs["compute"]["found"]
            same = all(_same(run["found"], reference) for run in runs.values())
            wrong |= not same
            yard = runs["respondent"]["time"]

            def cell(task, width):
                if task not in runs:
                    return f"{'-':>{width}}"
                run = runs[task]
                load = f" ({run['load']:.2f})" if run["load"] is not None else ""
                return f"{run['time']:.2f}{load} {run['time'] / yard:.1f}x".rjust(width)

            rss = "/".join(f"{runs[t]['rss_mb']:.0f}" for t in ("filtered", "respondent", "compute", "cold", "warm")
                           if t in runs)
            print(f"{actual:>11,} {fmt:7} {runs['filtered']['time']:>9.2f} {yard:>11.2f} {cell('compute', 13)} "
                  f"{cell('cold', 24)} {cell('warm', 24)}  {'yes' if same else 'NO':8}  {rss}", flush=True)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}" + ("" if CPU else " (figures are wall-clock: other "
          "work on the machine slows them)"))
    return 1 if wrong else 0


def _count(path: Path) -> int:
    import duckdb

    return duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()[0]


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
