"""A plain XLSX workbook (sheets of strings and numbers, no styles, no formulas) written with the
standard library alone.

Why not openpyxl: importing it costs ~0.17 s of CPU, more than everything else a one-label rebuild
does for the changed journey's survey; an XLSForm needs none of what it offers. What is written is
the minimal SpreadsheetML package (ECMA-376) that Excel, LibreOffice, openpyxl and pyxform read:
the workbook, one worksheet per sheet, the shared strings, a default style and the document
properties. Strings are always strings (``t="s"``), never formulas, whatever they start with.
"""

from __future__ import annotations

import datetime
import io
import math
import re
import zipfile
from xml.sax.saxutils import escape, quoteattr

#: Characters XML 1.0 cannot hold, removed from every string: the control characters openpyxl
#: refuses, and also lone surrogates and the noncharacters U+FFFE and U+FFFF, which openpyxl lets
#: through into a file no XML reader opens (hypothesis found ``'\ufffe'`` in a label)
ILLEGAL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_KEEP = {"\r": "&#13;"}  # a carriage return survives XML's line-end normalisation only as a reference
_PRESERVE = ' xml:space="preserve"'  # leading and trailing spaces kept
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_STYLES = (f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
           '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
           '<fills count="2"><fill><patternFill patternType="none"/></fill>'
           '<fill><patternFill patternType="gray125"/></fill></fills>'
           '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
           '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
           '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
           '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
           '</styleSheet>')


def column_letters(index: int) -> str:
    """``0`` -> ``A``, ``25`` -> ``Z``, ``26`` -> ``AA``: a spreadsheet's column names."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Strings:
    """The shared-string table: each distinct string once, cells refer to it by position."""

    def __init__(self):
        self.index: dict[str, int] = {}

    def of(self, text: str) -> int:
        return self.index.setdefault(text, len(self.index))

    def xml(self) -> str:
        items = "".join(f"<si><t{_PRESERVE if text != text.strip() else ''}>{escape(text, _KEEP)}</t></si>"
                        for text in self.index)
        return f'{_HEAD}<sst xmlns="{_MAIN}" count="{len(self.index)}" uniqueCount="{len(self.index)}">{items}</sst>'


def _cell(ref: str, value, strings: _Strings) -> str:
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)) and not (isinstance(value, float) and not math.isfinite(value)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    text = ILLEGAL_CHARACTERS.sub("", str(value))
    if not text:
        return ""  # an empty cell, as a spreadsheet reads one
    return f'<c r="{ref}" t="s"><v>{strings.of(text)}</v></c>'


def _sheet(rows: list[list], strings: _Strings) -> str:
    out = []
    width = 0
    for number, row in enumerate(rows, 1):
        cells = "".join(_cell(f"{column_letters(i)}{number}", v, strings) for i, v in enumerate(row) if v is not None)
        width = max(width, len(row))
        out.append(f'<row r="{number}">{cells}</row>')
    size = f"A1:{column_letters(max(width, 1) - 1)}{max(len(rows), 1)}"
    return f'{_HEAD}<worksheet xmlns="{_MAIN}"><dimension ref="{size}"/><sheetData>{"".join(out)}</sheetData></worksheet>'


def workbook(sheets: list[tuple[str, list[list]]], *, creator: str, created: datetime.datetime) -> bytes:
    """The XLSX bytes of ``sheets`` ([(title, rows)]); the same input always gives the same bytes
    (fixed properties, entry dates and order)."""
    strings = _Strings()
    parts = [(f"xl/worksheets/sheet{n}.xml", _sheet(rows, strings)) for n, (_, rows) in enumerate(sheets, 1)]
    count = len(sheets)
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_CT}.worksheet+xml"/>'
                        for n in range(1, count + 1))
    content_types = (
        f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>{overrides}'
        f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>')
    root_rels = (
        f'{_HEAD}<Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
        f'<Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/></Relationships>')
    book = (f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            + "".join(f'<sheet name={quoteattr(ILLEGAL_CHARACTERS.sub("", title))} sheetId="{n}" r:id="rId{n}"/>'
                      for n, (title, _) in enumerate(sheets, 1))
            + "</sheets></workbook>")
    book_rels = (f'{_HEAD}<Relationships xmlns="{_PKG_REL}">'
                 + "".join(f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                           for n in range(1, count + 1))
                 + f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
                 f'<Relationship Id="rId{count + 2}" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
                 "</Relationships>")
    core = (f'{_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:creator>{escape(creator)}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')
    app = (f'{_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           f"<Application>{escape(creator)}</Application></Properties>")
    entries = [("[Content_Types].xml", content_types), ("_rels/.rels", root_rels), ("docProps/core.xml", core),
               ("docProps/app.xml", app), ("xl/workbook.xml", book), ("xl/_rels/workbook.xml.rels", book_rels),
               ("xl/styles.xml", _STYLES), *parts, ("xl/sharedStrings.xml", strings.xml())]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in entries:
            entry = zipfile.ZipInfo(name, date_time=created.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            archive.writestr(entry, text.encode("utf-8"))
    return out.getvalue()
