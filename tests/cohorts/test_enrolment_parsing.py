"""Reading a pasted or uploaded list of leaders: every row is checked before anything is saved
(cohorts.enrolment, no database). Workbooks are real .xlsx files written by openpyxl."""

import io

import pytest
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import Workbook

from cohorts.enrolment import (
    UnreadableFile,
    fingerprint,
    parse_leaders,
    read_upload,
)


def workbook(*sheets):
    """The bytes of an .xlsx file with one sheet per list of rows."""
    book = Workbook()
    book.remove(book.active)
    for index, rows in enumerate(sheets):
        sheet = book.create_sheet(f"Ark{index + 1}")
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def problems_of(text):
    return [(p.row, p.field, str(p.message)) for p in parse_leaders(text).problems]


def test_a_clean_list_with_semicolons_gives_its_leaders():
    parsed = parse_leaders("name;email;title;language\n"
                           "Kari Nordmann;kari@kommune.example;kommunedirektør;nb\n"
                           "Jens Hansen;jens@kommune.example;;da\n")
    assert parsed.ok
    assert [(x.name, x.email, x.title, x.language) for x in parsed.leaders] == [
        ("Kari Nordmann", "kari@kommune.example", "kommunedirektør", "nb"),
        ("Jens Hansen", "jens@kommune.example", "", "da")]
    assert parsed.leaders[0].rows == [2]


def test_commas_tabs_quotes_a_bom_and_windows_line_ends_are_read():
    text = ('\ufeffName,Email,Title\r\n"Nordmann, Kari",kari@kommune.example,"leder, HR"\r\n')
    parsed = parse_leaders(text)
    assert parsed.ok
    assert (parsed.leaders[0].name, parsed.leaders[0].title) == ("Nordmann, Kari", "leder, HR")
    tabbed = parse_leaders("navn\te-post\tstilling\nKari\tkari@kommune.example\tleder")
    assert tabbed.ok and tabbed.leaders[0].email == "kari@kommune.example"


def test_header_names_in_norwegian_and_danish_in_any_order_and_case():
    parsed = parse_leaders("E-POST;Navn;Språk\nkari@kommune.example;Kari;NB\n")
    assert parsed.ok and parsed.leaders[0].language == "nb"
    parsed = parse_leaders("navn;e-mail;titel;sprog\nJens;jens@kommune.example;chef;\n")
    assert parsed.ok and parsed.leaders[0].language == ""


def test_an_uploaded_file_is_utf8_with_or_without_a_bom_and_says_so():
    read = read_upload("\ufeffname;email\n".encode())
    assert (read.text, read.encoding) == ("name;email\n", "UTF-8")
    assert "UTF-8" in str(read.notice)
    with pytest.raises(UnreadableFile):
        read_upload(b"x" * (2 * 1024 * 1024 + 1))


def test_text_that_is_not_utf8_is_read_as_windows_1252_as_norwegian_excel_saves_csv():
    data = "Navn;E-post;Tittel\nKåre Ødegård;kare@kommune.example;rådgiver – IT\n"
    read = read_upload(data.encode("cp1252"), "ledere.csv")
    assert read.encoding == "Windows-1252"
    assert read.text == data
    assert "Windows-1252" in str(read.notice)
    parsed = parse_leaders(read.text)
    assert parsed.ok and parsed.leaders[0].name == "Kåre Ødegård"
    assert parsed.leaders[0].title == "rådgiver – IT"  # the en dash is 0x96 in Windows-1252


def test_utf16_text_with_a_bom_is_read_and_binary_junk_is_refused():
    read = read_upload("navn\te-post\nÅse\tase@x.example\n".encode("utf-16"))
    assert read.encoding == "UTF-16" and parse_leaders(read.text).ok
    with pytest.raises(UnreadableFile, match="Excel 97"):
        read_upload(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "ledere.xls")
    with pytest.raises(UnreadableFile):
        read_upload(b"\x81\x8d\x8f\x90\x9d")  # neither UTF-8 nor Windows-1252


def test_the_first_sheet_of_an_xlsx_workbook_is_read_with_the_same_checks():
    data = workbook(
        [["Navn", "E-post", "Tittel", "Språk"],
         ["Kåre Ødegård", "kare@kommune.example", "rådgiver", "nb"],
         ["Jens Hansen", "jens@kommune.example", None, "da"],
         [None, None, None, None],
         ["Liv Berg", "liv.kommune.example", 12345, None]],
        [["name", "email"], ["Not Read", "not@read.example"]])
    read = read_upload(data, "ledere.xlsx")
    assert read.encoding == "xlsx"
    assert "first sheet" in str(read.notice)
    parsed = parse_leaders(read.text)
    assert [(p.row, p.field) for p in parsed.problems] == [(5, "email")]  # rows as in Excel
    fixed = read.text.replace("liv.kommune.example", "liv@kommune.example")
    parsed = parse_leaders(fixed)
    assert [(x.name, x.email, x.title, x.language) for x in parsed.leaders] == [
        ("Kåre Ødegård", "kare@kommune.example", "rådgiver", "nb"),
        ("Jens Hansen", "jens@kommune.example", "", "da"),
        ("Liv Berg", "liv@kommune.example", "12345", "")]  # a number reads as written
    assert "not@read.example" not in read.text


def test_a_workbook_without_its_extension_is_recognised_and_a_broken_one_is_refused():
    data = workbook([["name", "email"], ["Kari", "kari@x.example"]])
    assert read_upload(data, "upload").encoding == "xlsx"
    with pytest.raises(UnreadableFile, match="Excel workbook"):
        read_upload(data[:200], "ledere.xlsx")


def test_a_workbook_longer_than_the_limit_is_refused_not_cut():
    rows = [["name", "email"]] + [[f"L{n}", f"l{n}@x.example"] for n in range(2001)]
    parsed = parse_leaders(read_upload(workbook(rows)).text)
    assert [p.message for p in parsed.problems] == [
        "The list has more than 2000 rows. Split it into smaller lists."]


def test_an_extra_column_from_an_hr_export_is_ignored_with_a_notice():
    parsed = parse_leaders("Fornavn;Etternavn;Avdeling;E-post\n"
                           "Kari;Nordmann;Helse og omsorg;kari@kommune.example\n"
                           "Ola;;Teknisk;ola@kommune.example\n")
    assert parsed.ok
    assert [(x.name, x.email) for x in parsed.leaders] == [
        ("Kari Nordmann", "kari@kommune.example"), ("Ola", "ola@kommune.example")]
    assert len(parsed.notices) == 1 and "“Avdeling”" in str(parsed.notices[0])


@pytest.mark.parametrize(("header", "row", "name"), [
    ("navn;epost", "Kari Nordmann;k@x.example", "Kari Nordmann"),
    ("Fornavn;Etternavn;E-post", "Kari;Nordmann;k@x.example", "Kari Nordmann"),
    ("navn;e-mail", "Kari Nordmann;k@x.example", "Kari Nordmann"),
    ("Fornavn;Efternavn;Mail", "Kari;Nordmann;k@x.example", "Kari Nordmann"),
    ("Name;Email", "Kari Nordmann;k@x.example", "Kari Nordmann"),
    ("First name;Last name;E-mail address", "Kari;Nordmann;k@x.example", "Kari Nordmann"),
    ("Navn;Mailadresse;Jobtitel", "Kari Nordmann;k@x.example;chef", "Kari Nordmann")])
def test_header_names_in_norwegian_danish_and_english(header, row, name):
    parsed = parse_leaders(f"{header}\n{row}\n")
    assert parsed.ok and not parsed.notices, parsed.problems
    assert (parsed.leaders[0].name, parsed.leaders[0].email) == (name, "k@x.example")


def test_a_nul_character_is_a_named_row_error():
    problems = problems_of("name;email\nKari;kari@x.example\nOla\x00;ola@x.example\n")
    assert [(row, field) for row, field, _message in problems] == [(3, "")]
    assert "NUL character" in problems[0][2] and "not allowed" in problems[0][2]
    assert problems_of("name\x00;email\nKari;kari@x.example\n")[0][:2] == (1, "")


@pytest.mark.parametrize("language", ["en", "nb"])
def test_every_kind_of_wrong_row_is_named_by_row_field_and_reason(language):
    text = ("name;email;title;language\n"
            "Kari Nordmann;kari@kommune.example;;nb\n"      # row 2 fine
            ";ola@kommune.example;;\n"                      # row 3 no name
            "Per Hansen;;;\n"                               # row 4 no email
            "Liv Berg;liv.kommune.example;;\n"              # row 5 bad email
            "Åse Dahl;ase@kommune.example;;sv\n"            # row 6 unknown language
            f"{'N' * 161};long@kommune.example;;\n"         # row 7 name too long
            "Ida Ek;ida@kommune.example;;;extra\n")         # row 8 value without a header
    with translation.override(language):
        problems = problems_of(text)
        expected = [
            (3, "name", gettext("The name is missing.")),
            (4, "email", gettext("The email address is missing.")),
            (5, "email", gettext("“%(value)s” is not a valid email address.")
             % {"value": "liv.kommune.example"}),
            (6, "language", gettext(
                "“%(value)s” is not a language Bro knows. Use nb, nn, da or en, or leave it empty "
                "for the network's language.") % {"value": "sv"}),
            (7, "name", gettext("The name is longer than %(max)s characters.") % {"max": 160}),
            (8, "", gettext("This row has a value in a column without a header: "
                            "“%(value)s”.") % {"value": "extra"}),
        ]
    assert problems == expected
    assert parse_leaders(text).leaders == []  # nothing to save while any row is wrong


def test_repeated_and_missing_columns_are_problems_of_row_1_unknown_ones_only_notices():
    parsed = parse_leaders("name;email;phone\nKari;k@x.example;123\n")
    assert parsed.ok and "phone" in str(parsed.notices[0])
    assert problems_of("name;email;email\n") == [(1, "email", "This column appears twice.")]
    missing = problems_of("name;title\nKari;leder\n")
    assert [(row, field) for row, field, _message in missing] == [(1, "email")]
    missing = problems_of("email;avdeling\nk@x.example;IT\n")
    assert [(row, field) for row, field, _message in missing] == [(1, "name")]


def test_an_empty_list_or_one_without_rows_is_refused():
    assert problems_of("   \n") == [(None, "", "The list is empty.")]
    assert problems_of("name;email\n\n;;\n") == [
        (None, "", "The list names no leaders below its header.")]


def test_blank_rows_are_skipped_but_still_counted():
    parsed = parse_leaders("name;email\n\nKari;kari@x.example\n;\nbad;nope\n")
    assert parsed.problems[0].row == 5


def test_the_same_email_twice_is_merged_into_one_leader():
    parsed = parse_leaders("name;email;title;language\n"
                           "Kari Nordmann;Kari@Kommune.example;;\n"
                           "Ola Nordmann;ola@kommune.example;;\n"
                           "K. Nordmann;kari@kommune.EXAMPLE;direktør;da\n")
    assert parsed.ok
    assert len(parsed.leaders) == 2
    kari = parsed.leaders[0]
    assert (kari.name, kari.title, kari.language, kari.rows) == (
        "Kari Nordmann", "direktør", "da", [2, 4])
    assert parsed.merged == [kari]


def test_the_fingerprint_ignores_line_ends_and_a_bom_but_not_content():
    assert fingerprint("name;email\r\nKari;k@x.example") == fingerprint(
        "\ufeffname;email\nKari;k@x.example\n")
    assert fingerprint("name;email\nKari;k@x.example") != fingerprint(
        "name;email\nKaro;k@x.example")
