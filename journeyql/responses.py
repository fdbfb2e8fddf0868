"""Response data: read answer files, validate them against the workspace, hand DuckDB a clean table.

Every source (a canonical CSV or Parquet file, or any file a reader plugin
reads) first becomes one cached Parquet file of raw text columns. Then one
SQL pass validates every row against the workspace and gives each bad row
exactly one reason; the good rows become the ``responses`` view that
:func:`journeyql.analysis.compute` reads, the bad ones go to the rejects CSV.
Nothing is dropped silently.

Why Parquet first: a canonical CSV is converted by DuckDB itself, streaming,
so a 2 GB file never sits in Python's memory, and the next run (``build``
after ``analyze``, or a second ``analyze``) reads the Parquet copy instead of
parsing the CSV again. DuckDB runs with a memory limit and a spill directory
inside the cache, so memory stays bounded whatever the file size.

The cache (default ``<workspace>/.journeyql-cache/``, gitignored) keys a
source by its absolute path, size, modification time and a hash of its first
and last megabyte; see ``docs/responses.md``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

#: Columns of the canonical response format, required first.
REQUIRED = ("respondent_id", "journey", "touchpoint", "item", "value", "timestamp")
OPTIONAL = ("persona", "organisation")
COLUMNS = REQUIRED + OPTIONAL

#: Why a row was rejected, in the order the checks run (a row gets the first that applies).
REASONS = {
    "empty_file": "the file has no answers",
    "unreadable_file": "the file cannot be read",
    "malformed_line": "the line is not valid CSV (unterminated quote, wrong number of fields)",
    "missing_field": "respondent_id, journey or item is empty",
    "unknown_journey": "the journey is not in the workspace",
    "unknown_touchpoint": "the touchpoint is not in that journey",
    "unknown_item": "the item is not asked by the journey's measurement plan",
    "unknown_persona": "the persona is not in the workspace",
    "unknown_organisation": "the organisation is not in the workspace",
    "missing_value": "the value is empty",
    "not_a_number": "the item needs a number",
    "out_of_range": "the value is outside the item's scale (or not one of its whole points)",
    "not_an_option": "the value is not one of the question's options",
    "bad_timestamp": "the timestamp is not ISO 8601",
    "duplicate": "the respondent already answered this item here (the first answer is kept)",
}

#: Default ranges of the numeric items; ``whole`` items take whole numbers only.
DEFAULT_RANGES = {"ces": (1.0, 7.0), "csat": (1.0, 5.0), "nps": (0.0, 10.0),
                  "emotion": (1.0, 5.0), "intent": (0.0, 1.0)}

#: Bump when the cached Parquet layout or the validation changes.
CACHE_VERSION = "1"
_PROBE = 1 << 20  # bytes hashed at the start and at the end of a source
_BATCH = 50_000   # rows per batch from a reader plugin
KEEP_CHECKED = 4  # validated sets kept in a cache
MEMORY_LIMIT = os.environ.get("JOURNEYQL_MEMORY_LIMIT", "1GB")


class ResponsesError(Exception):
    """Response data that cannot be used; the message says why in one line.

    ``usage`` is true for problems with what the user asked for (a missing file,
    a wrong header, no reader for a format): the CLI exits 2 for those, 1 otherwise.
    """

    def __init__(self, message: str, *, usage: bool = False):
        super().__init__(message)
        self.usage = usage


@dataclass
class Loaded:
    """Validated responses: ``con`` has a view ``responses`` of the usable rows."""

    con: object
    rows: int                                  #: usable rows (in ``responses``)
    read: int                                  #: rows read from every source, rejected ones included
    rejected: dict[str, int] = field(default_factory=dict)  #: reason -> count
    rejects_path: Path | None = None
    sources: tuple[str, ...] = ()              #: the files, relative to the workspace root where possible

    def summary(self) -> str:
        """One line: rows read, used, rejected per reason."""
        line = f"responses: {self.read} rows read, {self.rows} used"
        if self.rejected:
            parts = ", ".join(f"{reason} {count}" for reason, count in sorted(self.rejected.items()))
            line += f", {sum(self.rejected.values())} rejected ({parts})"
            if self.rejects_path is not None:
                line += f"; see {self.rejects_path}"
        return line


@dataclass(frozen=True)
class _Source:
    shown: str     # how the file is named to the user
    path: Path
    parquet: Path  # the cached raw rows


def default_cache_dir(root: Path) -> Path:
    return Path(root) / ".journeyql-cache"


def data_files(workspace, root: Path) -> list[Path]:
    """The response files the measurement plans name, relative to the workspace root, in plan order."""
    found: list[Path] = []
    for measurement in workspace.measurements:
        for name in measurement.data:
            path = Path(root) / name
            if path not in found:
                found.append(path)
    return found


def load_responses(workspace, root: Path, files: list[Path], readers: Mapping, *, strict: bool = False,
                   cache_dir: Path | None = None, rejects_path: Path | None = None) -> Loaded:
    """Read ``files``, validate every row against ``workspace`` and return the usable ones in DuckDB.

    ``readers`` are the registered readers (``host.readers``) for formats other than the
    canonical CSV/Parquet. Raises :class:`ResponsesError` when a file is missing or has a
    wrong header, when nothing usable remains, or (``strict``) when anything was rejected.
    The rejects CSV, when ``rejects_path`` is given, is written before any error is raised.
    """
    import duckdb

    root = Path(root)
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir(root)
    if not files:
        raise ResponsesError("no response files: pass --responses FILE or name `data` in a measurement plan",
                             usage=True)
    for path in files:
        if not Path(path).is_file():
            raise ResponsesError(f"response file not found: {_shown(Path(path), root)}", usage=True)
    try:
        (cache / "responses").mkdir(parents=True, exist_ok=True)
        (cache / "tmp").mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ResponsesError(f"cannot create the cache directory {cache}: {error.strerror}", usage=True) from None
    con = duckdb.connect()
    _run(con, f"SET memory_limit = '{_sql_text(MEMORY_LIMIT)}'")
    _run(con, f"SET temp_directory = '{_sql_text(str(cache / 'tmp'))}'")
    _run(con, "SET TimeZone = 'UTC'")
    _run(con, "SET preserve_insertion_order = true")  # line numbers of CSV records follow file order

    sources: list[_Source] = []
    file_rejects: list[tuple[str, str]] = []  # (file, reason) for whole files
    for path in (Path(p) for p in files):
        shown = _shown(path, root)
        try:
            parquet = _cached_source(con, path, shown, readers, cache / "responses")
        except _FileRejected as rejected:
            file_rejects.append((shown, rejected.reason))
            continue
        sources.append(_Source(shown, path, parquet))

    _workspace_tables(con, workspace)
    counts: dict[str, int] = {}
    for _, reason in file_rejects:
        counts[reason] = counts.get(reason, 0) + 1
    read = used = 0
    checked = None
    if sources:
        checked = _validate(con, sources, cache)
        for reason, count in con.execute(f"SELECT reason, count(*) FROM read_parquet('{_sql_text(str(checked))}') "
                                         "GROUP BY reason").fetchall():
            if reason is None:
                used = count
            else:
                counts[reason] = counts.get(reason, 0) + count
            read += count
        _run(con, f"""CREATE VIEW responses AS SELECT respondent_id, journey, touchpoint, item, value, num, ts,
                        persona, organisation FROM read_parquet('{_sql_text(str(checked))}') WHERE reason IS NULL""")
    else:
        _run(con, "CREATE VIEW responses AS SELECT NULL::VARCHAR AS respondent_id, NULL::VARCHAR AS journey, "
                    "NULL::VARCHAR AS touchpoint, NULL::VARCHAR AS item, NULL::VARCHAR AS value, NULL::DOUBLE AS num, "
                    "NULL::TIMESTAMP AS ts, NULL::VARCHAR AS persona, NULL::VARCHAR AS organisation WHERE false")
    if rejects_path is not None:
        _write_rejects(con, Path(rejects_path), checked, sources, file_rejects)
    loaded = Loaded(con, used, read, dict(sorted(counts.items())), Path(rejects_path) if rejects_path else None,
                    tuple(s.shown for s in sources))
    if used == 0:
        con.close()
        names = ", ".join(_shown(Path(p), root) for p in files)
        raise ResponsesError(f"no usable responses in {names} ({loaded.summary().removeprefix('responses: ')})")
    if strict and counts:
        con.close()
        raise ResponsesError(f"rejected rows with --strict: {loaded.summary().removeprefix('responses: ')}")
    return loaded


# --- sources -> cached raw Parquet ------------------------------------------------------------------


class _FileRejected(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _run(con, sql: str) -> None:
    """Run a statement to completion (DuckDB wants every result consumed before the next statement)."""
    con.execute(sql).fetchall()


def _sql_text(text: str) -> str:
    return text.replace("'", "''")


def _fingerprint(path: Path, salt: str) -> tuple[str, str]:
    """(a key of the path, a key of path+content) for the cache."""
    stat = path.stat()
    where = hashlib.sha256(f"{path.resolve()}\0{salt}".encode()).hexdigest()[:16]
    digest = hashlib.sha256(f"{CACHE_VERSION}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    with path.open("rb") as handle:
        digest.update(handle.read(_PROBE))
        if stat.st_size > 2 * _PROBE:
            handle.seek(-_PROBE, os.SEEK_END)
            digest.update(handle.read(_PROBE))
    return where, digest.hexdigest()[:16]


def _cached_source(con, path: Path, shown: str, readers: Mapping, cache: Path) -> Path:
    """The source's rows as a cached Parquet file (line, canonical columns, problem); made once per version."""
    try:
        size = path.stat().st_size
    except OSError:
        raise _FileRejected("unreadable_file") from None
    if size == 0:
        raise _FileRejected("empty_file")
    suffix = path.suffix.lower()
    reader = None
    wrong_header = None
    if suffix == ".csv":
        found = _csv_header(path)
        if found is None:
            raise _FileRejected("unreadable_file")
        header, delimiter = found
        if not header:
            raise _FileRejected("empty_file")
        problem = _header_problem(header)
        if problem is not None:
            # not canonical: a reader of another CSV dialect (an ODK export) may know it
            wrong_header = (f"{shown}: wrong header: {problem}; expected the columns {', '.join(REQUIRED)} "
                            f"(optional: {', '.join(OPTIONAL)}); found {', '.join(header) or 'none'}")
            reader = _reader_for(path, readers, exclude_canonical=True, required=False)
            if reader is None:
                raise ResponsesError(wrong_header, usage=True)
    elif suffix != ".parquet":
        reader = _reader_for(path, readers, exclude_canonical=True, required=True)
    where, key = _fingerprint(path, reader.name if reader else "canonical")
    target = cache / f"{where}-{key}.parquet"
    if target.is_file():
        return target
    for stale in cache.glob(f"{where}-*.parquet"):  # an older version of the same file
        if stale != target:  # another run may have just made this one
            stale.unlink(missing_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")  # runs in parallel never share one
    try:
        if reader is not None:
            count = _convert_with_reader(reader, path, shown, partial)
        elif suffix == ".parquet":
            count = _convert_parquet(con, path, shown, partial)
        else:
            count = _convert_csv(con, path, header, delimiter, partial)
    except ResponsesError as error:
        partial.unlink(missing_ok=True)
        if wrong_header is not None:  # neither canonical nor the other reader's dialect: say both
            raise ResponsesError(f"{wrong_header} ({error})", usage=True) from None
        raise
    except _FileRejected:
        partial.unlink(missing_ok=True)
        raise
    except Exception:  # noqa: BLE001 - DuckDB or a reader could not read it: a reject, not a crash
        partial.unlink(missing_ok=True)
        raise _FileRejected("unreadable_file") from None
    if count == 0:
        partial.unlink(missing_ok=True)
        raise _FileRejected("empty_file")
    os.replace(partial, target)
    return target


def _csv_header(path: Path) -> tuple[list[str], str] | None:
    """The header row's column names ([] for an empty file) and delimiter; None when it is not UTF-8 text."""
    try:
        with path.open("rb") as handle:
            first = handle.readline(1 << 16)
        text = first.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    if not text.strip():
        return [], ","
    # Dutch spreadsheets save CSV with semicolons
    delimiter = ";" if text.count(";") > text.count(",") else ","
    row = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    return [name.strip() for name in row], delimiter


def _header_problem(header: list[str]) -> str | None:
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    twice = sorted({c for c in header if header.count(c) > 1})
    if missing:
        return f"missing {', '.join(missing)}"
    if unknown:
        return f"unknown column {', '.join(unknown)}"
    if twice:
        return f"column {', '.join(twice)} appears twice"
    return None


def _reader_for(path: Path, readers: Mapping, *, exclude_canonical: bool, required: bool):
    """The first registered reader (by name) for the file's suffix."""
    suffix = "".join(path.suffixes[-2:]).lower() if len(path.suffixes) > 1 else path.suffix.lower()
    candidates = [r for name, r in sorted(readers.items())
                  if not (exclude_canonical and name == "canonical")
                  and any(path.name.lower().endswith(s) for s in r.suffixes)]
    if candidates:
        return candidates[0]
    if required:
        known = sorted({s for r in readers.values() for s in r.suffixes} | {".csv", ".parquet"})
        raise ResponsesError(f"{path}: no reader for {suffix or 'files without a suffix'} files; "
                             f"readable: {', '.join(known)}", usage=True)
    return None


def _convert_csv(con, path: Path, header: list[str], delimiter: str, target: Path) -> int:
    """Canonical CSV -> Parquet by DuckDB, streaming; malformed records are kept as rows with a problem."""
    columns = "{" + ", ".join(f"'{_sql_text(c)}': 'VARCHAR'" for c in header) + "}"
    selected = ", ".join(f'"{c}"' if c in header else f"NULL::VARCHAR AS {c}" for c in COLUMNS)
    scan = (f"read_csv('{_sql_text(str(path))}', header = true, auto_detect = false, columns = {columns}, "
            f"delim = '{delimiter}', quote = '\"', escape = '\"', store_rejects = true, "
            "rejects_table = 'jql_reject_errors', rejects_scan = 'jql_reject_scans')")
    good = target.with_name(target.name + ".good")
    try:
        # the record number: with insertion order kept it is the record's line when each record is one line
        _run(con, f"COPY (SELECT row_number() OVER () + 1 AS line, {selected}, NULL::VARCHAR AS problem "
                    f"FROM {scan}) TO '{_sql_text(str(good))}' (FORMAT parquet)")
        nulls = ", ".join(f"NULL::VARCHAR AS {c}" for c in COLUMNS)
        _run(con, f"COPY (SELECT * FROM read_parquet('{_sql_text(str(good))}') UNION ALL "
                    f"SELECT line::BIGINT, {nulls}, 'malformed_line' FROM (SELECT DISTINCT line FROM jql_reject_errors)) "
                    f"TO '{_sql_text(str(target))}' (FORMAT parquet)")
    finally:
        good.unlink(missing_ok=True)
        _run(con, "DROP TABLE IF EXISTS jql_reject_errors")
        _run(con, "DROP TABLE IF EXISTS jql_reject_scans")
    return con.execute(f"SELECT count(*) FROM read_parquet('{_sql_text(str(target))}')").fetchall()[0][0]


def _convert_parquet(con, path: Path, shown: str, target: Path) -> int:
    described = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{_sql_text(str(path))}')").fetchall()
    header = [row[0] for row in described]
    problem = _header_problem(header)
    if problem is not None:
        raise ResponsesError(f"{shown}: wrong columns: {problem}; expected {', '.join(REQUIRED)} "
                             f"(optional: {', '.join(OPTIONAL)}); found {', '.join(header) or 'none'}", usage=True)
    selected = ", ".join(f'CAST("{c}" AS VARCHAR) AS {c}' if c in header else f"NULL::VARCHAR AS {c}"
                         for c in COLUMNS)
    _run(con, f"COPY (SELECT file_row_number + 1 AS line, {selected}, NULL::VARCHAR AS problem "
                f"FROM read_parquet('{_sql_text(str(path))}', file_row_number = true)) "
                f"TO '{_sql_text(str(target))}' (FORMAT parquet)")
    return con.execute(f"SELECT count(*) FROM read_parquet('{_sql_text(str(target))}')").fetchall()[0][0]


def _convert_with_reader(reader, path: Path, shown: str, target: Path) -> int:
    """A reader plugin's rows -> Parquet, in batches so a large export never sits in memory at once."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([("line", pa.int64()), *((c, pa.string()) for c in COLUMNS), ("problem", pa.string())])
    count = 0
    writer = pq.ParquetWriter(str(target), schema)
    try:
        batch: list[Mapping] = []
        rows = reader.read(path)
        if rows is None:
            rows = ()
        for row in rows:
            batch.append(row)
            if len(batch) >= _BATCH:
                writer.write_table(_arrow_batch(batch, count, schema))
                count += len(batch)
                batch = []
        if batch:
            writer.write_table(_arrow_batch(batch, count, schema))
            count += len(batch)
    except ResponsesError:
        raise
    except Exception as error:  # noqa: BLE001 - a reader that fails on this file: the user sees why
        raise ResponsesError(f"{shown}: the {reader.name} reader cannot read it: {error}".replace("\n", " "),
                             usage=True) from None
    finally:
        writer.close()
    return count


def _arrow_batch(rows: list[Mapping], offset: int, schema):
    import pyarrow as pa

    def text(value):
        if value is None:
            return None
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    data = {"line": [], **{c: [] for c in COLUMNS}, "problem": []}
    for index, row in enumerate(rows, offset + 1):
        if not isinstance(row, Mapping):
            row = {}
            data["problem"].append("missing_field")
        else:
            data["problem"].append(None)
        line = row.get("line")
        data["line"].append(int(line) if isinstance(line, int) else index)
        for column in COLUMNS:
            data[column].append(text(row.get(column)))
    return pa.table(data, schema=schema)


# --- the workspace as small tables ------------------------------------------------------------------


def _workspace_tables(con, workspace) -> None:
    """What may be answered: journeys, their touchpoints, the items their plans ask, personas, organisations."""
    import pyarrow as pa

    journeys = {"id": [], "organisation": [], "low": [], "high": []}
    touchpoints = {"journey": [], "local": []}
    for journey in workspace.journeys:
        journeys["id"].append(journey.id)
        journeys["organisation"].append(journey.organisation)
        journeys["low"].append(float(journey.scale.low))
        journeys["high"].append(float(journey.scale.high))
        for touchpoint in journey.touchpoints:
            touchpoints["journey"].append(journey.id)
            touchpoints["local"].append(touchpoint.key.split(".", 1)[1])
    allowed = {"journey": [], "item": [], "kind": [], "low": [], "high": [], "whole": [], "options": []}
    for journey_id, item, kind, low, high, whole, options in _allowed_items(workspace):
        for column, value in zip(allowed, (journey_id, item, kind, low, high, whole, options)):
            allowed[column].append(value)
    tables = {
        "jql_journeys": pa.table(journeys, schema=pa.schema([("id", pa.string()), ("organisation", pa.string()),
                                                             ("low", pa.float64()), ("high", pa.float64())])),
        "jql_touchpoints": pa.table(touchpoints, schema=pa.schema([("journey", pa.string()), ("local", pa.string())])),
        "jql_allowed": pa.table(allowed, schema=pa.schema([
            ("journey", pa.string()), ("item", pa.string()), ("kind", pa.string()), ("low", pa.float64()),
            ("high", pa.float64()), ("whole", pa.bool_()), ("options", pa.list_(pa.string()))])),
        "jql_personas": pa.table({"id": [p.id for p in workspace.personas]}, schema=pa.schema([("id", pa.string())])),
        "jql_organisations": pa.table({"id": [o.id for o in workspace.organisations]},
                                      schema=pa.schema([("id", pa.string())])),
    }
    for name, table in tables.items():
        con.register(f"{name}_arrow", table)
        _run(con, f"CREATE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
        con.unregister(f"{name}_arrow")


def _allowed_items(workspace) -> Iterable[tuple]:
    """(journey, item, kind, low, high, whole, options) per item a journey's plans ask.

    A journey with a measurement plan accepts only what its plans ask (plus ``cause``,
    the free text behind a feeling); a journey without one accepts every well-formed
    item with the default ranges (``emotion.*``, ``intent.*``, ``question.*`` as patterns).
    """
    from .schema import EMOTION_SETS

    plans: dict[str, list] = {}
    for measurement in workspace.measurements:
        plans.setdefault(measurement.journey, []).append(measurement)
    for journey in workspace.journeys:
        low, high = float(journey.scale.low), float(journey.scale.high)
        seen: dict[str, tuple] = {}

        def add(item, kind, lo=None, hi=None, whole=False, options=None):
            seen.setdefault(item, (journey.id, item, kind, lo, hi, whole, options))

        add("cause", "text")
        if journey.id not in plans:
            add("valence", "valence", low, high)
            for item in ("ces", "csat", "nps"):
                add(item, "number", *DEFAULT_RANGES[item], True)
            add("emotion.*", "number", *DEFAULT_RANGES["emotion"], True)
            add("intent.*", "number", *DEFAULT_RANGES["intent"], True)
            add("question.*", "text")
        for measurement in plans.get(journey.id, ()):
            for instrument in measurement.instruments:
                scale = instrument.scale
                if instrument.kind == "valence":
                    lo, hi = (scale.low, scale.high) if scale else (low, high)
                    add("valence", "valence", float(lo), float(hi))
                elif instrument.kind in ("ces", "csat", "nps"):
                    lo, hi = (scale.low, scale.high) if scale else DEFAULT_RANGES[instrument.kind]
                    add(instrument.kind, "number", float(lo), float(hi), True)
                elif instrument.kind == "emotions":
                    names = instrument.items or EMOTION_SETS.get(instrument.set or "", ())
                    for name in names:
                        add(f"emotion.{name}", "number", *DEFAULT_RANGES["emotion"], True)
                elif instrument.kind == "intents":
                    for name in instrument.items:
                        add(f"intent.{name}", "number", *DEFAULT_RANGES["intent"], True)
                elif instrument.kind == "question":
                    item = f"question.{instrument.id}"
                    if instrument.answer == "number":
                        lo, hi = (scale.low, scale.high) if scale else (None, None)
                        add(item, "number", lo, hi)
                    elif instrument.answer == "choice" and instrument.options:
                        add(item, "choice", options=list(instrument.options))
                    else:
                        add(item, "text")
        yield from (seen[item] for item in sorted(seen))


# --- validation ----------------------------------------------------------------------------------


def _validate(con, sources: list[_Source], cache: Path) -> Path:
    """Every row with its reason (NULL when usable) and typed columns, as one Parquet file (cached)."""
    rules = con.execute("SELECT * FROM jql_allowed ORDER BY journey, item").fetchall()
    shape = json.dumps([rules, con.execute("SELECT * FROM jql_journeys ORDER BY id").fetchall(),
                        con.execute("SELECT * FROM jql_touchpoints ORDER BY ALL").fetchall(),
                        con.execute("SELECT * FROM jql_personas ORDER BY ALL").fetchall(),
                        con.execute("SELECT * FROM jql_organisations ORDER BY ALL").fetchall(),
                        [(s.shown, s.parquet.name) for s in sources], CACHE_VERSION], default=str)
    key = hashlib.sha256(shape.encode()).hexdigest()[:16]
    target = cache / f"checked-{key}.parquet"
    if target.is_file():
        return target
    union = " UNION ALL ".join(
        f"SELECT {index} AS src, '{_sql_text(s.shown)}' AS file, * FROM read_parquet('{_sql_text(str(s.parquet))}')"
        for index, s in enumerate(sources))
    clean = ", ".join(f"NULLIF(trim({c}), '') AS {c}" for c in COLUMNS)
    query = f"""
    WITH raw AS (SELECT src, file, line, problem, {clean} FROM ({union})),
    placed AS (
      SELECT raw.*,
        CASE WHEN raw.touchpoint IS NOT NULL AND starts_with(raw.touchpoint, raw.journey || '.')
             THEN substr(raw.touchpoint, length(raw.journey) + 2) ELSE raw.touchpoint END AS local,
        CASE WHEN raw.item LIKE '%.%' THEN split_part(raw.item, '.', 1) || '.*' END AS pattern,
        regexp_full_match(coalesce(raw.item, ''), '(emotion|intent|question)\\.[^.\\-\\s]+') AS named
      FROM raw),
    judged AS (
      SELECT p.*, j.organisation AS journey_organisation, j.low AS jlow, j.high AS jhigh,
        coalesce(a1.kind, a2.kind) AS kind, coalesce(a1.low, a2.low) AS low, coalesce(a1.high, a2.high) AS high,
        coalesce(a1.whole, a2.whole) AS whole, coalesce(a1.options, a2.options) AS options,
        TRY_CAST(p.value AS DOUBLE) AS number,
        CAST(TRY_CAST(p.timestamp AS TIMESTAMPTZ) AS TIMESTAMP) AS ts,
        t.local IS NOT NULL AS known_touchpoint,
        pe.id IS NOT NULL AS known_persona, o.id IS NOT NULL AS known_organisation, j.id IS NOT NULL AS known_journey
      FROM placed p
      LEFT JOIN jql_journeys j ON j.id = p.journey
      LEFT JOIN jql_touchpoints t ON t.journey = p.journey AND t.local = p.local
      LEFT JOIN jql_allowed a1 ON a1.journey = p.journey AND a1.item = p.item
      LEFT JOIN jql_allowed a2 ON a2.journey = p.journey AND a2.item = p.pattern AND p.named
      LEFT JOIN jql_personas pe ON pe.id = p.persona
      LEFT JOIN jql_organisations o ON o.id = p.organisation),
    reasoned AS (
      SELECT *, CASE
        WHEN problem IS NOT NULL THEN problem
        WHEN respondent_id IS NULL OR journey IS NULL OR item IS NULL THEN 'missing_field'
        WHEN NOT known_journey THEN 'unknown_journey'
        WHEN local IS NOT NULL AND NOT known_touchpoint THEN 'unknown_touchpoint'
        WHEN kind IS NULL THEN 'unknown_item'
        WHEN persona IS NOT NULL AND NOT known_persona THEN 'unknown_persona'
        WHEN organisation IS NOT NULL AND NOT known_organisation THEN 'unknown_organisation'
        WHEN value IS NULL THEN 'missing_value'
        WHEN kind IN ('number', 'valence') AND (number IS NULL OR NOT isfinite(number)) THEN 'not_a_number'
        WHEN kind IN ('number', 'valence') AND ((low IS NOT NULL AND number < low) OR (high IS NOT NULL AND number > high)
             OR (whole AND number <> round(number))) THEN 'out_of_range'
        WHEN kind = 'choice' AND NOT list_contains(options, value) THEN 'not_an_option'
        WHEN timestamp IS NOT NULL AND ts IS NULL THEN 'bad_timestamp'
      END AS first_reason
      FROM judged),
    ranked AS (
      SELECT *, row_number() OVER (PARTITION BY respondent_id, journey, local, item, first_reason IS NULL
                                   ORDER BY src, line) AS answer_rank
      FROM reasoned)
    SELECT src, file, line,
      CASE WHEN first_reason IS NULL AND answer_rank > 1 THEN 'duplicate' ELSE first_reason END AS reason,
      respondent_id, journey, local AS touchpoint, item, value, touchpoint AS touchpoint_as_written,
      CASE WHEN kind = 'valence' THEN jlow + (number - low) * (jhigh - jlow) / nullif(high - low, 0)
           WHEN kind = 'number' THEN number END AS num,
      ts, persona, coalesce(organisation, journey_organisation) AS organisation, timestamp,
      organisation AS organisation_as_written
    FROM ranked
    """
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    _run(con, f"COPY ({query}) TO '{_sql_text(str(partial))}' (FORMAT parquet)")
    os.replace(partial, target)
    # keep the few most recent validated sets: another run may still be reading one of them
    kept = sorted(cache.glob("checked-*.parquet"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for stale in kept[KEEP_CHECKED:]:
        stale.unlink(missing_ok=True)
    return target


def _write_rejects(con, path: Path, checked: Path | None, sources: list[_Source],
                   file_rejects: list[tuple[str, str]]) -> None:
    """file, line, reason and the row as written; cells that a spreadsheet would run as a formula are quoted."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        header = ["file", "line", "reason", *COLUMNS]
        with partial.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            for shown, reason in sorted(file_rejects):
                writer.writerow([_cell(shown), "", reason, *([""] * len(COLUMNS))])
            if checked is not None:
                cursor = con.execute(
                    f"SELECT file, line, reason, respondent_id, journey, touchpoint_as_written, item, value, "
                    f"timestamp, persona, organisation_as_written FROM read_parquet('{_sql_text(str(checked))}') "
                    "WHERE reason IS NOT NULL ORDER BY src, line, reason")
                while True:
                    chunk = cursor.fetchmany(10_000)
                    if not chunk:
                        break
                    for row in chunk:
                        writer.writerow([_cell(v) for v in row])
        os.replace(partial, path)
    except OSError as error:
        raise ResponsesError(f"cannot write the rejects file {path}: {error.strerror}", usage=True) from None


def _cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            float(text)
        except ValueError:
            return "'" + text  # CSV formula injection: a spreadsheet must show it, not run it
    return text
