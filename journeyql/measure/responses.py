"""Response data: read answer files, validate them against the workspace, hand DuckDB a clean table.

A canonical Parquet file is read where it lies; a canonical CSV or any file a
reader plugin reads first becomes one cached Parquet file of raw text columns.
Then one streaming SQL pass validates every row against the workspace (joins
with small tables of what may be answered) and gives each bad row exactly one
reason; the good rows become the ``responses`` view that
:func:`journeyql.measure.analysis.compute` reads, the bad ones go to the rejects CSV.
Nothing is dropped silently.

Why Parquet: a canonical CSV is converted by DuckDB itself, streaming, so a
2 GB file never sits in Python's memory, and the next run (``build`` after
``analyze``, or a second ``analyze``) reads the validated Parquet copy and its
counts instead of parsing and checking again. DuckDB runs with a memory limit
and a spill directory inside the cache, so memory stays bounded whatever the
file size.

The cache (default ``<workspace>/.journeyql-cache/``, gitignored) keys a
source by its absolute path, size, modification time and a hash of its first
and last megabyte; see ``docs/responses.md``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Mapping
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
CACHE_VERSION = "4"  # 4: non-UTF-8 files are unreadable_file, `1_0` is not a number
_PROBE = 1 << 20  # bytes hashed at the start and at the end of a source
_BATCH = 50_000   # rows per batch from a reader plugin
KEEP_CHECKED = 4  # validated sets kept in a cache
#: The view of every usable answer with the index of its file in ``Loaded.source_paths`` (column ``src``).
ANSWERS_WITH_SOURCE = "_jql_answers"
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
    cache_note: str | None = None              #: why the cache is not where it was asked for (cache_place)
    source_paths: tuple[Path, ...] = ()        #: the files read, in order: an answer's ``src`` indexes them

    def summary(self) -> str:
        """One line: rows read, used, rejected per reason (and a note when the cache moved)."""
        line = f"responses: {self.read} rows read, {self.rows} used"
        if self.rejected:
            parts = ", ".join(f"{reason} {count}" for reason, count in sorted(self.rejected.items()))
            line += f", {sum(self.rejected.values())} rejected ({parts})"
            if self.rejects_path is not None:
                line += f"; see {self.rejects_path}"
        if self.cache_note:
            line += f"\nnote: {self.cache_note}"
        return line


@dataclass(frozen=True)
class _Source:
    shown: str     # how the file is named to the user
    path: Path
    scan: str      # SELECT of its raw rows: line, the canonical columns as text, problem
    key: str       # what the validated set depends on: the path and content keys


def default_cache_dir(root: Path) -> Path:
    return Path(root) / ".journeyql-cache"


# the build planner needs the same list before any response is read
from ..host.planning import data_files  # noqa: E402,F401


def load_responses(workspace, root: Path, files: list[Path], readers: Mapping, *, strict: bool = False,
                   cache_dir: Path | None = None, rejects_path: Path | None = None) -> Loaded:
    """Read ``files``, validate every row against ``workspace`` and return the usable ones in DuckDB.

    ``readers`` are the registered readers (``host.readers``) for formats other than the
    canonical CSV/Parquet. Raises :class:`ResponsesError` when a file is missing or has a
    wrong header, when nothing usable remains, or (``strict``) when anything was rejected.
    The rejects CSV, when ``rejects_path`` is given, is written before any error is raised.
    """
    from ..extras import require

    require("measure", "reading response data")
    import duckdb

    from .validation import _validate, _write_rejects  # it builds on this module's constants and helpers

    root = Path(root)
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir(root)
    if not files:
        raise ResponsesError("no response files: pass --responses FILE or name `data` in a measurement plan",
                             usage=True)
    from ..workspace.confine import GLOB_CHARACTERS, not_regular

    for path in files:
        if any(c in GLOB_CHARACTERS for c in Path(path).name):
            raise ResponsesError(f"response file {_shown(Path(path), root)}: a name with * ? [ ] {{ }} is not read "
                                 "(it would be taken as a pattern); rename the file", usage=True)
        problem = not_regular(path)
        if problem is not None:
            raise ResponsesError(f"response file {_shown(Path(path), root)} is {problem}", usage=True)
        if not Path(path).is_file():
            raise ResponsesError(f"response file not found: {_shown(Path(path), root)}", usage=True)
    from .cache_place import usable_cache

    wanted = cache
    cache, cache_note = usable_cache(wanted, root)
    if rejects_path is not None and cache != wanted and Path(rejects_path).parent == wanted:
        rejects_path = cache / Path(rejects_path).name  # the default place moves with the cache
    con = duckdb.connect()
    _run(con, f"SET memory_limit = '{_sql_text(MEMORY_LIMIT)}'")
    _run(con, f"SET temp_directory = '{_sql_text(str(cache / 'tmp'))}'")
    _run(con, "SET TimeZone = 'UTC'")
    # every row carries its line; where order matters (rejects) the query sorts, so DuckDB may
    # stream the rows in any order: parallel writes and no buffering to keep file order
    _run(con, "SET preserve_insertion_order = false")

    sources: list[_Source] = []
    file_rejects: list[tuple[str, str]] = []  # (file, reason) for whole files
    for path in (Path(p) for p in files):
        shown = _shown(path, root)
        try:
            sources.append(_source(con, path, shown, readers, cache / "responses"))
        except _FileRejected as rejected:
            file_rejects.append((shown, rejected.reason))

    counts: dict[str, int] = {}
    for _, reason in file_rejects:
        counts[reason] = counts.get(reason, 0) + 1
    read = used = 0
    checked = None
    if sources:
        from .waves import wave_rounds

        checked, tally = _validate(con, workspace, sources, cache, wave_rounds(workspace, root, [s.path for s in sources]))
        for reason, count in tally.items():
            if reason == "":
                used = count
            else:
                counts[reason] = counts.get(reason, 0) + count
            read += count
        # every answer with the index of its file (`src`): measurement waves select their files from it
        _run(con, f"""CREATE VIEW {ANSWERS_WITH_SOURCE} AS SELECT respondent_id, journey, touchpoint, item, value, num,
                        ts, persona, organisation, src FROM read_parquet('{_sql_text(str(checked))}')
                        WHERE reason IS NULL""")
        _run(con, f"CREATE VIEW responses AS SELECT * EXCLUDE (src) FROM {ANSWERS_WITH_SOURCE}")
    else:
        _run(con, "CREATE VIEW responses AS SELECT NULL::VARCHAR AS respondent_id, NULL::VARCHAR AS journey, "
                    "NULL::VARCHAR AS touchpoint, NULL::VARCHAR AS item, NULL::VARCHAR AS value, NULL::DOUBLE AS num, "
                    "NULL::TIMESTAMP AS ts, NULL::VARCHAR AS persona, NULL::VARCHAR AS organisation WHERE false")
    if rejects_path is not None:
        rejected_rows = read - used
        _write_rejects(con, Path(rejects_path), checked if rejected_rows else None, sources, file_rejects)
    loaded = Loaded(con, used, read, dict(sorted(counts.items())), Path(rejects_path) if rejects_path else None,
                    tuple(s.shown for s in sources), cache_note, tuple(s.path for s in sources))
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


def _run_with(con, sql: str, parameters: list) -> None:
    con.execute(sql, parameters).fetchall()


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


def _source(con, path: Path, shown: str, readers: Mapping, cache: Path) -> _Source:
    """How to scan a source's raw rows: a canonical Parquet file where it lies, anything else cached."""
    if path.suffix.lower() == ".parquet":
        try:
            size = path.stat().st_size
        except OSError:
            raise _FileRejected("unreadable_file") from None
        if size == 0:
            raise _FileRejected("empty_file")
        scan = _parquet_scan(con, path, shown)
        where, key = _fingerprint(path, "canonical")
        return _Source(shown, path, scan, f"{where}-{key}")
    cached = _cached_source(con, path, shown, readers, cache)
    text = _sql_text(str(cached))
    # a CSV's records are in file order without a line column (see _convert_csv): the header is line 1
    stored = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{text}')").fetchall()}
    line = "line" if "line" in stored else "file_row_number + 2 AS line"
    record = "record" if "record" in stored else "NULL::VARCHAR AS record"
    scan = (f"SELECT file_row_number AS row, {line}, {', '.join(COLUMNS)}, problem, {record} "
            f"FROM read_parquet('{text}', file_row_number = true)")
    return _Source(shown, path, scan, cached.name)


def _parquet_scan(con, path: Path, shown: str) -> str:
    """The SELECT of a canonical Parquet file's rows as text; its footer says the columns and the count."""
    text = _sql_text(str(path))
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{text}')").fetchall()
        count = con.execute(f"SELECT count(*) FROM read_parquet('{text}')").fetchall()[0][0]
    except Exception:  # noqa: BLE001 - not Parquet, or damaged: a reject, not a crash
        raise _FileRejected("unreadable_file") from None
    header = [row[0] for row in described]
    problem = _header_problem(header)
    if problem is not None:
        raise ResponsesError(f"{shown}: wrong columns: {problem}; expected {', '.join(REQUIRED)} "
                             f"(optional: {', '.join(OPTIONAL)}); found {', '.join(header) or 'none'}", usage=True)
    if count == 0:
        raise _FileRejected("empty_file")
    selected = ", ".join(f'CAST("{c}" AS VARCHAR) AS {c}' if c in header else f"NULL::VARCHAR AS {c}"
                         for c in COLUMNS)
    return (f"SELECT file_row_number AS row, file_row_number + 1 AS line, {selected}, NULL::VARCHAR AS problem, "
            f"NULL::VARCHAR AS record FROM read_parquet('{text}', file_row_number = true)")


def _cached_source(con, path: Path, shown: str, readers: Mapping, cache: Path) -> Path:
    """A CSV's or a reader's rows as a cached Parquet file (line, canonical columns, problem); made once."""
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
    """Canonical CSV -> Parquet by DuckDB, streaming; malformed records are kept as rows with a problem.

    The records are written in file order (DuckDB's ordered parallel copy) without a line column: a record's
    number is its row number in the Parquet file (``file_row_number``), which costs nothing to store and is
    the record's line when each record is one line. A file where that does not hold (a malformed record,
    which DuckDB leaves out, or a quoted line break, which makes a record span lines) is written twice: the
    second time with each record's physical line, and each malformed record's fields and text as written.
    """
    columns = "{" + ", ".join(f"'{_sql_text(c)}': 'VARCHAR'" for c in header) + "}"
    selected = ", ".join(f'"{c}"' if c in header else f"NULL::VARCHAR AS {c}" for c in COLUMNS)
    scan = (f"read_csv('{_sql_text(str(path))}', header = true, auto_detect = false, columns = {columns}, "
            f"delim = '{delimiter}', quote = '\"', escape = '\"', store_rejects = true, "
            "rejects_table = 'jql_reject_errors', rejects_scan = 'jql_reject_scans')")
    good = target.with_name(target.name + ".good")
    try:
        _run(con, "SET preserve_insertion_order = true")  # only this statement needs the file's order
        count = con.execute(f"COPY (SELECT {selected}, NULL::VARCHAR AS problem FROM {scan}) "
                            f"TO '{_sql_text(str(good))}' (FORMAT parquet)").fetchall()[0][0]
        _run(con, "SET preserve_insertion_order = false")
        # a file that is not UTF-8 is unreadable as a whole (docs/responses.md), not a few malformed lines:
        # its other rows may be mis-decoded too, and the author must re-export it
        encoding = "SELECT count(*) FROM jql_reject_errors WHERE error_type IN ('INVALID ENCODING', 'INVALID UNICODE')"
        if con.execute(encoding).fetchall()[0][0]:
            raise _FileRejected("unreadable_file")
        # DuckDB numbers a rejected record by records, the header being 1: record index = line - 2
        malformed = {line - 2 for (line,) in con.execute("SELECT DISTINCT line FROM jql_reject_errors").fetchall()}
        if not malformed and _physical_lines(path) == count + 1:
            os.replace(good, target)  # the usual case: one line per record, written once
            return count
        return _write_with_lines(con, path, header, delimiter, good, target, count, malformed)
    finally:
        _run(con, "SET preserve_insertion_order = false")
        good.unlink(missing_ok=True)
        _run(con, "DROP TABLE IF EXISTS jql_reject_errors")
        _run(con, "DROP TABLE IF EXISTS jql_reject_scans")


def _physical_lines(path: Path) -> int:
    """Lines in a file (a last line without a line break counts): a C-speed count, no parsing."""
    lines, last = 0, b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 24):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (last != b"\n")


def _record_lines(path: Path, delimiter: str, malformed: set[int]):
    """Each data record's first physical line, and (index, line, fields, text) of the malformed ones.

    Python's csv reader splits records as DuckDB does (quote and escape ``"``); its ``line_num`` counts
    physical lines, so a quoted line break moves every later record down, as in the file.
    """
    pending: list[str] = []

    def remembered(handle):
        for text in handle:
            pending.append(text)
            yield text

    starts: list[int] = []
    bad: list[tuple[int, int, list[str], str]] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(remembered(handle), delimiter=delimiter)
        next(reader, None)
        index, line = 0, reader.line_num + 1
        pending.clear()
        for fields in reader:
            if fields:  # DuckDB skips blank lines too
                if index in malformed:
                    bad.append((index, line, fields, "".join(pending).rstrip("\r\n")))
                else:
                    starts.append(line)
                index += 1
            pending.clear()
            line = reader.line_num + 1
    return starts, bad


def _write_with_lines(con, path: Path, header: list[str], delimiter: str, good: Path, target: Path, count: int,
                      malformed: set[int]) -> int:
    import pyarrow as pa

    try:
        starts, bad = _record_lines(path, delimiter, malformed)
    except (OSError, UnicodeDecodeError, csv.Error):
        starts, bad = [], []
    if len(starts) != count:  # the two parsers disagree (a broken quote): number records as DuckDB did
        starts = [row + 2 for row in range(count)]
        at = {index for index in malformed}
        bad = [(index, index + 2, [], "") for index in sorted(at)]
    con.register("jql_lines", pa.table({"line": pa.array(starts, pa.int64())}))
    fields = {c: [] for c in COLUMNS}
    for _, _, values, _ in bad:
        placed = dict(zip(header, values))
        for c in COLUMNS:
            fields[c].append(placed.get(c))
    con.register("jql_malformed", pa.table({"line": pa.array([b[1] for b in bad], pa.int64()),
                                            **{c: pa.array(v, pa.string()) for c, v in fields.items()},
                                            "record": pa.array([b[3] for b in bad], pa.string())}))
    try:
        _run(con, "SET preserve_insertion_order = true")  # the positional join pairs rows in file order
        return con.execute(
            f"COPY (SELECT l.line, {', '.join('g.' + c for c in COLUMNS)}, g.problem, NULL::VARCHAR AS record "
            f"FROM read_parquet('{_sql_text(str(good))}') AS g POSITIONAL JOIN jql_lines AS l UNION ALL "
            f"SELECT line, {', '.join(COLUMNS)}, 'malformed_line', record FROM jql_malformed) "
            f"TO '{_sql_text(str(target))}' (FORMAT parquet)").fetchall()[0][0]
    finally:
        con.unregister("jql_lines")
        con.unregister("jql_malformed")


def _convert_with_reader(reader, path: Path, shown: str, target: Path) -> int:
    """A reader plugin's rows -> Parquet, in batches so a large export never sits in memory at once."""
    from ..workspace.plugin_guard import PASSES_THROUGH, describe_failure

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
    except PASSES_THROUGH:
        raise
    except BaseException as error:  # noqa: BLE001 - a reader that fails on this file (even sys.exit): the user sees why
        if isinstance(error, Exception):
            why = f"the {reader.name} reader cannot read it: {error}"
        else:  # sys.exit and the like: say whose code did it
            why = f"the {reader.name} reader (plugin {reader.plugin} {reader.version}) cannot read it: " \
                  f"{describe_failure(error)}"
        raise ResponsesError(f"{shown}: {why}".replace("\n", " "), usage=True) from None
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
