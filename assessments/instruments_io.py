"""Instrument files (assessments/instruments/FORMAT.md) in and out of the database.

`parse_instrument` reads and checks a file and refuses a bad one with an `InstrumentFileError`
that names the field and the line, so an operator can fix it; `import_instrument` stores a
checked file as Instrument/Area/Dimension/Item rows; `export_instrument` gives the file back.
A (slug, version) is immutable once loaded: the same content again changes nothing, other
content is refused, and a later version is new rows, so earlier rounds keep their items. The one
exception adds without changing: a file that only adds a language the stored version lacks (nn,
since Bro speaks Nynorsk) adds those texts, and every text already stored stays as it was.
"""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from assessments.models import Area, Dimension, Instrument, InstrumentKind, Item

SHIPPED_DIR = Path(__file__).resolve().parent / "instruments"
SHIPPED_FILES = ["digital_maturity.toml", "capabilities.toml", "competence_wheel.toml"]

FORMAT_VERSION = 1
# A text may lack Nynorsk (a file written before Bro spoke it): it is then shown in Bokmål.
OPTIONAL_LANGUAGES = ("nn",)
# A text may hold languages Bro does not offer yet (one being added); they are kept as written.
LANGUAGE_CODE_PATTERN = re.compile(r"^[a-z]{2,3}(-[a-z0-9]+)?$")
ANSWER_KINDS = ("today", "ambition")
CODE_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SLUG_MAX, AREA_CODE_MAX, DIMENSION_CODE_MAX, ITEM_CODE_MAX = 50, 50, 50, 40
FACETS = ("knowledge", "skills", "attitude")
LEVELS = ("organisational", "personal")
LEVEL_BY_KIND = {InstrumentKind.GENERATIONS: "floor", InstrumentKind.PROFILE: "none",
                 InstrumentKind.WHEEL: "none"}

TOP_LEVEL_KEYS = {"format", "slug", "version", "kind", "answer_kinds", "allow_dont_know", "name",
                  "description", "answer_kind_labels", "dont_know_label", "scale", "scoring",
                  "areas", "dimensions"}
DIMENSION_KEYS = {"code", "area", "facet", "level", "name", "description", "discussion_prompt",
                  "items"}


class InstrumentFileError(ValueError):
    """A file that does not follow FORMAT.md: which field, on which line, and what is wrong."""

    def __init__(self, message, *, field="", line=None, source=""):
        self.message, self.field, self.line, self.source = message, field, line, source
        where = ":".join(str(part) for part in (source, line) if part)
        text = f"{field}: {message}" if field else message
        super().__init__(f"{where}: {text}" if where else text)


class InstrumentVersionConflict(ValueError):
    """The slug and version are loaded already with other content."""


def configured_languages():
    """The language codes every text must have: the ones Bro's pages are offered in."""
    return [code for code, _name in settings.LANGUAGES]


# ------------------------------------------------------------------------------------------
# Where each key of a TOML file is written


def _split_key(text):
    """The parts of a dotted TOML key (bare or quoted), e.g. 'a."b.c".d' -> [a, b.c, d]."""
    parts, current, quote = [], "", None
    for char in text:
        if quote:
            if char == quote:
                quote = None
            else:
                current += char
        elif char in "\"'":
            quote = char
        elif char == ".":
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return parts


class KeyLines:
    """Maps the path of each key (('dimensions', 2, 'items', 0, 'code')) to its line.

    Enough of TOML to follow tables, arrays of tables, dotted keys, inline tables on one
    line, multi-line strings and multi-line arrays. A path that was never written (a missing
    field) falls back to the line of its nearest written parent."""

    def __init__(self, text):
        self.lines = {(): 1}
        self._array_lengths = {}
        self._scan(text)

    def line_of(self, path):
        path = tuple(path)
        while path not in self.lines:
            path = path[:-1]
        return self.lines[path]

    def _resolve(self, parts):
        """A header's parts as a path, with the current index of every array of tables."""
        path = ()
        for part in parts:
            path += (part,)
            if path in self._array_lengths:
                path += (self._array_lengths[path] - 1,)
        return path

    def _scan(self, text):
        table = ()
        multiline_string = None  # the closing delimiter while inside one
        bracket_depth = 0
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw
            if multiline_string:
                if multiline_string not in line:
                    continue
                line = line.split(multiline_string, 1)[1]
                multiline_string = None
            stripped = line.strip()
            if bracket_depth:
                bracket_depth = max(0, bracket_depth + self._depth_change(stripped))
                continue
            if not stripped or stripped.startswith("#"):
                continue
            if stripped.startswith("[["):
                parts = _split_key(stripped[2:stripped.index("]]")])
                array = self._resolve(parts[:-1]) + (parts[-1],)
                self._array_lengths[array] = self._array_lengths.get(array, 0) + 1
                table = array + (self._array_lengths[array] - 1,)
                self.lines.setdefault(array, number)
                self.lines[table] = number
                continue
            if stripped.startswith("["):
                table = self._resolve(_split_key(stripped[1:stripped.index("]")]))
                for length in range(1, len(table) + 1):
                    self.lines.setdefault(table[:length], number)
                continue
            if "=" not in stripped:
                continue
            key_text, value = stripped.split("=", 1)
            path = table + tuple(_split_key(key_text))
            for length in range(len(table) + 1, len(path) + 1):
                self.lines.setdefault(path[:length], number)
            value = value.strip()
            if value.startswith("{"):
                self._inline_table(path, value, number)
            for delimiter in ('"""', "'''"):
                if value.startswith(delimiter) and value.count(delimiter) == 1:
                    multiline_string = delimiter
            if value.startswith("["):
                bracket_depth = max(0, self._depth_change(value))

    def _inline_table(self, path, value, number):
        for key in re.findall(r"([A-Za-z0-9_-]+)\s*=", value):
            self.lines.setdefault(path + (key,), number)

    @staticmethod
    def _depth_change(text):
        text = re.sub(r'"(\\.|[^"\\])*"|\'[^\']*\'', "", text).split("#", 1)[0]
        return text.count("[") - text.count("]")


# ------------------------------------------------------------------------------------------
# Checking a file


@dataclass
class ParsedInstrument:
    """A checked instrument file: its parsed document and the exact text it came from."""

    document: dict
    source: str

    @property
    def slug(self):
        return self.document["slug"]

    @property
    def version(self):
        return self.document["version"]


class _Checker:
    """Walks the document once; every complaint names a path and finds its line."""

    def __init__(self, document, text, source_name):
        self.document, self.source_name = document, source_name
        self.key_lines = KeyLines(text)

    def fail(self, path, message):
        raise InstrumentFileError(message, field=self.field_name(path),
                                  line=self.key_lines.line_of(path), source=self.source_name)

    def field_name(self, path):
        """'dimensions[citizen-services].items[svc-1].text.da': codes where known, else the
        1-based position among the file's entries."""
        name, node = "", self.document
        for part in path:
            if isinstance(part, int):
                entry = node[part] if isinstance(node, list) and part < len(node) else None
                code = entry.get("code") if isinstance(entry, dict) else None
                if isinstance(code, str) and code:
                    name += f"[{code}]"
                elif isinstance(entry, dict) and "value" in entry:
                    name += f"[value={entry['value']}]"
                else:
                    name += f"[#{part + 1}]"
                node = entry
            else:
                name += f".{part}" if name else part
                node = node.get(part) if isinstance(node, dict) else None
        return name

    # --- typed getters --------------------------------------------------------------------

    def get(self, table, path, key, kind, what):
        if key not in table:
            self.fail(path, f"the required field {key!r} is missing")
        value = table[key]
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            self.fail(path + (key,), f"must be a whole number ({what})")
        if kind is not int and not isinstance(value, kind):
            self.fail(path + (key,), f"must be {what}")
        return value

    def unknown_keys(self, table, path, allowed):
        for key in table:
            if key not in allowed:
                self.fail(path + (key,), "is not a field of format 1 (a typing error?)")

    def text(self, table, path, key):
        """A text in every language Bro offers (settings.LANGUAGES; Nynorsk may be missing);
        more languages may be there too, as long as each is a language code with a non-empty
        text."""
        languages = configured_languages()
        value = self.get(table, path, key, dict,
                         "a text table with " + ", ".join(languages))
        for language in languages:
            if language not in value:
                if language in OPTIONAL_LANGUAGES:
                    continue
                self.fail(path + (key,), f"the language {language!r} is missing")
        for language, text in value.items():
            if not LANGUAGE_CODE_PATTERN.match(language):
                self.fail(path + (key, language), "is not a language code (such as nb or en)")
            if not isinstance(text, str) or not text.strip():
                self.fail(path + (key, language), "must be a non-empty string")
        return value

    def code(self, table, path, limit, seen, what):
        value = self.get(table, path, "code", str, "a string")
        if not CODE_PATTERN.match(value):
            self.fail(path + ("code",), f"{value!r} is not kebab-case "
                                        "(lowercase letters and digits joined by hyphens)")
        if len(value) > limit:
            self.fail(path + ("code",), f"{value!r} is longer than {limit} characters")
        if value in seen:
            self.fail(path + ("code",), f"the {what} code {value!r} is used twice "
                                        f"(first on line {seen[value]})")
        seen[value] = self.key_lines.line_of(path + ("code",))
        return value

    def values_cover_scale(self, entries, path, scale_min, scale_max):
        """scale.labels or an item's options: one entry per value min..max, each labelled."""
        values = {}
        for index, entry in enumerate(entries):
            entry_path = path + (index,)
            if not isinstance(entry, dict):
                self.fail(entry_path, "must be a table with value and label")
            self.unknown_keys(entry, entry_path, {"value", "label"})
            value = self.get(entry, entry_path, "value", int, "a scale value")
            if not scale_min <= value <= scale_max:
                self.fail(entry_path + ("value",),
                          f"{value} is outside the scale {scale_min}..{scale_max}")
            if value in values:
                self.fail(entry_path + ("value",), f"the value {value} is given twice "
                                                   f"(first on line {values[value]})")
            values[value] = self.key_lines.line_of(entry_path + ("value",))
            self.text(entry, entry_path, "label")
        missing = [v for v in range(scale_min, scale_max + 1) if v not in values]
        if missing:
            self.fail(path, "must have one entry for each value from "
                            f"{scale_min} to {scale_max}; missing: "
                            + ", ".join(str(v) for v in missing))

    # --- the document ---------------------------------------------------------------------

    def check(self):
        doc = self.document
        self.unknown_keys(doc, (), TOP_LEVEL_KEYS)
        file_format = self.get(doc, (), "format", int, "the format number")
        if file_format != FORMAT_VERSION:
            self.fail(("format",), f"must be {FORMAT_VERSION}; this Bro reads format "
                                   f"{FORMAT_VERSION} only")
        slug = self.get(doc, (), "slug", str, "a string")
        if not CODE_PATTERN.match(slug) or len(slug) > SLUG_MAX:
            self.fail(("slug",), f"{slug!r} must be kebab-case, at most {SLUG_MAX} characters")
        version = self.get(doc, (), "version", int, "the version number")
        if version < 1:
            self.fail(("version",), "must be 1 or higher")
        kind = self.get(doc, (), "kind", str, "a string")
        if kind not in InstrumentKind.values:
            self.fail(("kind",), f"{kind!r} must be one of "
                                 + ", ".join(repr(k) for k in InstrumentKind.values))
        answer_kinds = self.get(doc, (), "answer_kinds", list, "an array of strings")
        if not answer_kinds:
            self.fail(("answer_kinds",), "must name at least one question")
        for answer_kind in answer_kinds:
            if answer_kind not in ANSWER_KINDS:
                self.fail(("answer_kinds",), f"{answer_kind!r} must be one of "
                                             + ", ".join(repr(k) for k in ANSWER_KINDS))
        if len(set(answer_kinds)) != len(answer_kinds):
            self.fail(("answer_kinds",), "names a question twice")
        self.get(doc, (), "allow_dont_know", bool, "true or false")
        self.text(doc, (), "name")
        self.text(doc, (), "description")
        labels = self.get(doc, (), "answer_kind_labels", dict, "a table")
        self.unknown_keys(labels, ("answer_kind_labels",), answer_kinds)
        for answer_kind in answer_kinds:
            self.text(labels, ("answer_kind_labels",), answer_kind)
        self.text(doc, (), "dont_know_label")
        scale_min, scale_max = self.check_scale(doc)
        self.check_scoring(doc, kind)
        areas = self.check_areas(doc)
        self.check_dimensions(doc, kind, areas, scale_min, scale_max)

    def check_scale(self, doc):
        scale = self.get(doc, (), "scale", dict, "a table")
        path = ("scale",)
        self.unknown_keys(scale, path, {"min", "max", "labels"})
        scale_min = self.get(scale, path, "min", int, "the lowest answer value")
        scale_max = self.get(scale, path, "max", int, "the highest answer value")
        if scale_max <= scale_min:
            self.fail(path + ("max",), f"must be greater than scale.min ({scale_min})")
        labels = self.get(scale, path, "labels", list, "an array of [[scale.labels]] tables")
        self.values_cover_scale(labels, path + ("labels",), scale_min, scale_max)
        return scale_min, scale_max

    def check_scoring(self, doc, kind):
        scoring = self.get(doc, (), "scoring", dict, "a table")
        path = ("scoring",)
        self.unknown_keys(scoring, path, {"method", "level"})
        if self.get(scoring, path, "method", str, "a string") != "mean":
            self.fail(path + ("method",), "must be \"mean\" (the only method in format 1)")
        level = self.get(scoring, path, "level", str, "a string")
        if level != LEVEL_BY_KIND[kind]:
            self.fail(path + ("level",),
                      f"must be \"{LEVEL_BY_KIND[kind]}\" for kind = \"{kind}\"")

    def check_areas(self, doc):
        areas = self.get(doc, (), "areas", list, "an array of [[areas]] tables")
        if not areas:
            self.fail(("areas",), "at least one [[areas]] is required")
        seen = {}
        for index, area in enumerate(areas):
            path = ("areas", index)
            if not isinstance(area, dict):
                self.fail(path, "must be a table")
            self.unknown_keys(area, path, {"code", "name"})
            self.code(area, path, AREA_CODE_MAX, seen, "area")
            self.text(area, path, "name")
        return seen

    def check_dimensions(self, doc, kind, areas, scale_min, scale_max):
        dimensions = self.get(doc, (), "dimensions", list, "an array of [[dimensions]] tables")
        if not dimensions:
            self.fail(("dimensions",), "at least one [[dimensions]] is required")
        seen, item_codes, wheel_segments = {}, {}, {}
        for index, dimension in enumerate(dimensions):
            path = ("dimensions", index)
            if not isinstance(dimension, dict):
                self.fail(path, "must be a table")
            self.unknown_keys(dimension, path, DIMENSION_KEYS)
            self.code(dimension, path, DIMENSION_CODE_MAX, seen, "dimension")
            area = self.get(dimension, path, "area", str, "an area code")
            if area not in areas:
                self.fail(path + ("area",), f"{area!r} is not the code of an [[areas]] entry")
            facet = self.get(dimension, path, "facet", str, "a string")
            level = self.get(dimension, path, "level", str, "a string")
            if kind == InstrumentKind.WHEEL:
                if facet not in FACETS:
                    self.fail(path + ("facet",), "must be one of "
                              + ", ".join(f'"{f}"' for f in FACETS) + ' for kind = "wheel"')
                if (area, facet) in wheel_segments:
                    self.fail(path + ("facet",), f"area {area!r} has facet {facet!r} twice "
                                                 f"(first on line {wheel_segments[area, facet]})")
                wheel_segments[area, facet] = self.key_lines.line_of(path + ("facet",))
            elif facet:
                self.fail(path + ("facet",), f'must be "" for kind = "{kind}"')
            if kind == InstrumentKind.PROFILE:
                if level not in LEVELS:
                    self.fail(path + ("level",), "must be one of "
                              + ", ".join(f'"{v}"' for v in LEVELS) + ' for kind = "profile"')
            elif level:
                self.fail(path + ("level",), f'must be "" for kind = "{kind}"')
            for key in ("name", "description", "discussion_prompt"):
                self.text(dimension, path, key)
            items = self.get(dimension, path, "items", list,
                             "an array of [[dimensions.items]] tables")
            if not items:
                self.fail(path, "at least one [[dimensions.items]] is required")
            for item_index, item in enumerate(items):
                item_path = path + ("items", item_index)
                if not isinstance(item, dict):
                    self.fail(item_path, "must be a table")
                self.unknown_keys(item, item_path, {"code", "text", "options"})
                self.code(item, item_path, ITEM_CODE_MAX, item_codes, "item")
                self.text(item, item_path, "text")
                if "options" in item:
                    options = self.get(item, item_path, "options", list,
                                       "an array of [[dimensions.items.options]] tables")
                    self.values_cover_scale(options, item_path + ("options",),
                                            scale_min, scale_max)


def _syntax_error(error, text):
    """tomllib's message and line (Python 3.12 has them only inside the message text)."""
    lineno = getattr(error, "lineno", None)
    if lineno is not None:
        return error.msg, lineno
    message = str(error)
    found = re.search(r"\s*\(at line (\d+), column \d+\)$", message)
    if found:
        return message[:found.start()], int(found.group(1))
    if message.endswith("(at end of document)"):
        return message.removesuffix("(at end of document)").strip(), len(text.splitlines())
    return message, None


def parse_instrument(text, source_name=""):
    """Read and check an instrument file's text; raise InstrumentFileError if it is bad."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InstrumentFileError(f"the file is not UTF-8 ({error.reason})",
                                      source=source_name) from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message, line = _syntax_error(error, text)
        raise InstrumentFileError(f"not valid TOML: {message}", field="(syntax)", line=line,
                                  source=source_name) from None
    _Checker(document, text, source_name).check()
    return ParsedInstrument(document=document, source=text)


def read_instrument_file(path):
    path = Path(path)
    return parse_instrument(path.read_bytes(), source_name=path.name)


# ------------------------------------------------------------------------------------------
# Storing and giving back


@dataclass
class ImportResult:
    instrument: Instrument
    created: bool


def import_instrument(parsed):
    """Store a checked file as new rows; the same slug+version with the same content is a
    no-op (returns created=False), and so is content that only adds a language (the new texts
    are added); other content raises InstrumentVersionConflict."""
    document = parsed.document
    with transaction.atomic():
        existing = (Instrument.objects.select_for_update()
                    .filter(slug=parsed.slug, version=parsed.version).first())
        if existing is not None:
            if existing.definition != document:
                if not _only_adds_translations(existing.definition, document):
                    raise InstrumentVersionConflict(
                        f"{parsed.slug} version {parsed.version} is loaded already with other "
                        f"content; publish a new version (version = {parsed.version + 1} or "
                        "higher) instead of changing this one")
                _add_translations(existing, parsed)
            return ImportResult(existing, created=False)
        instrument = Instrument.objects.create(
            slug=parsed.slug, version=parsed.version, kind=document["kind"],
            name=document["name"], description=document["description"],
            definition=document, source=parsed.source,
            scale_min=document["scale"]["min"], scale_max=document["scale"]["max"],
            allow_dont_know=document["allow_dont_know"])
        areas = Area.objects.bulk_create(
            Area(instrument=instrument, code=area["code"], position=position, name=area["name"])
            for position, area in enumerate(document["areas"], start=1))
        area_by_code = {area.code: area for area in areas}
        dimensions = Dimension.objects.bulk_create(
            Dimension(instrument=instrument, area=area_by_code[spec["area"]], code=spec["code"],
                      position=position, facet=spec["facet"], level=spec["level"],
                      name=spec["name"], description=spec["description"],
                      discussion_prompt=spec["discussion_prompt"])
            for position, spec in enumerate(document["dimensions"], start=1))
        Item.objects.bulk_create(
            Item(dimension=dimension, code=item["code"], position=position, text=item["text"],
                 options=item.get("options", []))
            for dimension, spec in zip(dimensions, document["dimensions"], strict=True)
            for position, item in enumerate(spec["items"], start=1))
    return ImportResult(instrument, created=True)


def _only_adds_translations(stored, document):
    """Whether `document` is `stored` with texts added in a language its text tables lacked
    (OPTIONAL_LANGUAGES), every stored value unchanged."""
    if isinstance(stored, dict) and isinstance(document, dict):
        added = set(document) - set(stored)
        offered = set(configured_languages())
        if set(stored) - set(document) or (added and not (
                added <= set(OPTIONAL_LANGUAGES) and set(document) <= offered)):
            return False
        return all(_only_adds_translations(stored[key], document[key]) for key in stored)
    if isinstance(stored, list) and isinstance(document, list):
        return len(stored) == len(document) and all(
            _only_adds_translations(old, new) for old, new in zip(stored, document, strict=True))
    return stored == document


def _add_translations(instrument, parsed):
    """Write the texts of the file onto the stored rows; only added languages differ."""
    document = parsed.document
    instrument.name, instrument.description = document["name"], document["description"]
    instrument.definition, instrument.source = document, parsed.source
    instrument.save(update_fields=["name", "description", "definition", "source"])
    areas = {area["code"]: area for area in document["areas"]}
    for area in instrument.areas.all():
        area.name = areas[area.code]["name"]
        area.save(update_fields=["name"])
    dimensions = {spec["code"]: spec for spec in document["dimensions"]}
    for dimension in instrument.dimensions.prefetch_related("items"):
        spec = dimensions[dimension.code]
        dimension.name, dimension.description = spec["name"], spec["description"]
        dimension.discussion_prompt = spec["discussion_prompt"]
        dimension.save(update_fields=["name", "description", "discussion_prompt"])
        items = {item["code"]: item for item in spec["items"]}
        for item in dimension.items.all():
            item.text, item.options = items[item.code]["text"], items[item.code].get("options", [])
            item.save(update_fields=["text", "options"])


def load_shipped_instruments():
    """Bro's three instruments, idempotently; returns the ImportResults."""
    return [import_instrument(read_instrument_file(SHIPPED_DIR / name))
            for name in SHIPPED_FILES]


def export_instrument(instrument):
    """The file an instrument was imported from, exactly."""
    return instrument.source

