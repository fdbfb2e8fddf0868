"""Validating response rows against the spec, in DuckDB: the workspace as small tables, the judgement
of every row (a reason per rejected row), the tally of reasons and the rejects file.

``responses.load_responses`` reads the files into Parquet and then calls :func:`_validate` here.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from .responses import (
    CACHE_VERSION,
    COLUMNS,
    DEFAULT_RANGES,
    KEEP_CHECKED,
    ResponsesError,
    _run,
    _run_with,
    _Source,
    _sql_text,
)

# --- the workspace as small tables ------------------------------------------------------------------


def _workspace_rows(workspace) -> dict[str, list[tuple]]:
    """What may be answered: journeys, their touchpoints, the items their plans ask, personas, organisations."""
    return {
        "jql_journeys": [(j.id, j.organisation, float(j.scale.low), float(j.scale.high)) for j in workspace.journeys],
        "jql_touchpoints": [(j.id, t.key.split(".", 1)[1]) for j in workspace.journeys for t in j.touchpoints],
        "jql_allowed": [(journey, item, kind, _number(low), _number(high), bool(whole), options)
                        for journey, item, kind, low, high, whole, options in _allowed_items(workspace)],
        "jql_personas": [(p.id,) for p in workspace.personas],
        "jql_organisations": [(o.id,) for o in workspace.organisations],
    }


def _number(value) -> float | None:
    return None if value is None else float(value)


_TABLE_COLUMNS = {
    "jql_journeys": "id VARCHAR, organisation VARCHAR, low DOUBLE, high DOUBLE",
    "jql_touchpoints": "journey VARCHAR, local VARCHAR",
    "jql_allowed": "journey VARCHAR, item VARCHAR, kind VARCHAR, low DOUBLE, high DOUBLE, whole BOOLEAN, "
                   "options VARCHAR[]",
    "jql_personas": "id VARCHAR",
    "jql_organisations": "id VARCHAR",
}
# Tables whose names also get an ENUM twin (``code``): a usable row's journey, touchpoint, persona and
# organisation are written as the code a join found, which DuckDB's Parquet writer stores as a dictionary
# without hashing every string again (a third of the cost of writing the validated set)
_CODED = {"jql_journeys": "id", "jql_touchpoints": "local", "jql_personas": "id", "jql_organisations": "id"}


def _workspace_tables(con, rows: dict[str, list[tuple]]) -> None:
    """The small tables validation joins with (made only when a set is validated, not on a cached run)."""
    organisations = {r[0] for r in rows["jql_organisations"]} | {r[1] for r in rows["jql_journeys"] if r[1]}
    names = {"jql_journeys": {r[0] for r in rows["jql_journeys"]},
             "jql_touchpoints": {r[1] for r in rows["jql_touchpoints"]},
             "jql_personas": {r[0] for r in rows["jql_personas"]}, "jql_organisations": organisations}
    types = {}
    for table, values in names.items():
        kind = f"{table}_code"
        _run(con, f"DROP TYPE IF EXISTS {kind}")
        if values:
            _run(con, f"CREATE TYPE {kind} AS ENUM ({', '.join(_sql_literal(v) for v in sorted(values))})")
        types[table] = kind if values else "VARCHAR"
    for name, columns in _TABLE_COLUMNS.items():
        _run(con, f"CREATE OR REPLACE TEMP TABLE {name} ({columns})")
        if rows[name]:  # one statement, the columns as lists (executemany costs a statement per row)
            columns = [list(column) for column in zip(*rows[name])]
            _run_with(con, f"INSERT INTO {name} SELECT {', '.join(f'unnest(${i + 1})' for i in range(len(columns)))}",
                      columns)
        if name in _CODED:
            _run(con, f"ALTER TABLE {name} ADD COLUMN code {types[name]}")
            _run(con, f"UPDATE {name} SET code = CAST({_CODED[name]} AS {types[name]})")
    _run(con, f"ALTER TABLE jql_journeys ADD COLUMN organisation_code {types['jql_organisations']}")
    _run(con, f"UPDATE jql_journeys SET organisation_code = CAST(organisation AS {types['jql_organisations']})")


def _sql_literal(text: str) -> str:
    """A SQL string literal."""
    return "'" + _sql_text(text) + "'"


def _allowed_items(workspace) -> Iterable[tuple]:
    """(journey, item, kind, low, high, whole, options) per item a journey's plans ask.

    A journey with a measurement plan accepts only what its plans ask (plus ``cause``,
    the free text behind a feeling); a journey without one accepts every well-formed
    item with the default ranges (``emotion.*``, ``intent.*``, ``question.*`` as patterns).
    """
    from ..language.schema import EMOTION_SETS

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


def _validate(con, workspace, sources: list[_Source], cache: Path, rounds: list[int] | None = None
              ) -> tuple[Path, dict[str, int]]:
    """Every row with its reason (NULL when usable) and typed columns, as one Parquet file, and how many
    rows got each reason ("" for usable). Both are cached: a second run only reads the counts.

    ``rounds`` numbers each source's measurement wave (0: no wave): a respondent answering the same item
    in two waves (a panel) answered twice, not a duplicate, so duplicates are looked for within a round.
    """
    rows = _workspace_rows(workspace)
    waved = rounds is not None and any(rounds)
    shape = json.dumps([rows, [(s.shown, s.key) for s in sources], CACHE_VERSION, *([rounds] if waved else [])],
                       default=str)
    key = hashlib.sha256(shape.encode()).hexdigest()[:16]
    target = cache / f"checked-{key}.parquet"
    counted = target.with_suffix(".json")
    if target.is_file():
        tally = _read_tally(counted)
        if tally is None:  # a run stopped between the two files: count again (one column)
            tally = _tally(con, target)
            _write_atomic(counted, json.dumps(tally, sort_keys=True))
        return target, tally
    _workspace_tables(con, rows)
    union = " UNION ALL ".join(
        f"SELECT {index} AS src, * FROM ({s.scan})" for index, s in enumerate(sources))
    clean = ", ".join(f"NULLIF(trim({c}), '') AS {c}" for c in COLUMNS)
    _run(con, f"""CREATE OR REPLACE TEMP VIEW jql_raw AS
        SELECT *, CASE WHEN touchpoint IS NOT NULL AND starts_with(touchpoint, journey || '.')
                       THEN substr(touchpoint, length(journey) + 2) ELSE touchpoint END AS local
        FROM (SELECT src, row, line, problem, record, {clean} FROM ({union}))""")
    # Duplicates without sorting every row: first the answer keys (hashed) that occur more than once,
    # a hash aggregate of one integer per row; then only the rows with such a key are validated and
    # ranked (usually none, or a few). A hash collision only adds a candidate, never a duplicate.
    round_of = ("CASE src " + " ".join(f"WHEN {i} THEN {r}" for i, r in enumerate(rounds)) + " END") if waved \
        else "0"
    answer_key = f"hash(respondent_id, journey, local, item, {round_of})" if waved \
        else "hash(respondent_id, journey, local, item)"
    _run(con, f"""CREATE OR REPLACE TEMP TABLE jql_candidates AS
        SELECT {answer_key} AS h FROM jql_raw
        WHERE problem IS NULL AND respondent_id IS NOT NULL AND journey IS NOT NULL AND item IS NOT NULL
        GROUP BY h HAVING count(*) > 1""")
    duplicates = con.execute("SELECT count(*) FROM jql_candidates").fetchall()[0][0] > 0
    if duplicates:
        candidates = _judged(f"SELECT * FROM jql_raw WHERE {answer_key} IN (SELECT h FROM jql_candidates)")
        _run(con, f"""CREATE OR REPLACE TEMP TABLE jql_duplicates AS
            SELECT src, row FROM (
                SELECT src, row, row_number() OVER (PARTITION BY respondent_id, journey, local, item, {round_of}
                                                    ORDER BY src, line, row) AS answer_rank
                FROM ({candidates}) WHERE first_reason IS NULL)
            WHERE answer_rank > 1""")
        checked = f"""SELECT c.*, CASE WHEN c.first_reason IS NULL AND d.row IS NOT NULL THEN 'duplicate'
                                       ELSE c.first_reason END AS reason
                      FROM ({_judged('SELECT * FROM jql_raw')}) AS c
                      LEFT JOIN jql_duplicates AS d ON c.src = d.src AND c.row = d.row"""
    else:
        checked = f"SELECT *, first_reason AS reason FROM ({_judged('SELECT * FROM jql_raw')})"
    # a usable row's journey, touchpoint, persona and organisation are the codes the joins found; what only a
    # reject needs (its line, its fields as written) is NULL for the usable rows: nothing to store for them
    query = f"""
    SELECT src, CASE WHEN reason IS NOT NULL THEN line END AS line, reason,
      respondent_id, journey_code AS journey, touchpoint_code AS touchpoint, item, value,
      CASE WHEN kind = 'valence' THEN jlow + (number - low) * (jhigh - jlow) / nullif(high - low, 0)
           WHEN kind = 'number' THEN number END AS num,
      ts, persona_code AS persona, organisation_code AS organisation,
      CASE WHEN reason IS NOT NULL THEN journey END AS journey_as_written,
      CASE WHEN reason IS NOT NULL THEN touchpoint END AS touchpoint_as_written,
      CASE WHEN reason IS NOT NULL THEN timestamp END AS timestamp,
      CASE WHEN reason IS NOT NULL THEN persona END AS persona_as_written,
      CASE WHEN reason IS NOT NULL THEN organisation END AS organisation_as_written,
      CASE WHEN reason IS NOT NULL THEN record END AS record
    FROM ({checked})
    """
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    try:
        _run(con, f"COPY ({query}) TO '{_sql_text(str(partial))}' (FORMAT parquet)")
        tally = _tally(con, partial)
        _write_atomic(counted, json.dumps(tally, sort_keys=True))
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
        for name in ("jql_candidates", "jql_duplicates"):
            _run(con, f"DROP TABLE IF EXISTS {name}")
        _run(con, "DROP VIEW IF EXISTS jql_raw")
    # keep the few most recent validated sets: another run may still be reading one of them
    kept = sorted(cache.glob("checked-*.parquet"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for stale in kept[KEEP_CHECKED:]:
        stale.unlink(missing_ok=True)
        stale.with_suffix(".json").unlink(missing_ok=True)
    return target, tally


def _judged(relation: str) -> str:
    """The rows of ``relation`` (``jql_raw``'s columns) with what validation found: ``first_reason``
    (NULL when usable; duplicates are decided after) and the typed values. One streaming pass: each
    row is looked up in the small workspace tables by hash joins, nothing per row in Python."""
    # the item pattern (`emotion.*`) and the timestamp with a zone are worked out only for the rows that
    # need them: per row, a regular expression or a time zone parse costs more than every join together
    return f"""
    WITH planned AS (
      SELECT raw.*, a1.kind AS kind1, a1.low AS low1, a1.high AS high1, a1.whole AS whole1, a1.options AS options1
      FROM ({relation}) AS raw LEFT JOIN jql_allowed a1 ON a1.journey = raw.journey AND a1.item = raw.item),
    placed AS (
      SELECT *, CASE WHEN kind1 IS NULL
                          AND regexp_full_match(coalesce(item, ''), '(emotion|intent|question)\\.[^.\\-\\s]+')
                     THEN split_part(item, '.', 1) || '.*' END AS pattern
      FROM planned),
    judged AS (
      SELECT p.*, j.organisation AS journey_organisation, j.low AS jlow, j.high AS jhigh, j.code AS journey_code,
        t.code AS touchpoint_code, pe.code AS persona_code, coalesce(o.code, j.organisation_code) AS organisation_code,
        coalesce(p.kind1, a2.kind) AS kind, coalesce(p.low1, a2.low) AS low, coalesce(p.high1, a2.high) AS high,
        coalesce(p.whole1, a2.whole) AS whole, coalesce(p.options1, a2.options) AS options,
        -- DuckDB reads `1_0` as 10 (digit separators): an answer is plain digits, so it is not a number
        CASE WHEN NOT contains(p.value, '_') THEN TRY_CAST(p.value AS DOUBLE) END AS number,
        -- `2026-03-01T10:00:00` (no room for a zone) as a plain timestamp: the same instant in UTC, twice as
        -- fast; the digits are checked because the plain parser is more lenient than the zoned one
        CASE WHEN length(p.timestamp) = 19 AND substr(p.timestamp, 11, 1) IN ('T', ' ')
                  AND substr(p.timestamp, 12, 8) GLOB '[0-9][0-9]:[0-9][0-9]:[0-9][0-9]'
             THEN TRY_CAST(p.timestamp AS TIMESTAMP)
             ELSE CAST(TRY_CAST(p.timestamp AS TIMESTAMPTZ) AS TIMESTAMP) END AS ts,
        t.local IS NOT NULL AS known_touchpoint,
        pe.id IS NOT NULL AS known_persona, o.id IS NOT NULL AS known_organisation, j.id IS NOT NULL AS known_journey
      FROM placed p
      LEFT JOIN jql_journeys j ON j.id = p.journey
      LEFT JOIN jql_touchpoints t ON t.journey = p.journey AND t.local = p.local
      LEFT JOIN jql_allowed a2 ON a2.journey = p.journey AND a2.item = p.pattern
      LEFT JOIN jql_personas pe ON pe.id = p.persona
      LEFT JOIN jql_organisations o ON o.id = p.organisation)
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
        WHEN kind IN ('number', 'valence') AND ((low IS NOT NULL AND number < low)
             OR (high IS NOT NULL AND number > high) OR (whole AND number <> round(number))) THEN 'out_of_range'
        WHEN kind = 'choice' AND NOT list_contains(options, value) THEN 'not_an_option'
        WHEN timestamp IS NOT NULL AND ts IS NULL THEN 'bad_timestamp'
      END AS first_reason
    FROM judged"""


def _tally(con, checked: Path) -> dict[str, int]:
    """Rows per reason ("" for usable) of a validated set: a scan of its one small reason column."""
    query = f"SELECT coalesce(reason, ''), count(*) FROM read_parquet('{_sql_text(str(checked))}') GROUP BY ALL"
    return {reason: count for reason, count in con.execute(query).fetchall()}


def _read_tally(path: Path) -> dict[str, int] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not all(isinstance(v, int) for v in data.values()):
        return None
    return data


def _write_atomic(path: Path, text: str) -> None:
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def _write_rejects(con, path: Path, checked: Path | None, sources: list[_Source],
                   file_rejects: list[tuple[str, str]]) -> None:
    """file, line, reason and the row as written; cells that a spreadsheet would run as a formula are quoted."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        header = ["file", "line", "reason", *COLUMNS, "record"]
        with partial.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            for shown, reason in sorted(file_rejects):
                writer.writerow([_cell(shown), "", reason, *([""] * (len(COLUMNS) + 1))])
            if checked is not None:
                files = " ".join(f"WHEN {i} THEN {_sql_literal(s.shown)}" for i, s in enumerate(sources))
                files = f"CASE src {files} END"
                cursor = con.execute(
                    f"SELECT {files} AS file, line, reason, respondent_id, journey_as_written, touchpoint_as_written, "
                    f"item, value, timestamp, persona_as_written, organisation_as_written, record "
                    f"FROM read_parquet('{_sql_text(str(checked))}') "
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
