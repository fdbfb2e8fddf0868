"""The fast load path: duplicates found without sorting, canonical Parquet read in place, a warm run that
only reads the cached counts, and the plain-timestamp shortcut that must agree with the zoned parser."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq

from journeyql.measure import responses
from test_responses import GOOD, HEADER, load, rejects_of, rows_of, write, ws  # noqa: F401 - ws is a fixture


def test_duplicates_across_files_keep_the_first_files_answer(ws):
    first = write(ws / "a.csv", HEADER + "r1,j,t,valence,2,,\n" + GOOD)
    second = ws / "b.parquet"
    pq.write_table(pa.table({"respondent_id": ["r1", "r1"], "journey": ["j", "j"], "touchpoint": ["j.t", "u"],
                             "item": ["valence", "valence"], "value": ["5", "3"], "timestamp": [None, None]}),
                   str(second))
    loaded = load(ws, [first, second])
    assert loaded.rejected == {"duplicate": 1}
    assert sorted((r[0], r[2], r[4]) for r in rows_of(loaded)) == [("r0", "t", "4"), ("r1", "t", "2"), ("r1", "u", "3")]
    [rejected] = rejects_of(ws)
    assert (rejected["file"], rejected["line"], rejected["value"]) == ("b.parquet", "1", "5")


def test_canonical_parquet_is_read_in_place_and_a_warm_run_validates_nothing(ws, monkeypatch):
    path = ws / "answers.parquet"
    pq.write_table(pa.table({"respondent_id": ["r1", "r1", "r2"], "journey": ["j", "j", "j"],
                             "touchpoint": ["t", "t", "t"], "item": ["valence"] * 3, "value": ["4", "9", "3"],
                             "timestamp": [None] * 3}), str(path))
    cold = load(ws, [path])
    assert not list((ws / "cache" / "responses").glob("*"))  # no copy of the source
    assert list((ws / "cache").glob("checked-*.json"))         # the counts beside the validated rows
    calls = []
    from journeyql.measure import validation

    judged = validation._judged
    monkeypatch.setattr(validation, "_judged", lambda relation: calls.append(relation) or judged(relation))
    warm = load(ws, [path])
    assert calls == []
    assert (warm.rows, warm.read, warm.rejected) == (cold.rows, cold.read, cold.rejected) == (2, 3, {"out_of_range": 1})
    assert rows_of(warm) == rows_of(cold)
    assert [r["reason"] for r in rejects_of(ws)] == ["out_of_range"]


def test_plain_and_zoned_timestamps(ws):
    stamps = ["2026-03-01T10:00:00", "2026-03-01 10:00:00", "2026-03-01T10:00:00+02:00", "2026-03-01T10:00:00Z",
              "2026-03-01T10:00", "2026-03-01"]
    body = "".join(f"r{i},j,t,valence,3,{stamp},\n" for i, stamp in enumerate(stamps))
    path = write(ws / "answers.csv", HEADER + body + "rx,j,t,valence,3,2026-03-01T10: 0:00,\n")
    loaded = load(ws, [path])
    assert loaded.rejected == {"bad_timestamp": 1}  # the zoned parser's verdict, though a plain one accepts it
    found = {r[0]: str(r[6]) for r in rows_of(loaded)}
    assert found == {"r0": "2026-03-01 10:00:00", "r1": "2026-03-01 10:00:00", "r2": "2026-03-01 08:00:00",
                     "r3": "2026-03-01 10:00:00", "r4": "2026-03-01 10:00:00", "r5": "2026-03-01 00:00:00"}
