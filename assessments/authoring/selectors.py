"""What the staff's instrument pages show: a file's content in every language Bro offers,
read from the checked document (before publishing) or the stored definition (after)."""

from dataclasses import dataclass

from django.conf import settings

from assessments.models import Instrument


@dataclass
class LanguagePreview:
    code: str
    name: str
    instrument_name: str
    description: str
    answer_kinds: list
    scale: list  # (value, label)
    dont_know: str
    areas: list  # {"name", "dimensions": [{"code", "name", "description", "prompt", "items"}]}


def preview_of(document):
    """The instrument as a leader would read it, once per configured language."""
    previews = []
    for code, language_name in settings.LANGUAGES:

        def text(value, code=code):
            return (value or {}).get(code, "")

        dimensions_of = {}
        for dimension in document["dimensions"]:
            dimensions_of.setdefault(dimension["area"], []).append(
                {
                    "code": dimension["code"],
                    "name": text(dimension["name"]),
                    "description": text(dimension["description"]),
                    "prompt": text(dimension["discussion_prompt"]),
                    "items": [text(item["text"]) for item in dimension["items"]],
                }
            )
        previews.append(
            LanguagePreview(
                code=code,
                name=str(language_name),
                instrument_name=text(document["name"]),
                description=text(document["description"]),
                answer_kinds=[
                    text(document.get("answer_kind_labels", {}).get(kind))
                    for kind in document["answer_kinds"]
                ],
                scale=[
                    (label["value"], text(label["label"]))
                    for label in document["scale"].get("labels", [])
                ],
                dont_know=text(document.get("dont_know_label"))
                if document["allow_dont_know"]
                else "",
                areas=[
                    {"name": text(area["name"]), "dimensions": dimensions_of.get(area["code"], [])}
                    for area in document["areas"]
                ],
            )
        )
    return previews


@dataclass
class VersionChange:
    """How a file differs from the newest stored version of its instrument."""

    newest: Instrument | None
    exists: bool  # this very slug and version is stored already
    added: list  # dimension codes new in the file
    removed: list  # dimension codes the file no longer has


def change_from_stored(document):
    versions = list(Instrument.objects.filter(slug=document["slug"]).order_by("-version"))
    newest = versions[0] if versions else None
    codes = [dimension["code"] for dimension in document["dimensions"]]
    stored = [dimension["code"] for dimension in newest.definition["dimensions"]] if newest else []
    return VersionChange(
        newest=newest,
        exists=any(v.version == document["version"] for v in versions),
        added=[code for code in codes if code not in stored] if newest else [],
        removed=[code for code in stored if code not in codes],
    )


def instruments_by_slug():
    """Every stored version, newest first within each instrument."""
    return list(Instrument.objects.defer("definition", "source").order_by("slug", "-version"))
