"""Files people open in Excel (CSV and .xlsx): the one rule that keeps a cell from reading as a
formula, and the one way an export is written in either format."""

import csv
import io
import re

from django.http import HttpResponse
from django.utils import formats
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

CSV, XLSX = "csv", "xlsx"
FORMATS = (CSV, XLSX)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Keep a spreadsheet from reading a name as a formula."""
    text = str(value)
    return "'" + text if text[:1] in FORMULA_STARTS else text


def _csv_value(value):
    """Text guarded by safe_cell; numbers with the active language's decimal mark (Excel in
    Norway and Denmark reads "3,5" as a number and "3.5" as text)."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return safe_cell(value)
    return formats.number_format(value, use_l10n=True)


def csv_text(header, rows):
    """UTF-8 with a byte order mark and semicolons, as Excel in Norway and Denmark expects."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_csv_value(value) for value in header])
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return "\ufeff" + buffer.getvalue()


def _xlsx_cell(sheet, value):
    """Numbers stay numbers; everything else is stored as text, never as a formula, so a cell
    that starts with = + - @ reads exactly as written. Characters a workbook cannot hold
    (control characters) are left out."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return WriteOnlyCell(sheet, value=value)
    cell = WriteOnlyCell(sheet, value=None)
    text = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
    if text:
        cell.value = text
        cell.data_type = "s"
    return cell


def xlsx_bytes(header, rows, *, sheet_title):
    """A workbook of one sheet: the header row, then the rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=re.sub(r"[\[\]:*?/\\]", " ", sheet_title)[:31] or "Sheet")
    sheet.append([_xlsx_cell(sheet, value) for value in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def spreadsheet_response(file_format, header, rows, *, filename, sheet_title):
    """An export as a download: `filename` without its extension; `rows` hold text and
    numbers (None for an empty cell)."""
    if file_format == XLSX:
        response = HttpResponse(
            xlsx_bytes(header, rows, sheet_title=sheet_title), content_type=XLSX_CONTENT_TYPE
        )
    else:
        response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    response["Cache-Control"] = "private, no-store"
    return response
