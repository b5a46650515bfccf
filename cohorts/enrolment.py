"""Reading a list of leaders (pasted text, an uploaded CSV file or an Excel workbook) before
anything is saved.

Pure functions: they get text or bytes and answer with the leaders to enrol, or with every row
that is wrong and why, numbered as the coordinator counts rows in their file (the header is row
1). A workbook's first sheet becomes tab-separated text, so it is checked, shown and confirmed
exactly as a pasted list. Nothing here touches the database; cohorts.selectors sorts the
leaders into new and known people and cohorts.services writes them.
"""

import codecs
import csv
import datetime
import hashlib
import io
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

LANGUAGES = ("nb", "nn", "da", "en")
MAX_ROWS = 2000
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_NAME_LENGTH = 160
MAX_EMAIL_LENGTH = 254
MAX_COLUMNS = 50
DELIMITERS = ("\t", ";", ",")
XLSX_MAGIC = b"PK\x03\x04"
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"

# Header names a coordinator may use, in any of Bro's languages (compared lower-cased).
HEADERS = {
    "name": {"name", "full name", "navn", "fullt navn", "fulde navn", "fuldt navn", "namn",
             "fullt namn"},
    "first_name": {"first name", "given name", "fornavn", "førenamn", "fornamn"},
    "last_name": {"last name", "surname", "family name", "etternavn", "efternavn",
                  "etternamn"},
    "email": {"email", "e-mail", "e-post", "epost", "mail", "email address", "e-mail address",
              "e-postadresse", "epostadresse", "e-mailadresse", "mailadresse"},
    "title": {"title", "job title", "tittel", "stilling", "stillingstittel", "titel",
              "stillingsbetegnelse", "jobtitel"},
    "language": {"language", "språk", "sprog"},
}
FIELD_LABELS = {"name": _("name"), "first_name": _("first name"), "last_name": _("last name"),
                "email": _("email"), "title": _("title"), "language": _("language")}
NAME_FIELDS = ("name", "first_name", "last_name")

UTF8, WINDOWS_1252, UTF16, XLSX = "UTF-8", "Windows-1252", "UTF-16", "xlsx"


class UnreadableFile(Exception):
    """The upload cannot be read as text or as a workbook (or is too big); the message says
    what to do."""


@dataclass(frozen=True)
class Upload:
    """The text of an uploaded file and how it was read (one of UTF8, WINDOWS_1252, UTF16,
    XLSX), so the coordinator is told."""

    text: str
    encoding: str

    @property
    def notice(self):
        if self.encoding == XLSX:
            return _("The first sheet of the Excel workbook was read.")
        if self.encoding == WINDOWS_1252:
            return _("The file was read as Windows-1252 text (what Excel in Norway and Denmark "
                     "saves as “CSV”). If letters such as æ, ø and å look wrong below, save it "
                     "as “CSV UTF-8” and upload it again.")
        return _("The file was read as %(encoding)s text.") % {"encoding": self.encoding}


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
    notices: list = field(default_factory=list)  # what was read but not used

    @property
    def ok(self):
        return not self.problems


def read_upload(data, filename=""):
    """The text of an uploaded file: an Excel workbook's first sheet, or CSV text in UTF-8
    (with or without a byte order mark), UTF-16 with a byte order mark (Excel's "Unicode
    text"), or else Windows-1252 (Excel's "CSV" in Norway and Denmark)."""
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(_("The file is larger than 2 MB. Split it into smaller files."))
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith((".xlsx", ".xlsm")):
        return Upload(_workbook_text(data), XLSX)
    if data.startswith(OLD_EXCEL_MAGIC):
        raise UnreadableFile(_("This is an Excel 97–2003 workbook (.xls). In Excel, save it "
                               "as “Excel Workbook (.xlsx)” or “CSV UTF-8” and upload it "
                               "again."))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return Upload(data.decode("utf-16"), UTF16)
        except UnicodeDecodeError:
            pass
    else:
        try:
            return Upload(data.decode("utf-8-sig"), UTF8)
        except UnicodeDecodeError:
            try:
                return Upload(data.decode("cp1252"), WINDOWS_1252)
            except UnicodeDecodeError:
                pass
    raise UnreadableFile(_("The file could not be read as text. In Excel, save it as "
                           "“CSV UTF-8” or “Excel Workbook (.xlsx)” and upload it again."))


def _cell_text(value):
    """A workbook cell as the text a coordinator sees in it (12345, not 12345.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime.datetime | datetime.date):
        value = value.isoformat()
    return " ".join(str(value).split())


def _workbook_text(data):
    """The first sheet of a workbook as tab-separated rows, at most one row more than a list
    may have (so a longer one is refused by the row limit, not cut silently)."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError):
        raise UnreadableFile(_("The file could not be read as an Excel workbook (.xlsx). "
                               "Save it again in Excel, or as “CSV UTF-8”, and upload it "
                               "again.")) from None
    try:
        sheet = workbook.worksheets[0]
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
        for row in sheet.iter_rows(max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS,
                                   values_only=True):
            writer.writerow([_cell_text(value) for value in row])
        return buffer.getvalue()
    finally:
        workbook.close()


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


def _read_header(cells, problems, notices):
    """Map column index → field name. A column Bro does not use is ignored with a notice;
    repeated and missing columns are problems."""
    columns = {}
    for index, cell in enumerate(cells):
        if not cell.strip():
            continue
        name = _field_of_header(cell)
        if name is None:
            notices.append(_("The column “%(column)s” is not used: Bro reads name (or first "
                             "and last name), email, title and language. Its values are "
                             "ignored.") % {"column": cell.strip()})
        elif name in columns.values():
            problems.append(RowProblem(1, name, _("This column appears twice.")))
        else:
            columns[index] = name
    if not set(NAME_FIELDS) & set(columns.values()):
        problems.append(RowProblem(1, "name", _(
            "The first row must name the columns, and a column for %(field)s is "
            "missing.") % {"field": FIELD_LABELS["name"]}))
    if "email" not in columns.values():
        problems.append(RowProblem(1, "email", _(
            "The first row must name the columns, and a column for %(field)s is "
            "missing.") % {"field": FIELD_LABELS["email"]}))
    return columns


def _check_row(number, values, problems):
    """Append this row's problems; answer the leader it names when it has none."""
    before = len(problems)
    name = values.get("name") or " ".join(
        part for part in (values.get("first_name", ""), values.get("last_name", "")) if part)
    email = values.get("email", "")
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
            "“%(value)s” is not a language Bro knows. Use nb, nn, da or en, or leave it empty "
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


NUL_NOT_ALLOWED = _("This row contains a NUL character (an invisible control character, "
                    "often left by another program), which is not allowed. Remove it, or "
                    "save the file again from Excel.")


def parse_leaders(text):
    """Every leader the list names, or every row that is wrong (then nothing may be saved).
    Columns Bro does not use are read past, and `notices` says which."""
    text = normalise_text(text)
    if not text:
        return LeaderList([], [RowProblem(None, "", _("The list is empty."))], [])
    lines = text.split("\n")
    records = list(csv.reader(lines, delimiter=_delimiter(lines[0])))
    problems, notices = [], []
    if any("\x00" in cell for cell in records[0]):
        return LeaderList([], [RowProblem(1, "", NUL_NOT_ALLOWED)], [])
    columns = _read_header(records[0], problems, notices)
    ignored = {index for index, cell in enumerate(records[0])
               if cell.strip() and index not in columns}
    if problems:
        return LeaderList([], problems, [], notices)
    if len(records) - 1 > MAX_ROWS:
        return LeaderList([], [RowProblem(None, "", _(
            "The list has more than %(max)s rows. Split it into smaller lists.")
            % {"max": MAX_ROWS})], [], notices)
    leaders = []
    for number, cells in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if any("\x00" in cell for cell in cells):
            problems.append(RowProblem(number, "", NUL_NOT_ALLOWED))
            continue
        extra = [cell for index, cell in enumerate(cells)
                 if index not in columns and index not in ignored and cell.strip()]
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
        return LeaderList([], problems, [], notices)
    leaders, merged = _merge(leaders)
    return LeaderList(leaders, [], merged, notices)
