"""The one way exports are written (tenancy.spreadsheet): no cell of a CSV or a workbook ever
reads as a formula, numbers stay numbers, and a workbook takes any text without breaking."""

import csv
import io
import zipfile

import pytest
from django.utils import translation
from openpyxl import load_workbook

from tenancy.spreadsheet import csv_text, safe_cell, xlsx_bytes

FORMULAS = ["=1+1", "+1", "-1+2", "@SUM(A1)", "=HYPERLINK(\"http://x\",\"y\")"]


def test_csv_cells_that_start_like_a_formula_get_a_leading_quote():
    text = csv_text(["Name", "Count"], [[value, 3] for value in FORMULAS])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == ["'" + value for value in FORMULAS]
    assert {row[1] for row in rows[1:]} == {"3"}
    assert safe_cell("Kari") == "Kari"


@pytest.mark.parametrize(("language", "written"), [("en", "3.5"), ("nb", "3,5"), ("da", "3,5")])
def test_csv_numbers_carry_the_languages_decimal_mark(language, written):
    with translation.override(language):
        text = csv_text(["Mean"], [[3.5], [-0.5], [None]])
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == [written, written.replace("3", "-0"), ""]


def test_workbook_text_is_never_a_formula_and_numbers_stay_numbers():
    data = xlsx_bytes(["Name", "Count"], [[value, -2] for value in FORMULAS] + [[None, 1.5]],
                      sheet_title="Results: 2026/27")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Results  2026 27"  # characters a sheet name cannot hold are gone
    rows = list(sheet.iter_rows(min_row=2))
    assert [(row[0].value, row[0].data_type) for row in rows[:-1]] == [
        (value, "s") for value in FORMULAS]
    assert [row[1].value for row in rows] == [-2] * len(FORMULAS) + [1.5]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_a_workbook_leaves_out_control_characters_instead_of_failing():
    data = xlsx_bytes(["Name"], [["Kari\x00 Nord\x1bmann"]], sheet_title="Progress")
    assert load_workbook(io.BytesIO(data)).active["A2"].value == "Kari Nordmann"
