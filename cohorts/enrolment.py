"""Reading a list of leaders (pasted text or an uploaded CSV file) before anything is saved.

Pure functions: they get text or bytes and answer with the leaders to enrol, or with every row
that is wrong and why, numbered as the coordinator counts rows in their file (the header is row
1). Nothing here touches the database; cohorts.selectors sorts the leaders into new and known
people and cohorts.services writes them.
"""

import csv
import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("nb", "da", "en")
MAX_ROWS = 2000
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_NAME_LENGTH = 160
MAX_EMAIL_LENGTH = 254
DELIMITERS = ("\t", ";", ",")

# Header names a coordinator may use, in any of the three languages (compared lower-cased).
HEADERS = {
    "name": {"name", "full name", "navn", "fullt navn", "fulde navn"},
    "email": {"email", "e-mail", "e-post", "epost", "mail", "email address", "e-postadresse",
              "e-mailadresse"},
    "title": {"title", "job title", "tittel", "stilling", "titel", "stillingsbetegnelse"},
    "language": {"language", "språk", "sprog"},
}
FIELD_LABELS = {"name": _("name"), "email": _("email"), "title": _("title"),
                "language": _("language")}


class UnreadableFile(Exception):
    """The upload is not UTF-8 text (or too big); the message says what to do."""


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong: in which row (None for the whole list), which field, and why."""

    row: int | None
    field: str
    message: str

    @property
    def field_label(self):
        return FIELD_LABELS.get(self.field, "")


@dataclass
class Leader:
    """One person to enrol; `rows` lists every row of the file that named them."""

    name: str
    email: str
    title: str = ""
    language: str = ""
    rows: list = field(default_factory=list)

    @property
    def key(self):
        return self.email.lower()


@dataclass
class LeaderList:
    leaders: list
    problems: list
    merged: list  # leaders that more than one row named

    @property
    def ok(self):
        return not self.problems


def decode_upload(data):
    """The text of an uploaded file: UTF-8, with or without a byte order mark."""
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(_("The file is larger than 2 MB. Split it into smaller files."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(_("The file is not UTF-8 text. In Excel, save it as "
                               "“CSV UTF-8” and upload it again.")) from None


def fingerprint(text):
    """A short hash of the text that was checked, so only a checked list can be enrolled."""
    return hashlib.sha256(normalise_text(text).encode()).hexdigest()[:32]


def normalise_text(text):
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").strip()


def _delimiter(header_line):
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _field_of_header(cell):
    label = cell.strip().strip('"').strip().lower()
    return next((name for name, labels in HEADERS.items() if label in labels), None)


def _read_header(cells, problems):
    """Map column index → field name; unknown, repeated and missing columns are problems."""
    columns = {}
    for index, cell in enumerate(cells):
        if not cell.strip():
            continue
        name = _field_of_header(cell)
        if name is None:
            problems.append(RowProblem(1, "", _(
                "Unknown column “%(column)s”. The columns are name, email, title and "
                "language.") % {"column": cell.strip()}))
        elif name in columns.values():
            problems.append(RowProblem(1, name, _("This column appears twice.")))
        else:
            columns[index] = name
    for required in ("name", "email"):
        if required not in columns.values():
            problems.append(RowProblem(1, required, _(
                "The first row must name the columns, and a column for %(field)s is "
                "missing.") % {"field": FIELD_LABELS[required]}))
    return columns


def _check_row(number, values, problems):
    """Append this row's problems; answer the leader it names when it has none."""
    before = len(problems)
    name, email = values.get("name", ""), values.get("email", "")
    title, language = values.get("title", ""), values.get("language", "").lower()
    if not name:
        problems.append(RowProblem(number, "name", _("The name is missing.")))
    elif len(name) > MAX_NAME_LENGTH:
        problems.append(RowProblem(number, "name", _(
            "The name is longer than %(max)s characters.") % {"max": MAX_NAME_LENGTH}))
    if not email:
        problems.append(RowProblem(number, "email", _("The email address is missing.")))
    else:
        try:
            if len(email) > MAX_EMAIL_LENGTH:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            problems.append(RowProblem(number, "email", _(
                "“%(value)s” is not a valid email address.") % {"value": email}))
    if len(title) > MAX_NAME_LENGTH:
        problems.append(RowProblem(number, "title", _(
            "The title is longer than %(max)s characters.") % {"max": MAX_NAME_LENGTH}))
    if language and language not in LANGUAGES:
        problems.append(RowProblem(number, "language", _(
            "“%(value)s” is not a language Bro knows. Use nb, da or en, or leave it empty "
            "for the network's language.") % {"value": values.get("language", "")}))
    if len(problems) > before:
        return None
    return Leader(name=name, email=email, title=title, language=language, rows=[number])


def _merge(leaders):
    """One leader per email (case-insensitive): the first row wins, later rows fill gaps."""
    by_key = {}
    for leader in leaders:
        first = by_key.get(leader.key)
        if first is None:
            by_key[leader.key] = leader
            continue
        first.rows.extend(leader.rows)
        first.title = first.title or leader.title
        first.language = first.language or leader.language
    merged = [leader for leader in by_key.values() if len(leader.rows) > 1]
    return list(by_key.values()), merged


def parse_leaders(text):
    """Every leader the list names, or every row that is wrong (then nothing may be saved)."""
    text = normalise_text(text)
    if not text:
        return LeaderList([], [RowProblem(None, "", _("The list is empty."))], [])
    lines = text.split("\n")
    records = list(csv.reader(lines, delimiter=_delimiter(lines[0])))
    problems = []
    columns = _read_header(records[0], problems)
    if problems:
        return LeaderList([], problems, [])
    if len(records) - 1 > MAX_ROWS:
        return LeaderList([], [RowProblem(None, "", _(
            "The list has more than %(max)s rows. Split it into smaller lists.")
            % {"max": MAX_ROWS})], [])
    leaders = []
    for number, cells in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        extra = [cell for index, cell in enumerate(cells)
                 if index not in columns and cell.strip()]
        if extra:
            problems.append(RowProblem(number, "", _(
                "This row has a value in a column without a header: “%(value)s”.")
                % {"value": extra[0].strip()}))
            continue
        values = {name: cells[index].strip() for index, name in columns.items()
                  if index < len(cells)}
        leader = _check_row(number, values, problems)
        if leader is not None:
            leaders.append(leader)
    if not leaders and not problems:
        problems.append(RowProblem(None, "", _("The list names no leaders below its header.")))
    if problems:
        return LeaderList([], problems, [])
    leaders, merged = _merge(leaders)
    return LeaderList(leaders, [], merged)
