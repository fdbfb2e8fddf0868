"""JourneyQL standard plugin `readers`: survey platforms' exports as canonical response rows.

Written exactly as a third party would write a reader: one ``register_readers`` hook,
and only ``journeyql.measure.items`` to map question names back to touchpoints and items.

- ``surveyjs``: SurveyJS results (a JSON array of result objects, or JSON Lines).
- ``odk``: the CSV export of ODK Central or Briefcase for the XLSForm the ``surveys``
  renderer writes.
- ``canonical``: the canonical CSV/Parquet format itself (JourneyQL reads those with
  DuckDB directly; the reader is here so ``journeyql plugins`` lists the format and so
  other tools can stream canonical files as rows).

A reader yields one row per answer; a name that is not a JourneyQL question is passed
on as an item of that name, so validation rejects it with a reason instead of it
vanishing. Unanswered questions (missing, null or empty) give no row.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path

import journeyql
from journeyql.measure.items import is_group, parse_question_name

__version__ = "0.1.0"

#: Keys of a SurveyJS result (or columns of an ODK export) that describe the respondent, not an answer.
JOURNEY_KEY = "journeyql_journey"
#: the measurement plan the surveys renderer stamps on every result (informational: the journey decides)
MEASUREMENT_KEY = "journeyql_measurement"
_RESPONDENT_KEYS = ("respondent_id", "journeyql_respondent")
_PERSONA_KEYS = ("persona", "journeyql_persona")
_ORGANISATION_KEYS = ("organisation", "journeyql_organisation")
_TIMESTAMP_KEYS = ("timestamp", "journeyql_timestamp")
_KNOWN_KEYS = {JOURNEY_KEY, MEASUREMENT_KEY, *_RESPONDENT_KEYS, *_PERSONA_KEYS, *_ORGANISATION_KEYS}

#: ODK Central and Briefcase system columns (after the group prefix is removed).
_ODK_META = {"instanceID", "KEY", "SubmissionDate", "SubmitterID", "SubmitterName", "AttachmentsPresent",
             "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion", "start", "end",
             "today", "deviceid", "instanceName", "audit", "PARENT_KEY", "isValidated", "Submitter", "username",
             "simserial", "subscriberid", "phonenumber"}


@journeyql.hookimpl
def register_readers(register):
    register("surveyjs", "SurveyJS results: a JSON array of result objects, or JSON Lines",
             [".json", ".jsonl"], read_surveyjs)
    register("odk", "ODK Central/Briefcase CSV export of the XLSForm the surveys renderer writes",
             [".csv"], read_odk)
    register("canonical", "The canonical long format: respondent_id, journey, touchpoint, item, value, timestamp",
             [".csv", ".parquet"], read_canonical)


# --- answers of one respondent -> rows ------------------------------------------------------------


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    text = str(value).strip()
    return text or None


def _answers(answers: Iterator[tuple[str, object]]) -> list[tuple[str | None, str, str]]:
    """(touchpoint, item, value) of every answer; a one-item question wins over its group's answer."""
    single: dict[tuple, tuple] = {}
    grouped: dict[tuple, tuple] = {}
    for name, value in answers:
        if value is None or value == "" or value == [] or value == {}:
            continue
        ref = parse_question_name(name)
        if ref is None:  # not one of ours: validation will say so
            text = _text(value)
            if text is not None:
                single.setdefault((None, name), (None, name, text))
            continue
        if not is_group(ref.item):
            text = _text(value)
            if text is not None:
                single[(ref.touchpoint, ref.item)] = (ref.touchpoint, ref.item, text)
            continue
        for member, member_value in _group_members(value):
            item = f"{ref.item}.{member}"
            grouped.setdefault((ref.touchpoint, item), (ref.touchpoint, item, member_value))
    merged = {**grouped, **single}
    return [merged[key] for key in sorted(merged, key=lambda k: (k[0] or "", k[1]))]


def _group_members(value) -> Iterator[tuple[str, str]]:
    """A group answer: a mapping {name: value} (a matrix), a list of names, or space-separated names."""
    if isinstance(value, Mapping):
        for name, member_value in value.items():
            text = _text(member_value)
            if text is not None:
                yield str(name), text
    elif isinstance(value, (list, tuple)):
        for name in value:
            yield str(name), "1"
    else:
        for name in str(value).split():
            yield name, "1"


def _rows(answers, *, respondent, journey, timestamp, persona, organisation, line) -> Iterator[dict]:
    for touchpoint, item, value in _answers(answers):
        yield {"respondent_id": respondent, "journey": journey, "touchpoint": touchpoint, "item": item,
               "value": value, "timestamp": timestamp, "persona": persona, "organisation": organisation,
               "line": line}


def _first(record: Mapping, keys) -> str | None:
    for key in keys:
        text = _text(record.get(key))
        if text is not None:
            return text
    return None


# --- SurveyJS -----------------------------------------------------------------------------------


def read_surveyjs(path) -> Iterator[dict]:
    """Rows from SurveyJS results: ``[{"journeyql_journey": "...", "t-eindnota-valence": -2, ...}, ...]``."""
    path = Path(path)
    with path.open(encoding="utf-8-sig") as handle:
        head = handle.read(1)
        while head and head.isspace():
            head = handle.read(1)
        handle.seek(0)
        if head == "[":
            records = enumerate(json.load(handle), 1)
        else:
            records = ((number, json.loads(text)) for number, text in enumerate(handle, 1) if text.strip())
        for number, record in records:
            if not isinstance(record, Mapping):
                raise ValueError(f"record {number} is not a JSON object")
            skip = {*_KNOWN_KEYS, *_TIMESTAMP_KEYS}
            yield from _rows(((str(k), v) for k, v in record.items() if k not in skip),
                             respondent=_first(record, _RESPONDENT_KEYS) or f"{path.stem}#{number}",
                             journey=_first(record, (JOURNEY_KEY,)), timestamp=_first(record, _TIMESTAMP_KEYS),
                             persona=_first(record, _PERSONA_KEYS), organisation=_first(record, _ORGANISATION_KEYS),
                             line=number)


# --- ODK ----------------------------------------------------------------------------------------


def _odk_name(column: str) -> str:
    """The question name of an export column: group paths (``grp-...``, ``group/...``) removed."""
    last = column.rsplit("/", 1)[-1]
    parts = last.split("-")
    # our names contain `-` too: the longest tail that is one of our question names wins
    for start in range(len(parts)):
        tail = "-".join(parts[start:])
        if parse_question_name(tail) is not None:
            return tail
    if parts[-1] in _ODK_META or parts[-1] in _KNOWN_KEYS:
        return parts[-1]
    return last  # not ours: passed on whole, so the reject names the column the user sees


def _odk_split_option(column: str) -> tuple[str, str] | None:
    """``t-x-emotion/fear`` (select_multiple split into one column per option) -> (group name, option)."""
    if "/" not in column:
        return None
    group, option = column.rsplit("/", 1)
    name = _odk_name(group)
    ref = parse_question_name(name)
    return (name, option) if ref is not None and is_group(ref.item) else None


def _odk_timestamp(text: str | None) -> str | None:
    if text is None:
        return None
    for pattern in ("%b %d, %Y %I:%M:%S %p", "%b %d, %Y %H:%M:%S"):  # Briefcase's US-style dates
        try:
            return datetime.strptime(text, pattern).isoformat()
        except ValueError:
            pass
    return text


def read_odk(path) -> Iterator[dict]:
    """Rows from an ODK export; the form's ``journeyql_journey`` column names the journey."""
    path = Path(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            return
        names = [_odk_name(column) for column in header]
        if JOURNEY_KEY not in names:
            raise ValueError(f"not an ODK export of a JourneyQL form: no {JOURNEY_KEY} column")
        for number, values in enumerate(reader, 2):
            if not any(v.strip() for v in values):
                continue
            record = {}
            answers = []
            for column, name, value in zip(header, names, values):
                value = value.strip()
                split = _odk_split_option(column)
                if split is not None:
                    if value.lower() in ("1", "true"):
                        answers.append((split[0], [split[1]]))
                    continue
                if name in _ODK_META or name in _KNOWN_KEYS:
                    record.setdefault(name, value)
                    continue
                answers.append((name, value))
            respondent = (_text(record.get("instanceID")) or _text(record.get("KEY"))
                          or _first(record, _RESPONDENT_KEYS) or f"{path.stem}#{number}")
            timestamp = _odk_timestamp(_text(record.get("SubmissionDate")) or _text(record.get("end")))
            yield from _rows(answers, respondent=respondent, journey=_text(record.get(JOURNEY_KEY)),
                             timestamp=timestamp, persona=_first(record, _PERSONA_KEYS),
                             organisation=_first(record, _ORGANISATION_KEYS), line=number)


# --- canonical ------------------------------------------------------------------------------------


def read_canonical(path) -> Iterator[dict]:
    """Rows of a canonical CSV or Parquet file, streamed."""
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        number = 0
        for batch in pq.ParquetFile(str(path)).iter_batches(batch_size=50_000):
            for row in batch.to_pylist():
                number += 1
                yield {**row, "line": number}
        return
    with path.open(encoding="utf-8-sig", newline="") as handle:
        first = handle.readline()
        handle.seek(0)
        delimiter = ";" if first.count(";") > first.count(",") else ","
        for number, row in enumerate(csv.DictReader(handle, delimiter=delimiter), 2):
            yield {**{k.strip(): v for k, v in row.items() if isinstance(k, str)}, "line": number}

