"""Analysis throughput: ``compute`` beside a bare DuckDB query for the same NPS, on 1M and 10M answers.

    python benchmarks/bench_analyze.py                # 1M and 10M rows, Parquet and CSV
    python benchmarks/bench_analyze.py --quick        # 1M rows only (a smoke test)
    python benchmarks/bench_analyze.py --rows 200000  # any sizes, comma-separated

The answers are generated once by DuckDB itself (``range()`` and ``hash()``: seconds, not minutes)
into a cache directory (default: ``$TMPDIR/journeyql-bench-analyze``; never committed) as canonical
response files, CSV and Parquet, for a workspace from ``benchmarks/generate.py`` whose measurement
plans ask every item the data holds. Then, each in a fresh process so its peak RSS is its own:

  bare query   NPS per journey and touchpoint: one filtered GROUP BY over the file
  compute      journeyql.analysis.compute over a ``responses`` view on the same file: every metric
               of every touchpoint, step, stage, journey, persona, organisation and sector, moments,
               key drivers and KPI targets
  pipeline     journeyql.responses.load_responses (validation, CSV->Parquet caching) then compute,
               with an empty cache (cold) and again with the cache filled (warm); CSV only

DuckDB runs with ``memory_limit`` (default 1GB) and 2 threads. Times are the best of ``--repeat``.
Targets (the analysis issue): compute within 1.5x of the bare query; 10M Parquet rows under 10 s on
a 2-core machine; memory bounded. It always exits 0 unless a result is wrong: it prints figures,
it does not judge the machine it runs on.
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

BARE_NPS = """
SELECT journey, touchpoint, 100.0 * (count_if(num >= 9) - count_if(num <= 6)) / count(*) AS nps
FROM responses WHERE item = 'nps' AND num IS NOT NULL GROUP BY ALL
"""


# a fairer yardstick: one hand-written GROUP BY for a few of compute's metrics per touchpoint
BARE_ALL = """
SELECT journey, touchpoint,
       100.0 * (count_if(item = 'nps' AND num >= 9) - count_if(item = 'nps' AND num <= 6))
             / nullif(count_if(item = 'nps' AND num IS NOT NULL), 0) AS nps,
       count(DISTINCT respondent_id) AS n, avg(num) FILTER (WHERE item = 'valence') AS valence,
       stddev_samp(num) FILTER (WHERE item = 'valence') AS sd, avg(num) FILTER (WHERE item = 'ces') AS ces,
       avg(num) FILTER (WHERE starts_with(item, 'intent.')) AS intents
FROM responses GROUP BY ALL
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
    con.execute("SET threads = 2")
    return con


def worker(task: str, path: Path, cache: Path, repeat: int, memory: str) -> dict:
    import journeyql
    from journeyql.analysis import compute

    workspace = journeyql.parse((cache / "bench.jql").read_text(encoding="utf-8"), "bench.jql")
    if task != "bare" and task != "bare_all":
        warm = _connect(memory)  # imports (numpy) and first-use costs are not the data's: run once on a sample
        _view(warm, path)
        warm.execute("CREATE TABLE sample AS SELECT * FROM responses LIMIT 20000")
        warm.execute("DROP VIEW responses")
        warm.execute("ALTER TABLE sample RENAME TO responses")
        compute(workspace, warm)
        warm.close()
        import numpy  # noqa: F401 - the key drivers' import, whether or not the sample reached them
    times, nps = [], {}
    for _ in range(repeat):
        if task in ("bare", "bare_all"):
            con = _connect(memory)
            _view(con, path)
            start = time.perf_counter()
            rows = con.execute(BARE_NPS if task == "bare" else BARE_ALL).fetchall()
            times.append(time.perf_counter() - start)
            nps = {j: v for j, t, v, *_ in rows if t is None and v is not None}
        elif task == "compute":
            con = _connect(memory)
            _view(con, path)
            start = time.perf_counter()
            results = compute(workspace, con)
            times.append(time.perf_counter() - start)
            nps = {k: m.nps for k, m in results.journeys.items() if m.nps is not None}
        else:  # pipeline: cold (empty cache), then warm (cache filled)
            import shutil

            from journeyql.responses import MEMORY_LIMIT, load_responses

            state = cache / f"pipeline-{path.stem}"
            shutil.rmtree(state, ignore_errors=True)
            for _ in range(2):
                start = time.perf_counter()
                loaded = load_responses(workspace, cache, [path], {}, cache_dir=state)
                results = compute(workspace, loaded.con)
                times.append(time.perf_counter() - start)
                loaded.con.close()
            nps = {k: m.nps for k, m in results.journeys.items() if m.nps is not None}
            memory = MEMORY_LIMIT
            break
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"times": times, "rss_mb": peak, "nps": nps, "memory_limit": memory}


def run_worker(task: str, path: Path, cache: Path, repeat: int, memory: str) -> dict:
    result = subprocess.run([sys.executable, __file__, "--worker", task, str(path), "--cache", str(cache),
                             "--repeat", str(repeat), "--memory-limit", memory],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{task} on {path.name} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _same(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(abs(a[k] - b[k]) < 1e-9 for k in a)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1M rows only")
    parser.add_argument("--rows", help="comma-separated row counts (default 1000000,10000000)")
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "journeyql-bench-analyze"))
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--memory-limit", default="1GB")
    parser.add_argument("--no-pipeline", action="store_true", help="skip load_responses + compute")
    parser.add_argument("--worker", nargs=2, metavar=("TASK", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    cache = Path(args.cache)
    if args.worker:
        print(json.dumps(worker(args.worker[0], Path(args.worker[1]), cache, args.repeat, args.memory_limit)))
        return 0
    sizes = [int(s) for s in args.rows.split(",")] if args.rows else (
        [1_000_000] if args.quick else [1_000_000, 10_000_000])
    try:
        import journeyql.responses as responses
        pipeline = hasattr(responses, "load_responses") and not args.no_pipeline
    except ImportError:
        pipeline = False
    print(f"analysis benchmark: DuckDB memory_limit {args.memory_limit}, 2 threads, best of {args.repeat}; "
          f"cache {cache}; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"{'rows':>11} {'format':8} {'bare query':>11} {'compute':>9} {'ratio':>6} "
          f"{'peak RSS bare/compute':>22}  same NPS  {'bare GROUP BY, 7 metrics':>25}")
    wrong = False
    for rows in sizes:
        start = time.perf_counter()
        files = generate_files(cache, rows)
        made = time.perf_counter() - start
        actual = _count(files["parquet"])
        if made > 1:
            print(f"  (generated {actual:,} rows in {made:.1f} s)")
        for fmt in ("parquet", "csv"):
            bare = run_worker("bare", files[fmt], cache, args.repeat, args.memory_limit)
            full = run_worker("compute", files[fmt], cache, args.repeat, args.memory_limit)
            fair = run_worker("bare_all", files[fmt], cache, args.repeat, args.memory_limit)
            same = _same(bare["nps"], full["nps"]) and _same(bare["nps"], fair["nps"])
            wrong |= not same
            b, c, f = min(bare["times"]), min(full["times"]), min(fair["times"])
            print(f"{actual:>11,} {fmt:8} {b:>10.2f}s {c:>8.2f}s {c / b:>5.1f}x "
                  f"{bare['rss_mb']:>10.0f}/{full['rss_mb']:.0f} MB  {'yes' if same else 'NO':8}  "
                  f"{f:>6.2f}s (compute {c / f:.1f}x)")
        if pipeline:
            run = run_worker("pipeline", files["csv"], cache, 1, args.memory_limit)
            same = _same(run["nps"], full["nps"])
            wrong |= not same
            cold, warm = run["times"]
            print(f"{actual:>11,} pipeline: load_responses (validate, CSV->Parquet cache) + compute: "
                  f"cold {cold:.2f}s, warm {warm:.2f}s; peak RSS {run['rss_mb']:.0f} MB "
                  f"(memory_limit {run['memory_limit']}); same NPS {'yes' if same else 'NO'}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (figures are wall-clock: other work on the "
          "machine slows them)")
    if not pipeline:
        print("pipeline: skipped (journeyql.responses.load_responses not available, or --no-pipeline)")
    return 1 if wrong else 0


def _count(path: Path) -> int:
    import duckdb

    return duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()[0]


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
