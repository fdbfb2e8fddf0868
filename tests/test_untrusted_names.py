"""Issue 13, item 8: names and texts that spoof, collide or mislead.

Output names a plugin (or a spec id) chooses refuse DEL, C1 controls, bidirectional controls, line
separators, Windows device names and names that differ only in case; bidirectional controls in a
spec are shown by code point in the `diff` Markdown (a pull-request comment must read as the spec
does); a response file that is not UTF-8 is `unreadable_file`, and `1_0` is not the number 10.
"""

from __future__ import annotations

import re

import pytest

import journeyql
import journeyql.host.testing
from journeyql.host.output import OutputError, OutputSink, safe_relative_path
from journeyql.tools import diff as diffing
from test_diff import edit, starter
from test_plugin_host import SPEC, Plugin, fresh_host, renderer_plugin, write_text  # noqa: F401 - a fixture
from test_responses import GOOD, HEADER, load, rejects_of, write, ws  # noqa: F401 - ws is a fixture


@pytest.mark.parametrize("name", [
    "a\x7fb.html", "a\x85b.html", "a\x9bb.html",                       # DEL, NEL, CSI
    "invoice\u202efdp.html", "a\u2066b.html", "a\u200fb.html", "a\u061cb.html",  # bidi controls
    "a\u2028b.html", "x/a\u2029b.html",                                # line and paragraph separators
    "con", "CON.html", "teasers/nul.txt", "Aux.tar.gz", "com1.md", "LPT9", "com\u00b9.txt", "prn .html",
])
def test_output_names_that_spoof_or_cannot_exist_are_refused(name):
    with pytest.raises(OutputError):
        safe_relative_path(name)
    result = journeyql.host.testing.render(SPEC, "evil", plugins=[renderer_plugin("evil", write_text(name))],
                                           installed=False)
    assert result.status == "failed" and result.files == {}


@pytest.mark.parametrize("name", ["console.html", "nullable/a.md", "com10.txt", "auxiliary", "café.html", "a-b_c.d"])
def test_ordinary_names_still_pass(name):
    assert safe_relative_path(name) == name


def _two_files(first, second):
    def render(workspace, context):
        context.write_text(first, "1\n")
        context.write_text(second, "2\n")
    return render


@pytest.mark.parametrize("first, second", [("Report.html", "report.html"), ("a/B.md", "a/b.md"),
                                           ("cafe\u0301.html", "café.html")])
def test_names_differing_only_in_case_or_unicode_form_are_refused(first, second):
    result = journeyql.host.testing.render(SPEC, "twins", plugins=[renderer_plugin("twins", _two_files(first, second))],
                                           installed=False)
    assert result.status == "failed" and "differ only in case" in result.message and result.files == {}


def test_a_case_twin_of_another_renderers_file_is_refused(tmp_path):
    sink = OutputSink(tmp_path / "out")
    sink.begin("one")
    sink.write("index.html", b"1")
    sink.commit()
    sink.begin("two")
    sink.write("INDEX.html", b"2")
    with pytest.raises(OutputError, match=r"INDEX.html and index.html \(renderer one\) differ only in case"):
        sink.commit()
    assert not (tmp_path / "out" / "INDEX.html").exists()


def test_bidi_controls_are_shown_by_code_point_in_the_diff_markdown(tmp_path):
    old = journeyql.load(starter(tmp_path / "old"))
    new_path = starter(tmp_path / "new")
    spoof = "Fill in \u202eevil\u202c the form\u2066x\u2069"
    edit(new_path / "journey.jql", '"Fill in the moving form"', f'"{spoof}"')
    text = diffing.as_markdown(diffing.diff_workspaces(old, journeyql.load(new_path)), new_name="main\u202e")
    assert not re.search("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]", text)
    assert "Fill in \\[U+202E\\]evil\\[U+202C\\] the form\\[U+2066\\]x\\[U+2069\\]" in text
    assert "main\\[U+202E\\]" in text


def test_a_response_file_that_is_not_utf8_is_unreadable_file(ws):
    latin1 = write(ws / "latin1.csv", HEADER.encode() + GOOD.encode()
                   + "r1,j,t,why,café,2026-03-01T10:00:00,p\n".encode("latin-1"))
    fine = write(ws / "fine.csv", HEADER + GOOD.replace("r0", "r9"))
    loaded = load(ws, [latin1, fine])
    assert loaded.rejected == {"unreadable_file": 1} and loaded.rows == 1
    assert [(r["file"], r["reason"]) for r in rejects_of(ws)] == [("latin1.csv", "unreadable_file")]


@pytest.mark.parametrize("value", ["1_0", "1_000", "_5", "5_"])
def test_digit_separators_are_not_numbers(ws, value):
    data = write(ws / "nps.csv", HEADER + f"r1,j,t,nps,{value},2026-03-01T10:00:00,p\n" + GOOD)
    loaded = load(ws, [data])
    assert loaded.rejected == {"not_a_number": 1}
    assert loaded.con.execute("SELECT count(*) FROM responses WHERE item = 'nps'").fetchall() == [(0,)]
