"""Which files a network may upload to its library, checked by name AND by content.

A file is accepted only when its extension is allowed and its first bytes (its "magic
number") show that it really is that kind of file, so a renamed program or web page is refused.
"""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_CAPTIONS_BYTES = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    shown_as: str  # "video", "audio", "image" or "download"


FILE_TYPES = {
    "pdf": FileType("PDF", "application/pdf", "download"),
    "pptx": FileType("PowerPoint (.pptx)",
                     "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                     "download"),
    "docx": FileType("Word (.docx)",
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                     "download"),
    "mp3": FileType("MP3", "audio/mpeg", "audio"),
    "mp4": FileType("MP4", "video/mp4", "video"),
    "png": FileType("PNG", "image/png", "image"),
    "jpg": FileType("JPEG", "image/jpeg", "image"),
    "jpeg": FileType("JPEG", "image/jpeg", "image"),
}
ACCEPT = ",".join(f".{extension}" for extension in FILE_TYPES)


def extension_of(name):
    return PurePath(name or "").suffix.lower().lstrip(".")


def file_type_of(name):
    return FILE_TYPES.get(extension_of(name))


def _office_part(upload, part):
    """Is this a zip (Office Open XML) file that holds the given part?"""
    try:
        with zipfile.ZipFile(upload) as archive:
            return part in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _content_matches(extension, head, upload):
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension == "mp3":
        return head.startswith(b"ID3") or (
            len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)
    if extension == "mp4":
        return head[4:8] == b"ftyp"
    if extension == "pptx":
        return head.startswith(b"PK\x03\x04") and _office_part(upload, "ppt/presentation.xml")
    if extension == "docx":
        return head.startswith(b"PK\x03\x04") and _office_part(upload, "word/document.xml")
    return False


def check_upload(upload):
    """Raise ValidationError with a message a network admin can act on, or return None."""
    allowed = ", ".join(sorted({t.label for t in FILE_TYPES.values()}))
    extension = extension_of(upload.name)
    if extension not in FILE_TYPES:
        raise ValidationError(
            _("Files of this type cannot be uploaded. Allowed types: %(allowed)s.")
            % {"allowed": allowed}, code="file_type")
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the largest file you can upload is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_UPLOAD_BYTES)},
            code="file_size")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    matches = _content_matches(extension, head, upload)
    upload.seek(0)
    if not matches:
        raise ValidationError(
            _("The file is named .%(extension)s, but its content is not a %(label)s file. "
              "Save it again as %(label)s, or choose another file.")
            % {"extension": extension, "label": FILE_TYPES[extension].label},
            code="file_content")


def check_captions(upload):
    """A WebVTT file (.vtt, UTF-8, starting with WEBVTT), or a ValidationError saying why not."""
    if extension_of(upload.name) != "vtt":
        raise ValidationError(_("Captions must be a WebVTT file (.vtt)."), code="captions_type")
    if upload.size > MAX_CAPTIONS_BYTES:
        raise ValidationError(
            _("The captions file is %(size)s; at most %(limit)s is allowed.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_CAPTIONS_BYTES)},
            code="captions_size")
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = ""
    if not (text.startswith("WEBVTT") and text[6:7] in ("", " ", "\t", "\n", "\r")):
        raise ValidationError(
            _("The captions file is not WebVTT: it must be UTF-8 text that starts with WEBVTT."),
            code="captions_content")
