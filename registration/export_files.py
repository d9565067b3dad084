"""Writing tables as files: CSV (UTF-8 with BOM, safe against formula injection) and XLSX (openpyxl
write_only), both row by row so a large export never holds the whole sheet in memory."""

from __future__ import annotations

import codecs
import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import BinaryIO

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from sessions.models import LOCAL_TZ

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value) -> str | int | float:
    """A value as it goes into a file: numbers stay numbers, times become Stockholm time, None is empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value, LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
    return str(value)


def csv_safe(value) -> str | int | float:
    """The cell for CSV: text that a spreadsheet would run as a formula gets a leading apostrophe."""
    value = cell_text(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(headings: Sequence[str], rows: Iterable[Sequence]) -> Iterator[bytes]:
    """The CSV file as encoded chunks: a UTF-8 byte order mark (so Excel reads å, ä, ö), then one line per row."""
    writer = csv.writer(_Echo())
    yield codecs.BOM_UTF8
    yield writer.writerow([str(h) for h in headings]).encode("utf-8")
    for row in rows:
        yield writer.writerow([csv_safe(v) for v in row]).encode("utf-8")


def write_xlsx(out: BinaryIO, sheet_title: str, headings: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Write one sheet to `out` in openpyxl's write_only mode; returns the number of data rows.

    Every text cell is stored as text, never as a formula, whatever it starts with.
    """
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_sheet_title(sheet_title))
    sheet.freeze_panes = "A2"
    sheet.append([str(h) for h in headings])
    count = 0
    for row in rows:
        cells = []
        for value in row:
            value = cell_text(value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
        count += 1
    book.save(out)
    return count


def _sheet_title(title: str) -> str:
    """Excel sheet names: at most 31 characters, none of : \\ / ? * [ ]."""
    cleaned = "".join("-" if c in ':\\/?*[]' else c for c in str(title)).strip("'") or "Sheet"
    return cleaned[:31]


def download(fmt: str, filename: str, sheet_title: str, headings: Sequence[str], rows: Iterable[Sequence]):
    """The response for a download in `fmt` ("csv" or "xlsx"); `filename` is without extension."""
    if fmt == "csv":
        response = StreamingHttpResponse(csv_lines(headings, rows), content_type=CSV_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    # openpyxl's write_only mode streams rows to a temporary file; the response streams that file and closes it.
    out = tempfile.TemporaryFile()  # noqa: SIM115
    write_xlsx(out, sheet_title, headings, rows)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE)
