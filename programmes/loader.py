"""Load a programme file (TOML, see programmes/content/standard_programme.toml) into the database.

The whole file is checked first; a bad file changes nothing and is refused with a message that
names the place of the fault (for example `modules[2].phases[0].activities[3].kind`). Rows are
found by their slugs (programme, module, phase kind, activity, resource) and only written when a
value differs, so loading the same file twice changes nothing and an edited file updates texts.
Resources in the file become the shared library (resources without a network).

Rows that the file no longer names are reported, never deleted: leaders' completions and
reflections point at them.
"""

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.db import transaction

from programmes.models import Activity, ActivityKind, Module, Phase, PhaseKind, Programme
from resources.models import Resource, ResourceKind, Theme

DEFAULT_PATH = Path(__file__).resolve().parent / "content" / "standard_programme.toml"
LANGUAGES = ("nb", "nn", "da", "en")
# A text without Nynorsk is shown in Bokmål (tenancy.translated); the shipped file has all four.
OPTIONAL_LANGUAGES = ("nn",)
MAX_MINUTES = 32767

PROGRAMME_KEYS = {"slug", "name", "description", "resources", "modules"}
RESOURCE_KEYS = {"slug", "kind", "language", "duration_minutes", "url", "modules", "sectors",
                 "dimensions", "title", "description", "body"}
MODULE_KEYS = {"slug", "theme", "title", "introduction", "phases"}
PHASE_KEYS = {"kind", "introduction", "activities"}
ACTIVITY_KEYS = {"slug", "kind", "duration_minutes", "title", "instructions", "questions",
                 "resource", "instrument", "dimensions"}


class ProgrammeFileError(Exception):
    """The file cannot be loaded; the message names the field and where it is."""


@dataclass
class LoadResult:
    programme: Programme = None
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    stale: list = field(default_factory=list)

    @property
    def changed(self):
        return sum(self.created.values()) + sum(self.updated.values())


def load_programme(path=DEFAULT_PATH):
    """Check the file, then create or update its programme and shared resources."""
    spec = read_programme_file(path)
    result = LoadResult()
    with transaction.atomic():
        resources = _save_resources(spec["resources"], result)
        _save_programme(spec, resources, result)
    return result


def read_programme_file(path):
    """The checked contents of a programme file, in the shape the savers expect."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProgrammeFileError(f"{path}: no such file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ProgrammeFileError(f"{path}: not a valid TOML file: {error}") from None
    return _Checker().programme(data)


class _Checker:
    """Turns the parsed file into plain dicts, or raises ProgrammeFileError naming the spot."""

    def programme(self, data):
        self._keys(data, PROGRAMME_KEYS, "the file")
        spec = {
            "slug": self._slug(data, "slug", "the file"),
            "name": self._text(data, "name", "the file"),
            "description": self._text(data, "description", "the file", required=False),
        }
        spec["resources"] = [self._resource(item, f"resources[{i}]")
                             for i, item in enumerate(self._list(data, "resources", "the file"))]
        self._unique([r["slug"] for r in spec["resources"]], "resources", "slug")
        known_resources = {r["slug"] for r in spec["resources"]}
        spec["modules"] = [self._module(item, f"modules[{i}]", known_resources)
                           for i, item in enumerate(self._list(data, "modules", "the file"))]
        if not spec["modules"]:
            raise ProgrammeFileError("modules: the programme needs at least one module")
        self._unique([m["slug"] for m in spec["modules"]], "modules", "slug")
        return spec

    def _resource(self, data, where):
        self._table(data, where)
        self._keys(data, RESOURCE_KEYS, where)
        url = self._string(data, "url", where)
        if url:
            try:
                URLValidator(schemes=["https", "http"])(url)
            except ValidationError:
                raise ProgrammeFileError(f"{where}.url: {url!r} is not a web address") from None
        return {
            "slug": self._slug(data, "slug", where),
            "kind": self._choice(data, "kind", where, ResourceKind.values),
            "language": self._choice(data, "language", where, list(LANGUAGES)),
            "duration_minutes": self._minutes(data, where),
            "url": url,
            "modules": [self._member(theme, f"{where}.modules", Theme.values)
                        for theme in self._list(data, "modules", where)],
            "sectors": [self._slug_value(sector, f"{where}.sectors")
                        for sector in self._list(data, "sectors", where)],
            "dimension_tags": [self._dimension_tag(tag, f"{where}.dimensions")
                               for tag in self._list(data, "dimensions", where)],
            "title": self._text(data, "title", where),
            "description": self._text(data, "description", where, required=False),
            "body": self._text(data, "body", where, required=False),
        }

    def _module(self, data, where, known_resources):
        self._table(data, where)
        self._keys(data, MODULE_KEYS, where)
        slug = self._slug(data, "slug", where)
        theme = data.get("theme", slug)
        if theme not in Theme.values:
            key = "theme" if "theme" in data else "slug"
            raise ProgrammeFileError(
                f"{where}.{key}: {theme!r} is not a theme; give theme = one of "
                f"{', '.join(Theme.values)}")
        phases = [self._phase(item, f"{where}.phases[{i}]", known_resources)
                  for i, item in enumerate(self._list(data, "phases", where))]
        if not phases:
            raise ProgrammeFileError(f"{where}.phases: a module needs its phases")
        self._unique([p["kind"] for p in phases], f"{where}.phases", "kind")
        return {"slug": slug, "theme": theme, "title": self._text(data, "title", where),
                "introduction": self._text(data, "introduction", where, required=False),
                "phases": phases}

    def _phase(self, data, where, known_resources):
        self._table(data, where)
        self._keys(data, PHASE_KEYS, where)
        activities = [self._activity(item, f"{where}.activities[{i}]", known_resources)
                      for i, item in enumerate(self._list(data, "activities", where))]
        self._unique([a["slug"] for a in activities], f"{where}.activities", "slug")
        return {"kind": self._choice(data, "kind", where, PhaseKind.values),
                "introduction": self._text(data, "introduction", where, required=False),
                "activities": activities}

    def _activity(self, data, where, known_resources):
        self._table(data, where)
        self._keys(data, ACTIVITY_KEYS, where)
        kind = self._choice(data, "kind", where, ActivityKind.values)
        instrument = self._string(data, "instrument", where)
        if kind == ActivityKind.ASSESSMENT and not instrument:
            raise ProgrammeFileError(f"{where}.instrument: an assessment names its instrument")
        if instrument and kind != ActivityKind.ASSESSMENT:
            raise ProgrammeFileError(f"{where}.instrument: only assessments have an instrument")
        if instrument:
            self._slug_value(instrument, f"{where}.instrument")
        resource = self._string(data, "resource", where)
        if resource and resource not in known_resources and not (
                Resource.objects.shared().filter(slug=resource).exists()):
            raise ProgrammeFileError(
                f"{where}.resource: no resource with slug {resource!r} in the file or the library")
        return {
            "slug": self._slug(data, "slug", where),
            "kind": kind,
            "duration_minutes": self._minutes(data, where),
            "title": self._text(data, "title", where),
            "instructions": self._text(data, "instructions", where, required=False),
            "questions": self._questions(data, where),
            "resource": resource,
            "instrument_slug": instrument,
            "dimension_tags": [self._dimension_tag(tag, f"{where}.dimensions")
                               for tag in self._list(data, "dimensions", where)],
        }

    # Field checks -------------------------------------------------------------------------

    @staticmethod
    def _table(data, where):
        if not isinstance(data, dict):
            raise ProgrammeFileError(f"{where}: must be a table")

    @staticmethod
    def _keys(data, allowed, where):
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise ProgrammeFileError(
                f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(allowed))})")

    @staticmethod
    def _unique(values, where, key):
        seen = set()
        for index, value in enumerate(values):
            if value in seen:
                raise ProgrammeFileError(f"{where}[{index}].{key}: {value!r} is used twice")
            seen.add(value)

    @staticmethod
    def _string(data, key, where):
        value = data.get(key, "")
        if not isinstance(value, str):
            raise ProgrammeFileError(f"{where}.{key}: must be a string")
        return value.strip()

    def _slug(self, data, key, where):
        if key not in data:
            raise ProgrammeFileError(f"{where}.{key}: missing")
        return self._slug_value(data[key], f"{where}.{key}")

    @staticmethod
    def _slug_value(value, where):
        try:
            validate_slug(value)
        except (ValidationError, TypeError):
            raise ProgrammeFileError(
                f"{where}: {value!r} is not a slug (letters, digits, - and _)") from None
        return value

    @staticmethod
    def _choice(data, key, where, choices):
        if key not in data:
            raise ProgrammeFileError(f"{where}.{key}: missing")
        return _Checker._member(data[key], f"{where}.{key}", choices)

    @classmethod
    def _dimension_tag(cls, value, where):
        """"instrument slug:dimension code", e.g. "capabilities:digital-curiosity"."""
        slug, separator, code = value.partition(":") if isinstance(value, str) else ("", "", "")
        if not separator:
            raise ProgrammeFileError(
                f"{where}: {value!r} is not instrument:dimension (e.g. "
                f"\"capabilities:digital-curiosity\")")
        cls._slug_value(slug, where)
        cls._slug_value(code, where)
        return value

    @staticmethod
    def _member(value, where, choices):
        if value not in choices:
            raise ProgrammeFileError(
                f"{where}: {value!r} is not one of {', '.join(str(c) for c in choices)}")
        return value

    @staticmethod
    def _list(data, key, where):
        value = data.get(key, [])
        if not isinstance(value, list):
            raise ProgrammeFileError(f"{where}.{key}: must be a list")
        return value

    @staticmethod
    def _minutes(data, where):
        value = data.get("duration_minutes", 0)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_MINUTES:
            raise ProgrammeFileError(f"{where}.duration_minutes: must be a whole number of minutes")
        return value

    @staticmethod
    def _text(data, key, where, *, required=True):
        """A text in every language: a table with nb, da and en, and nn (else shown in nb)."""
        value = data.get(key)
        if value is None:
            if required:
                raise ProgrammeFileError(f"{where}.{key}: missing (a table with nb, nn, da and en)")
            return {}
        if not isinstance(value, dict):
            raise ProgrammeFileError(f"{where}.{key}: must be a table with nb, nn, da and en")
        unknown = sorted(set(value) - set(LANGUAGES))
        if unknown:
            raise ProgrammeFileError(
                f"{where}.{key}.{unknown[0]}: not a language (nb, nn, da, en)")
        for language in LANGUAGES:
            text = value.get(language)
            if language in OPTIONAL_LANGUAGES and text is None:
                continue
            if not isinstance(text, str) or not text.strip():
                raise ProgrammeFileError(f"{where}.{key}.{language}: missing text")
        return {language: value[language].strip() for language in LANGUAGES
                if language in value}

    @staticmethod
    def _questions(data, where):
        """Reflection questions: a list of strings per language, as many in each."""
        value = data.get("questions")
        if value is None:
            return {}
        required = set(LANGUAGES) - set(OPTIONAL_LANGUAGES)
        if not isinstance(value, dict) or not required <= set(value) <= set(LANGUAGES):
            raise ProgrammeFileError(
                f"{where}.questions: must be a table with nb, nn, da and en")
        counts = set()
        for language in value:
            questions = value[language]
            if not isinstance(questions, list) or not all(
                    isinstance(q, str) and q.strip() for q in questions):
                raise ProgrammeFileError(f"{where}.questions.{language}: must be a list of texts")
            counts.add(len(questions))
        if len(counts) != 1:
            raise ProgrammeFileError(
                f"{where}.questions: nb, nn, da and en must have as many questions each")
        return {language: [q.strip() for q in value[language]] for language in LANGUAGES
                if language in value}


# Saving -------------------------------------------------------------------------------------

def _upsert(model, existing, create_with, values, result):
    """Create the row, or write the values that differ; count what happened."""
    label = model._meta.model_name
    if existing is None:
        row = model(**create_with, **values)
        row.save()
        result.created[label] += 1
        return row
    changed = [name for name, value in values.items() if getattr(existing, name) != value]
    if changed:
        for name in changed:
            setattr(existing, name, values[name])
        existing.save(update_fields=changed)
        result.updated[label] += 1
    else:
        result.unchanged[label] += 1
    return existing


def _save_resources(specs, result):
    existing = {r.slug: r for r in Resource.objects.shared()}
    saved = {}
    for spec in specs:
        values = {k: v for k, v in spec.items() if k != "slug"}
        saved[spec["slug"]] = _upsert(Resource, existing.get(spec["slug"]),
                                      {"network": None, "slug": spec["slug"]}, values, result)
    saved.update({slug: row for slug, row in existing.items() if slug not in saved})
    return saved


def _save_programme(spec, resources, result):
    programme = _upsert(Programme, Programme.objects.filter(slug=spec["slug"]).first(),
                        {"slug": spec["slug"]},
                        {"name": spec["name"], "description": spec["description"]}, result)
    result.programme = programme
    modules = {m.slug: m for m in programme.modules.all()}
    for position, module_spec in enumerate(spec["modules"], start=1):
        module = _upsert(Module, modules.get(module_spec["slug"]),
                         {"programme": programme, "slug": module_spec["slug"]},
                         {"theme": module_spec["theme"], "position": position,
                          "title": module_spec["title"],
                          "introduction": module_spec["introduction"]}, result)
        _save_phases(module, module_spec["phases"], resources, result)
    named = {m["slug"] for m in spec["modules"]}
    result.stale += [f"module {slug}" for slug in modules if slug not in named]


def _save_phases(module, specs, resources, result):
    phases = {p.kind: p for p in module.phases.all()}
    for position, phase_spec in enumerate(specs, start=1):
        phase = _upsert(Phase, phases.get(phase_spec["kind"]),
                        {"module": module, "kind": phase_spec["kind"]},
                        {"position": position, "introduction": phase_spec["introduction"]},
                        result)
        activities = {a.slug: a for a in phase.activities.standard()}
        for index, activity_spec in enumerate(phase_spec["activities"], start=1):
            values = {k: v for k, v in activity_spec.items() if k not in ("slug", "resource")}
            values["position"] = index
            resource = resources.get(activity_spec["resource"])
            values["resource_id"] = resource.pk if resource else None
            _upsert(Activity, activities.get(activity_spec["slug"]),
                    {"phase": phase, "slug": activity_spec["slug"]}, values, result)
        named = {a["slug"] for a in phase_spec["activities"]}
        result.stale += [f"activity {module.slug}/{phase.kind}/{slug}"
                         for slug in activities if slug not in named]
    named_kinds = {p["kind"] for p in specs}
    result.stale += [f"phase {module.slug}/{kind}" for kind in phases if kind not in named_kinds]
