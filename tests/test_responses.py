"""Response data: the canonical format, validation with a reason per reject, the Parquet cache,
the standard readers (SurveyJS, ODK), third-party readers, and the CLI around them."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

import journeyql
import journeyql_readers
from journeyql.measure import responses
from journeyql.cli import main
from journeyql.host.plugins import PluginHost
from journeyql.measure.responses import ResponsesError, load_responses
from journeyql.workspace import analyse, discover

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"
HEADER = "respondent_id,journey,touchpoint,item,value,timestamp,persona\n"

SPEC = """\
organisation acme "Acme" { sector energy }
stakeholder ops "Ops" { kind internal  organisation acme }
channel web "Web" { kind web }
persona p "P" { prefers web  share 60% }
persona q "Q" { prefers web  share 40% }
journey j "J" {
  organisation acme
  personas p, q
  stage s "S" {
    step a "A" {
      expected 2, joy
      touchpoint t "T" { channel web  owner ops }
    }
    step b "B" {
      expected -2, fear
      for q { expected 0, hope }
      touchpoint u "U" { channel web  owner ops  reach 50% }
    }
  }
}
measurement m "M" {
  journey j
  valence { scale 1..5 }
  emotions premo
  intents complain, recommend
  ces "Easy?"
  csat "Satisfied?"
  nps "Recommend?"
  question why "Why?" { answer text }
  question pick "Pick" {
    answer choice
    option "Yes"
    option "No"
  }
  sample t, u
  sample end
  data "responses/answers.csv"
}
"""


@pytest.fixture
def ws(tmp_path):
    root = tmp_path / "ws"
    root.mkdir()
    (root / "spec.jql").write_text(SPEC, encoding="utf-8")
    return root


def model(root: Path):
    found = discover([str(root)])[0]
    analysis = analyse(found, [])
    assert analysis.workspace is not None, analysis.diagnostics
    return analysis.workspace


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def load(root: Path, files, readers=None, **options):
    options.setdefault("cache_dir", root / "cache")
    options.setdefault("rejects_path", root / "rejects.csv")
    return load_responses(model(root), root, [Path(f) for f in files], readers or {}, **options)


def rejects_of(root: Path) -> list[dict]:
    with (root / "rejects.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def rows_of(loaded, order="respondent_id, touchpoint, item") -> list[tuple]:
    return loaded.con.execute(f"SELECT * FROM responses ORDER BY {order}").fetchall()


GOOD = "r0,j,t,valence,4,2026-03-01T10:00:00,p\n"


# --- the canonical format ---------------------------------------------------------------------------


def test_good_rows_are_typed_and_valence_is_on_the_journeys_scale(ws):
    path = write(ws / "responses" / "answers.csv", HEADER
                 + "r1,j,t,valence,5,2026-03-01T10:00:00+02:00,p\n"
                 + "r1,j,j.u,valence,3,,\n"
                 + "r1,j,,nps,9,2026-03-02T08:00:00Z,p\n"
                 + "r1,j,t,question.why,\"Too slow, \"\"really\"\"\",,p\n")
    loaded = load(ws, [path])
    assert (loaded.rows, loaded.read, loaded.rejected) == (4, 4, {})
    assert loaded.sources == ("responses/answers.csv",)
    columns = [d[0] for d in loaded.con.execute("SELECT * FROM responses").description]
    assert columns == ["respondent_id", "journey", "touchpoint", "item", "value", "num", "ts", "persona",
                       "organisation"]
    found = {(r[2], r[3]): r for r in rows_of(loaded)}
    # valence 5 on the plan's 1..5 is the top of the journey's -3..3; 3 is its middle
    assert found[("t", "valence")][5] == 3.0
    assert found[("u", "valence")][5] == 0.0  # `j.u` (the full key) is stored as the local id
    assert str(found[("t", "valence")][6]) == "2026-03-01 08:00:00"  # ISO 8601 with an offset, in UTC
    assert found[(None, "nps")][5] == 9.0 and found[(None, "nps")][2] is None
    why = found[("t", "question.why")]
    assert why[4] == 'Too slow, "really"' and why[5] is None
    assert {r[8] for r in found.values()} == {"acme"}  # the journey's organisation
    assert found[("u", "valence")][7] is None and found[("u", "valence")][6] is None


BAD_ROWS = [
    ("r1,nope,t,valence,4,,", "unknown_journey"),
    ("r1,j,zz,valence,4,,", "unknown_touchpoint"),
    ("r1,j,other.t,valence,4,,", "unknown_touchpoint"),
    ("r1,j,t,emotion.irritation,3,,", "unknown_item"),  # not one of PrEmo's emotions
    ("r1,j,t,intent.switch,1,,", "unknown_item"),       # not an intent of the plan
    ("r1,j,t,question.nope,x,,", "unknown_item"),
    ("r1,j,t,t-eindnota-valence,3,,", "unknown_item"),
    ("r1,j,t,valence,six,,", "not_a_number"),
    ("r1,j,t,valence,6,,", "out_of_range"),             # the plan's scale is 1..5
    ("r1,j,,nps,11,,", "out_of_range"),
    ("r1,j,,nps,7.5,,", "out_of_range"),                # not one of the scale's points
    ("r1,j,t,ces,0,,", "out_of_range"),
    ("r1,j,t,csat,6,,", "out_of_range"),
    ("r1,j,t,emotion.joy,6,,", "out_of_range"),
    ("r1,j,t,intent.complain,2,,", "out_of_range"),
    ("r1,j,t,question.pick,Maybe,,", "not_an_option"),
    ("r1,j,t,ces,,,", "missing_value"),
    (",j,t,ces,3,,", "missing_field"),
    ("r1,j,t,ces,3,yesterday,", "bad_timestamp"),
    ("r1,j,t,ces,3,,zed", "unknown_persona"),
]


@pytest.mark.parametrize("row,reason", BAD_ROWS, ids=[f"{r}-{i}" for i, (_, r) in enumerate(BAD_ROWS)])
def test_a_bad_row_is_rejected_with_its_reason(ws, row, reason):
    path = write(ws / "answers.csv", HEADER + GOOD + row + "\n")
    loaded = load(ws, [path])
    assert loaded.rejected == {reason: 1}
    assert (loaded.rows, loaded.read) == (1, 2)
    [rejected] = rejects_of(ws)
    fields = row.split(",")
    assert rejected["file"] == "answers.csv" and rejected["line"] == "3" and rejected["reason"] == reason
    assert [rejected[c] for c in ("respondent_id", "journey", "touchpoint", "item", "value")] == fields[:5]
    assert reason in responses.REASONS


def test_duplicates_keep_the_first_answer(ws):
    path = write(ws / "answers.csv", HEADER + "r1,j,t,valence,2,,\nr1,j,j.t,valence,5,,\nr1,j,t,valence,1,,\n"
                 "r2,j,t,valence,5,,\n")
    loaded = load(ws, [path])
    assert loaded.rejected == {"duplicate": 2}
    assert [(r[0], r[4]) for r in rows_of(loaded)] == [("r1", "2"), ("r2", "5")]
    assert [(r["line"], r["value"]) for r in rejects_of(ws)] == [("3", "5"), ("4", "1")]


def test_a_bad_first_answer_does_not_hide_the_good_second(ws):
    path = write(ws / "answers.csv", HEADER + "r1,j,t,valence,9,,\nr1,j,t,valence,2,,\n")
    loaded = load(ws, [path])
    assert loaded.rejected == {"out_of_range": 1}
    assert [r[4] for r in rows_of(loaded)] == ["2"]


def test_mixed_file_counts_every_reason_and_says_so_in_one_line(ws):
    path = write(ws / "answers.csv", HEADER + GOOD + "r1,j,t,valence,2,,\nr2,nope,t,valence,2,,\n"
                 "r3,j,t,valence,9,,\nr4,j,t,valence,9,,\nr1,j,t,valence,3,,\n")
    loaded = load(ws, [path])
    assert loaded.rejected == {"duplicate": 1, "out_of_range": 2, "unknown_journey": 1}
    assert loaded.rows == 2 and loaded.read == 6
    assert loaded.summary() == (f"responses: 6 rows read, 2 used, 4 rejected (duplicate 1, out_of_range 2, "
                                f"unknown_journey 1); see {ws / 'rejects.csv'}")
    assert [r["line"] for r in rejects_of(ws)] == ["4", "5", "6", "7"]


def test_malformed_line_is_a_reject_with_its_line(ws):
    path = write(ws / "answers.csv", HEADER + GOOD + 'r1,j,t,valence,"3\n')
    loaded = load(ws, [path])
    assert loaded.rejected == {"malformed_line": 1}
    assert [(r["line"], r["reason"]) for r in rejects_of(ws)] == [("3", "malformed_line")]


def test_hostile_text_survives_unchanged(ws):
    hostile = ['<script>alert("x")</script>', "back\\slash {braces} 'quote'", "emoji 😠🙂", "line\nbreak",
               "x" * 500]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER.strip().split(","))
    for number, text in enumerate(hostile):
        writer.writerow([f"r{number} 😀 \"<b>", "j", "t", "question.why", text, "", ""])
    path = write(ws / "answers.csv", buffer.getvalue())
    loaded = load(ws, [path])
    assert loaded.rejected == {}
    assert sorted(r[4] for r in rows_of(loaded)) == sorted(hostile)
    assert {r[0] for r in rows_of(loaded)} == {f"r{n} 😀 \"<b>" for n in range(len(hostile))}


def test_semicolon_csv_from_a_spreadsheet(ws):
    path = write(ws / "answers.csv", HEADER.replace(",", ";") + GOOD.replace(",", ";"))
    assert load(ws, [path]).rows == 1


def test_canonical_parquet_with_typed_columns(ws):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"respondent_id": ["r1", "r1"], "journey": ["j", "j"], "touchpoint": ["t", None],
                      "item": ["valence", "nps"], "value": [4, 10], "timestamp": [None, None]})
    path = ws / "answers.parquet"
    pq.write_table(table, str(path))
    loaded = load(ws, [path])
    assert [(r[3], r[5]) for r in rows_of(loaded, "item")] == [("nps", 10.0), ("valence", 1.5)]


def test_rejects_file_neutralises_spreadsheet_formulas(ws):
    path = write(ws / "answers.csv", HEADER + GOOD + 'r1,j,t,=HYPERLINK("http://x"),-3,,\n')
    load(ws, [path])
    [rejected] = rejects_of(ws)
    assert rejected["item"] == "'=HYPERLINK(\"http://x\")"
    assert rejected["value"] == "-3"  # a negative number stays a number


# --- whole files ------------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", HEADER.encode()], ids=["zero-bytes", "header-only"])
def test_empty_file(ws, content):
    empty = write(ws / "empty.csv", content)
    with pytest.raises(ResponsesError) as raised:
        load(ws, [empty])
    assert not raised.value.usage
    assert str(raised.value) == "no usable responses in empty.csv (0 rows read, 0 used, 1 rejected " \
                                f"(empty_file 1); see {ws / 'rejects.csv'})"
    assert [(r["file"], r["reason"]) for r in rejects_of(ws)] == [("empty.csv", "empty_file")]
    # next to a good file it is only counted
    good = write(ws / "good.csv", HEADER + GOOD)
    assert load(ws, [empty, good]).rejected == {"empty_file": 1}


def test_wrong_header_names_file_expected_and_found(ws):
    path = write(ws / "answers.csv", "respondent,journey,touchpoint,item,value\nr1,j,t,valence,4\n")
    with pytest.raises(ResponsesError) as raised:
        load(ws, [path])
    assert raised.value.usage
    assert str(raised.value) == ("answers.csv: wrong header: missing respondent_id, timestamp; expected the "
                                 "columns respondent_id, journey, touchpoint, item, value, timestamp (optional: "
                                 "persona, organisation); found respondent, journey, touchpoint, item, value")


def test_unknown_column_is_a_wrong_header(ws):
    path = write(ws / "answers.csv", HEADER.strip() + ",persona_typo\n" + GOOD.strip() + ",x\n")
    with pytest.raises(ResponsesError, match="unknown column persona_typo"):
        load(ws, [path])


def test_unreadable_files_are_counted(ws):
    good = write(ws / "good.csv", HEADER + GOOD)
    latin = write(ws / "latin.csv", "respondent_id,journ\xe9e\n".encode("latin-1"))
    broken = write(ws / "broken.parquet", b"PAR1 this is not parquet")
    loaded = load(ws, [good, latin, broken])
    assert loaded.rejected == {"unreadable_file": 2}
    assert sorted((r["file"], r["reason"]) for r in rejects_of(ws)) == [
        ("broken.parquet", "unreadable_file"), ("latin.csv", "unreadable_file")]


def test_missing_file_is_a_usage_error(ws):
    with pytest.raises(ResponsesError) as raised:
        load(ws, [ws / "nope.csv"])
    assert raised.value.usage and str(raised.value) == "response file not found: nope.csv"


def test_strict_fails_on_any_reject_after_writing_them(ws):
    path = write(ws / "answers.csv", HEADER + GOOD + "r1,nope,t,valence,2,,\n")
    with pytest.raises(ResponsesError, match=r"^rejected rows with --strict: 2 rows read, 1 used, 1 rejected "
                                             r"\(unknown_journey 1\)"):
        load(ws, [path], strict=True)
    assert [r["reason"] for r in rejects_of(ws)] == ["unknown_journey"]


def test_journey_without_a_plan_accepts_well_formed_items(tmp_path):
    root = tmp_path / "ws"
    write(root / "spec.jql", SPEC.split("measurement m")[0])
    path = write(root / "answers.csv", HEADER + "r1,j,t,valence,-3,,\nr1,j,t,emotion.anything,2,,\n"
                 "r1,j,t,intent.call_again,1,,\nr1,j,t,emotion.bad-name,2,,\nr1,j,t,valence,-4,,\n")
    loaded = load(root, [path])
    assert loaded.rows == 3
    assert loaded.rejected == {"out_of_range": 1, "unknown_item": 1}


# --- the Parquet cache ------------------------------------------------------------------------------


def test_csv_is_converted_once_and_reconverted_when_it_changes(ws, monkeypatch):
    path = write(ws / "answers.csv", HEADER + GOOD)
    calls = []
    convert = responses._convert_csv
    monkeypatch.setattr(responses, "_convert_csv", lambda *a: calls.append(a[1]) or convert(*a))
    load(ws, [path]).con.close()
    cached = sorted((ws / "cache" / "responses").glob("*.parquet"))
    assert len(cached) == 1 and len(calls) == 1
    load(ws, [path]).con.close()
    assert len(calls) == 1  # the second run reads the cached Parquet
    assert sorted((ws / "cache" / "responses").glob("*.parquet")) == cached
    write(path, HEADER + GOOD.replace(",4,", ",2,"))
    loaded = load(ws, [path])
    assert len(calls) == 2
    now = sorted((ws / "cache" / "responses").glob("*.parquet"))
    assert len(now) == 1 and now != cached  # the stale copy is gone
    assert [r[4] for r in rows_of(loaded)] == ["2"]


def test_default_cache_is_in_the_workspace_and_gitignored(ws):
    path = write(ws / "answers.csv", HEADER + GOOD)
    load_responses(model(ws), ws, [path], {}).con.close()
    assert list((ws / ".journeyql-cache" / "responses").glob("*.parquet"))
    assert ".journeyql-cache/" in (ROOT / ".gitignore").read_text().splitlines()


def test_memory_is_bounded_by_settings(ws):
    path = write(ws / "answers.csv", HEADER + GOOD)
    loaded = load(ws, [path])
    limit, temp = loaded.con.execute("SELECT current_setting('memory_limit'), "
                                     "current_setting('temp_directory')").fetchall()[0]
    assert limit == "953.6 MiB"  # 1GB, DuckDB's way of saying it
    assert Path(temp) == ws / "cache" / "tmp"


# --- readers ----------------------------------------------------------------------------------------


def standard_readers():
    return PluginHost(entry_points=False, plugins=[journeyql_readers]).readers


def test_standard_readers_are_registered_through_the_hook():
    readers = standard_readers()
    assert sorted(readers) == ["canonical", "odk", "surveyjs"]
    assert readers["surveyjs"].suffixes == (".json", ".jsonl") and readers["odk"].suffixes == (".csv",)


SURVEYJS = [
    {"journeyql_journey": "j", "respondent_id": "s1", "timestamp": "2026-03-01T10:00:00Z", "persona": "p",
     "t-t-valence": 4, "t-t-emotion": {"joy": 4, "fear": 2}, "t-t-emotion-joy": 5,
     "t-t-intent": ["complain"], "j-nps": 9, "t-u-question-pick": "Yes", "t-u-ces": None,
     "favourite_colour": "blue"},
    {"journeyql_journey": "j", "t-u-valence": 2, "t-u-intent": "complain recommend"},
]


def test_surveyjs_results_as_array_and_as_json_lines(ws):
    array = write(ws / "results.json", json.dumps(SURVEYJS))
    lines = write(ws / "results.jsonl", "\n".join(json.dumps(r) for r in SURVEYJS) + "\n")
    for path in (array, lines):
        loaded = load(ws, [path], standard_readers())
        found = {(r[0], r[2], r[3]): r[4] for r in rows_of(loaded)}
        respondent2 = f"{path.stem}#2"
        assert found == {
            ("s1", "t", "valence"): "4", ("s1", "t", "emotion.joy"): "5",  # the one-item question wins
            ("s1", "t", "emotion.fear"): "2", ("s1", "t", "intent.complain"): "1", ("s1", None, "nps"): "9",
            ("s1", "u", "question.pick"): "Yes",
            (respondent2, "u", "valence"): "2", (respondent2, "u", "intent.complain"): "1",
            (respondent2, "u", "intent.recommend"): "1"}
        assert loaded.rejected == {"unknown_item": 1}  # favourite_colour is passed on, then rejected
        assert [(r["line"], r["item"], r["value"]) for r in rejects_of(ws)] == [("1", "favourite_colour", "blue")]


def test_surveyjs_garbage_is_a_clear_error(ws):
    path = write(ws / "results.json", "[{\"journeyql_journey\": \"j\"}, 3]")
    with pytest.raises(ResponsesError, match=r"^results.json: the surveyjs reader cannot read it: record 2 is "
                                             r"not a JSON object$"):
        load(ws, [path], standard_readers())


ODK = textwrap.dedent("""\
    SubmissionDate,start,grp_t-t-t-valence,grp_t-t-t-emotion,grp_t-t-t-emotion/fear,grp_t-t-t-intent,j-nps,grp-journeyql_journey,meta-instanceID,KEY,my-note
    2026-03-01T10:00:00.000Z,2026-03-01T09:58:00.000Z,4,joy,1,complain,8,j,uuid:1,uuid:1,
    "Mar 2, 2026 9:15:00 AM",,2,,0,,3,j,uuid:2,uuid:2,hello
    """)


def test_odk_export_with_groups_and_select_multiple(ws):
    path = write(ws / "odk.csv", ODK)
    loaded = load(ws, [path], standard_readers())
    found = {(r[0], r[2], r[3]): (r[4], str(r[6])) for r in rows_of(loaded)}
    assert found == {
        ("uuid:1", "t", "valence"): ("4", "2026-03-01 10:00:00"),
        ("uuid:1", "t", "emotion.joy"): ("1", "2026-03-01 10:00:00"),
        ("uuid:1", "t", "emotion.fear"): ("1", "2026-03-01 10:00:00"),
        ("uuid:1", "t", "intent.complain"): ("1", "2026-03-01 10:00:00"),
        ("uuid:1", None, "nps"): ("8", "2026-03-01 10:00:00"),
        ("uuid:2", "t", "valence"): ("2", "2026-03-02 09:15:00"),
        ("uuid:2", None, "nps"): ("3", "2026-03-02 09:15:00")}
    assert loaded.rejected == {"unknown_item": 1}
    assert [(r["line"], r["item"], r["value"]) for r in rejects_of(ws)] == [("3", "my-note", "hello")]


def test_csv_suffix_clash_is_decided_by_the_header(ws):
    readers = standard_readers()
    canonical = write(ws / "a.csv", HEADER + GOOD)
    odk = write(ws / "b.csv", ODK)
    loaded = load(ws, [canonical, odk], readers)
    assert loaded.rows == 8
    neither = write(ws / "c.csv", "name,score\nx,1\n")
    with pytest.raises(ResponsesError) as raised:
        load(ws, [neither], readers)
    assert raised.value.usage
    assert str(raised.value).startswith("c.csv: wrong header: missing respondent_id")
    assert str(raised.value).endswith("(c.csv: the odk reader cannot read it: not an ODK export of a JourneyQL "
                                      "form: no journeyql_journey column)")


class ThirdParty:
    """A reader plugin as a third party writes it, registered in-process."""

    __name__ = "acme_reader"

    @journeyql.hookimpl
    def register_readers(self, register):
        def read(path):
            for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
                respondent, score = line.split("|")
                yield {"respondent_id": respondent, "journey": "j", "touchpoint": "t", "item": "valence",
                       "value": score, "timestamp": None, "line": number}

        register("acme", "Acme pipe files", [".acme"], read)


def test_a_third_party_reader_is_used_for_its_suffix(ws):
    readers = PluginHost(entry_points=False, plugins=[ThirdParty()]).readers
    path = write(ws / "answers.acme", "a|4\nb|5\nc|7\n")
    loaded = load(ws, [path], readers)
    assert [(r[0], r[5]) for r in rows_of(loaded)] == [("a", 1.5), ("b", 3.0)]
    assert [(r["line"], r["reason"]) for r in rejects_of(ws)] == [("3", "out_of_range")]
    with pytest.raises(ResponsesError, match=r"no reader for \.xyz files; readable: \.acme, \.csv, \.parquet"):
        load(ws, [write(ws / "answers.xyz", "x")], readers)


def test_a_failing_reader_is_named(ws):
    broken = types.SimpleNamespace(__name__="broken")

    @journeyql.hookimpl
    def register_readers(register):
        def read(path):
            yield {"respondent_id": "a", "journey": "j", "touchpoint": "t", "item": "valence", "value": "3"}
            raise KeyError("sheet1")

        register("broken", "Always fails", [".bad"], read)

    broken.register_readers = register_readers
    readers = PluginHost(entry_points=False, plugins=[broken]).readers
    with pytest.raises(ResponsesError, match=r"^answers.bad: the broken reader cannot read it: 'sheet1'$"):
        load(ws, [write(ws / "answers.bad", "x")], readers)


# --- the command line -------------------------------------------------------------------------------


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_analyze_reads_the_plans_data_and_writes_reports(ws, tmp_path, capsys):
    write(ws / "responses" / "answers.csv", HEADER + GOOD + "r1,j,t,valence,5,,q\nr1,j,,nps,10,,q\n"
          "r2,j,t,valence,9,,\n")
    code, out, err = run(capsys, "analyze", ws, "-o", tmp_path / "report")
    assert code == 0, err
    assert err.splitlines()[0] == (f"responses: 4 rows read, 3 used, 1 rejected (out_of_range 1); "
                                   f"see {ws / '.journeyql-cache' / 'rejects.csv'}")
    report = json.loads((tmp_path / "report" / "analysis.json").read_text(encoding="utf-8"))
    assert report["touchpoints"]["j.t"]["n"] == 2
    assert report["touchpoints"]["j.t"]["valence_mean"] == pytest.approx((1.5 + 3.0) / 2)
    code, out, err = run(capsys, "analyze", ws, "--format", "markdown", "--rejects", tmp_path / "r.csv")
    assert code == 0 and out.startswith("#") and (tmp_path / "r.csv").is_file()
    code, out, err = run(capsys, "analyze", ws, "--format", "html", "-o", tmp_path / "report")
    assert code == 0 and (tmp_path / "report" / "analysis.html").read_text().lstrip().lower().startswith("<!doctype")


@pytest.mark.parametrize("content,strict,code,message", [
    (HEADER + GOOD + "r1,nope,t,valence,2,,\n", True, 1,
     "journeyql: error: rejected rows with --strict: 2 rows read, 1 used, 1 rejected (unknown_journey 1)"),
    (HEADER + "r1,nope,t,valence,2,,\n", False, 1, "journeyql: error: no usable responses in answers.csv"),
    ("", False, 1, "journeyql: error: no usable responses in answers.csv (0 rows read, 0 used, 1 rejected "
                   "(empty_file 1)"),
    ("who,what\n1,2\n", False, 2, "journeyql: error: answers.csv: wrong header: missing respondent_id"),
])
def test_analyze_exit_codes_and_one_line_errors(ws, tmp_path, capsys, content, strict, code, message):
    path = write(ws / "answers.csv", content)
    found, out, err = run(capsys, "analyze", ws, "--responses", path, *(["--strict"] if strict else []))
    assert found == code
    assert len(err.strip().splitlines()) == 1 and err.startswith(message), err
    assert "Traceback" not in err and out == ""


def test_analyze_missing_file_is_a_usage_error(ws, capsys):
    code, out, err = run(capsys, "analyze", ws, "--responses", ws / "nope.csv")
    assert code == 2 and err == "journeyql: error: response file not found: nope.csv\n"
    code, out, err = run(capsys, "analyze", ws)  # the plan's data file does not exist either
    assert code == 2 and err == "journeyql: error: response file not found: responses/answers.csv\n"


class Probe:
    """A renderer that records what it was given."""

    __name__ = "probe"
    seen: list = []

    @journeyql.hookimpl
    def register_renderers(self, register):
        def render(workspace, context):
            Probe.seen.append((workspace.journeys[0].id, context.results))
            context.write_text("probe.txt", "ok\n")

        register("probe", "Records context.results", render, outputs=["probe.txt"], formats=["txt"])


@pytest.fixture
def probe(monkeypatch):
    import journeyql.cli.common

    host = PluginHost(plugins=[Probe()])
    monkeypatch.setattr(journeyql.cli.common, "host", lambda: host)
    Probe.seen = []
    return Probe.seen


def test_render_attaches_results_of_the_example_data(probe, tmp_path, capsys):
    code, out, err = run(capsys, "render", SPECS / "energie-verhuizen", "--to", "probe", "-o", tmp_path / "out")
    assert code == 0, err
    [(journey, results)] = probe
    assert journey == "verhuizen" and results is not None
    assert results.touchpoint("verhuizen.eindnota").valence_n > 50
    assert results.sources == ("responses/verhuizen-1.csv", "responses/verhuizen-2.csv")
    assert [w.wave for w in results.waves] == ["voorjaar2026", "zomer2026"] and results.waves[-1].latest
    assert "responses: " in err and " rejected" not in err


def test_build_uses_the_plans_data_files(probe, tmp_path, capsys):
    import shutil

    root = tmp_path / "energie"
    shutil.copytree(SPECS / "energie-verhuizen", root, ignore=shutil.ignore_patterns(".journeyql-cache"))
    with (root / "journeyql.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[build]\nrenderers = ["probe"]\n')
    code, out, err = run(capsys, "build", root, "-o", tmp_path / "site")
    assert code == 0, err
    [(journey, results)] = probe
    assert results is not None and results.journey("verhuizen").n == 240
    assert "responses: 16769 rows read, 16769 used\n" in err  # both waves: 8441 + 8328
    assert list((root / ".journeyql-cache" / "responses").glob("*.parquet"))  # the cache is the workspace's
    assert not list((tmp_path / "site").rglob("*.parquet"))                     # never the output's


def test_render_every_example_workspace_with_results(probe, tmp_path, capsys):
    code, out, err = run(capsys, "render", SPECS, "--to", "probe", "-o", tmp_path / "out")
    assert code == 0, err
    assert len(probe) == 5 and all(results is not None and results.journeys for _, results in probe)


def test_render_without_data_warns_and_has_no_results(probe, ws, tmp_path, capsys):
    code, out, err = run(capsys, "render", ws, "--to", "probe", "-o", tmp_path / "out")
    assert code == 0, err
    assert probe == [("j", None)]
    assert "warning: response file responses/answers.csv not found; rendering without its measured results" in err


def test_render_with_responses_flag_and_bad_data(probe, ws, tmp_path, capsys):
    good = write(tmp_path / "given.csv", HEADER + GOOD)
    code, out, err = run(capsys, "render", ws, "--to", "probe", "-o", tmp_path / "out", "--responses", good)
    assert code == 0 and probe[-1][1].touchpoint("j.t").n == 1
    bad = write(tmp_path / "bad.csv", "a,b\n1,2\n")
    code, out, err = run(capsys, "render", ws, "--to", "probe", "-o", tmp_path / "out2", "--responses", bad)
    assert code == 2 and probe[-1][1] is None  # still rendered, without results
    assert "error: bad.csv: wrong header" in err or f"error: {bad}: wrong header" in err
    assert "Traceback" not in err


def test_check_does_not_import_duckdb():
    code = ("import sys; from journeyql.cli import main; code = main(['check', %r]); "
            "print(code, 'duckdb' in sys.modules, 'pyarrow' in sys.modules)" % str(SPECS))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split()[-3:] == ["0", "False", "False"]


def test_analyze_report_is_byte_identical_across_runs_and_caches(tmp_path, capsys):
    reports = []
    for name in ("one", "two"):
        code, out, err = run(capsys, "analyze", SPECS / "energie-verhuizen", "--cache-dir", tmp_path / name,
                             "--rejects", tmp_path / f"{name}.csv")
        assert code == 0, err
        reports.append(out)
    assert reports[0] == reports[1] and json.loads(reports[0])["touchpoints"]


def test_a_readers_rows_are_cached_too(ws):
    calls = []

    class Counting(ThirdParty):
        @journeyql.hookimpl
        def register_readers(self, register):
            def read(path):
                calls.append(path)
                yield {"respondent_id": "a", "journey": "j", "touchpoint": "t", "item": "valence", "value": "4"}

            register("counting", "Counts its calls", [".acme"], read)

    readers = PluginHost(entry_points=False, plugins=[Counting()]).readers
    path = write(ws / "answers.acme", "a|4\n")
    assert load(ws, [path], readers).rows == 1
    assert load(ws, [path], readers).rows == 1
    assert len(calls) == 1


# --- surveys and readers agree ---------------------------------------------------------------------

def _answer(question: dict):
    """A valid answer of the shape SurveyJS stores for this question."""
    kind = question["type"]
    if kind == "rating":
        return question.get("rateMin", 1)
    if kind == "matrix":  # {row: column value}
        return {row["value"]: question["columns"][-1]["value"] for row in question["rows"][:2]}
    if kind in ("radiogroup", "dropdown"):
        return question["choices"][0]["value"]
    if kind == "text":
        return question.get("min", 1) if question.get("inputType") == "number" else "tekst"
    return "een antwoord"


@pytest.mark.parametrize("workspace", ["energie-verhuizen", "telecom-switch"])
def test_every_question_of_a_generated_survey_reads_back_without_rejects(workspace, tmp_path):
    """The surveyjs renderer names questions, the surveyjs reader decodes them: no answer is lost."""
    from journeyql_surveys import surveyjs  # noqa: F401 - the renderer under test is installed

    root = Path(__file__).resolve().parents[1] / "specs" / workspace
    out = tmp_path / "out"
    assert main(["render", str(root), "--to", "surveyjs", "-o", str(out), "--force"]) == 0
    surveys = sorted(out.glob("surveys/*.surveyjs.json"))
    assert surveys
    results = []
    for path in surveys:
        survey = json.loads(path.read_text(encoding="utf-8"))
        values = {v["name"]: v["expression"].strip("'") for v in survey["calculatedValues"]}
        result = {**values, "respondent_id": f"r-{path.stem}"}
        for page in survey["pages"]:
            for question in page["elements"]:
                result[question["name"]] = _answer(question)
        results.append(result)
    data = write(tmp_path / "results.json", json.dumps(results))
    workspace_model = model(root)
    loaded = load_responses(workspace_model, root, [data], PluginHost().readers, cache_dir=tmp_path / "cache",
                            rejects_path=tmp_path / "rejects.csv")
    assert sum(loaded.rejected.values()) == 0, loaded.summary()
    items = {row[0] for row in loaded.con.execute("SELECT DISTINCT item FROM responses").fetchall()}
    assert {"valence", "nps"} <= items and any(i.startswith("emotion.") for i in items)


# --- issue 11, item 3: the physical line and the record as written ------------------------------------


def test_rejects_after_a_malformed_record_keep_their_physical_line(ws):
    # line 1 header, 2 GOOD, 3 four fields instead of seven (malformed), 4 valence 9 on 1..5 (out of range),
    # 5 valence 6 (out of range): counted by hand in the text below
    path = write(ws / "answers.csv", HEADER + GOOD + "r1,j,t,valence\n" + "r2,j,t,valence,9,,\n"
                 + "r3,j,t,valence,6,,\n")
    loaded = load(ws, [path])
    assert loaded.rejected == {"malformed_line": 1, "out_of_range": 2}
    rows = rejects_of(ws)
    assert [(r["line"], r["reason"]) for r in rows] == [
        ("3", "malformed_line"), ("4", "out_of_range"), ("5", "out_of_range")]
    # the malformed record as written, not empty fields
    assert rows[0]["record"] == "r1,j,t,valence"
    assert [rows[0][c] for c in ("respondent_id", "journey", "touchpoint", "item")] == ["r1", "j", "t", "valence"]
    assert rows[1]["record"] == ""  # a well-formed record's fields are in their columns


def test_rejects_after_a_quoted_line_break_keep_their_physical_line(ws):
    # line 1 header; lines 2-3 one record whose cause has a line break; line 4 out of range;
    # line 5 a record with too many fields; line 6 out of range
    path = write(ws / "answers.csv", HEADER + 'r1,j,t,cause,"two\nlines",,\n' + "r2,j,t,valence,9,,\n"
                 + "r3,j,t,valence,2,,,x,y\n" + "r4,j,t,valence,0,,\n")
    loaded = load(ws, [path])
    assert loaded.rejected == {"malformed_line": 1, "out_of_range": 2}
    rows = rejects_of(ws)
    assert [(r["line"], r["reason"]) for r in rows] == [
        ("4", "out_of_range"), ("5", "malformed_line"), ("6", "out_of_range")]
    assert rows[1]["record"] == "r3,j,t,valence,2,,,x,y"
