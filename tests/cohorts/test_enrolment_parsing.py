"""Reading a pasted or uploaded list of leaders: every row is checked before anything is saved
(cohorts.enrolment, no database)."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from cohorts.enrolment import (
    UnreadableFile,
    decode_upload,
    fingerprint,
    parse_leaders,
)


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


def test_an_uploaded_file_may_have_a_bom_but_must_be_utf8():
    assert decode_upload("\ufeffname;email\n".encode()) == "name;email\n"
    with pytest.raises(UnreadableFile):
        decode_upload("navn;e-post\nKåre;k@x.example\n".encode("latin-1"))
    with pytest.raises(UnreadableFile):
        decode_upload(b"x" * (2 * 1024 * 1024 + 1))


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
                "“%(value)s” is not a language Bro knows. Use nb, da or en, or leave it empty "
                "for the network's language.") % {"value": "sv"}),
            (7, "name", gettext("The name is longer than %(max)s characters.") % {"max": 160}),
            (8, "", gettext("This row has a value in a column without a header: "
                            "“%(value)s”.") % {"value": "extra"}),
        ]
    assert problems == expected
    assert parse_leaders(text).leaders == []  # nothing to save while any row is wrong


def test_unknown_repeated_and_missing_columns_are_problems_of_row_1():
    assert problems_of("name;email;phone\nKari;k@x.example;123\n")[0][:2] == (1, "")
    assert "phone" in problems_of("name;email;phone\n")[0][2]
    assert problems_of("name;email;email\n") == [(1, "email", "This column appears twice.")]
    missing = problems_of("name;title\nKari;leder\n")
    assert [(row, field) for row, field, _message in missing] == [(1, "email")]


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
