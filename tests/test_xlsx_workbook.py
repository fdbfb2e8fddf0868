"""The standard-library XLSX writer of the surveys plugin (`journeyql_surveys/workbook.py`), read back
by openpyxl (what pyxform, ODK's converter, reads workbooks with): every value, type and sheet as written."""

from __future__ import annotations

import datetime
import io
import math
import zipfile

from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from journeyql_surveys.workbook import ILLEGAL_CHARACTERS, column_letters, workbook

EPOCH = datetime.datetime(2000, 1, 1)

_values = st.one_of(
    st.text(max_size=12),  # any unicode: XML specials, spaces at the ends, control characters, "=SUM(A1)"
    st.sampled_from(["=1+1", " lead", "trail ", "a\r\nb", "<b>&amp;</b>", "${x}", '"q"', "'"]),
    st.integers(-10**12, 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.booleans(),
)
_rows = st.lists(st.lists(_values, min_size=1, max_size=5), min_size=1, max_size=6)
_titles = st.sampled_from(["survey", "choices", "settings", "a & b", "ünïcode"])


def _expected(value):
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS.sub("", value)
        return text or None  # an empty string is an empty cell
    return value


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_titles, _rows), min_size=1, max_size=3, unique_by=lambda sheet: sheet[0]))
@example(sheets=[("survey", [["\ufffe"]])])  # a noncharacter XML cannot hold: found by hypothesis in CI
@example(sheets=[("survey", [["a\ud800b", "\uffff"]])])
def test_openpyxl_reads_back_what_was_written(sheets):
    data = workbook(sheets, creator="JourneyQL", created=EPOCH)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == [title for title, _ in sheets]
    assert book.properties.creator == "JourneyQL" and book.properties.created == EPOCH
    for (title, rows), sheet in zip(sheets, book.worksheets):
        read = [list(row) for row in sheet.iter_rows(values_only=True)]
        width = max(len(row) for row in rows)
        expected = [[_expected(v) for v in row] + [None] * (width - len(row)) for row in rows]
        # trailing empty rows are not rows to a spreadsheet
        while expected and all(v is None for v in expected[-1]):
            expected.pop()
        read = read[:len(expected)]
        assert len(read) == len(expected)
        for got_row, want_row in zip(read, expected):
            got_row = got_row + [None] * (width - len(got_row))
            for got, want in zip(got_row, want_row):
                if isinstance(want, float):
                    assert isinstance(got, (int, float)) and (got == want or math.isclose(got, want))
                else:
                    assert got == want and type(got) is type(want)


def test_strings_are_never_formulas_and_bytes_are_stable():
    sheets = [("survey", [["type", "label"], ["text", "=HYPERLINK(\"x\")"]])]
    data = workbook(sheets, creator="JourneyQL", created=EPOCH)
    assert data == workbook(sheets, creator="JourneyQL", created=EPOCH)
    book = load_workbook(io.BytesIO(data))
    cell = book["survey"]["B2"]
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert all(info.date_time == (2000, 1, 1, 0, 0, 0) for info in archive.infolist())
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_column_letters():
    # hand-checked: Z is the 26th column, AA the 27th, AZ the 52nd, BA the 53rd, ZZ the 702nd, AAA the 703rd
    assert [column_letters(i) for i in (0, 25, 26, 51, 52, 701, 702)] == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]
