"""Uploads to a network's library: checked by extension AND content, size-limited, with
messages that say what to do."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from resources import uploads
from resources.models import Resource
from tests.factories import PDF_BYTES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
MP3 = b"ID3\x04\x00" + b"\x00" * 32
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def office(part):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<xml/>")
    return buffer.getvalue()


def upload(client, world, name, content):
    return client.post(
        reverse("resource_create", kwargs={"network_slug": world.network.slug}),
        {"title_en": "Slides from the gathering", "kind": "article", "language": "en",
         "file": SimpleUploadedFile(name, content)})


def own_resources(world):
    return Resource.objects.of_network(world.network)


@pytest.mark.parametrize(("name", "content"), [
    ("notes.pdf", PDF_BYTES), ("slides.pptx", office("ppt/presentation.xml")),
    ("memo.docx", office("word/document.xml")), ("talk.mp3", MP3), ("film.mp4", MP4),
    ("chart.png", PNG), ("photo.jpg", JPEG), ("PHOTO.JPEG", JPEG),
])
def test_the_allowed_kinds_of_file_are_stored_and_served(client, world, name, content):
    client.force_login(world.admin)
    response = upload(client, world, name, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    resource = own_resources(world).get()
    served = client.get(reverse("resource_file", kwargs={
        "network_slug": world.network.slug, "resource_id": resource.pk}))
    assert served.status_code == 200
    assert served["Content-Type"] == uploads.file_type_of(name).content_type
    assert b"".join(served.streaming_content) == content


@pytest.mark.parametrize(("name", "content", "message"), [
    ("virus.exe", b"MZ\x90\x00", "Files of this type cannot be uploaded. Allowed types:"),
    ("page.html", b"<html>", "Files of this type cannot be uploaded."),
    ("notes.pdf", b"<html><script>alert(1)</script>",
     "The file is named .pdf, but its content is not a PDF file."),
    ("slides.pptx", office("word/document.xml"),
     "The file is named .pptx, but its content is not a PowerPoint (.pptx) file."),
    ("photo.jpg", PNG, "The file is named .jpg, but its content is not a JPEG file."),
    ("film.mp4", MP3, "its content is not a MP4 file"),
])
def test_files_that_are_not_what_they_claim_are_refused_clearly(client, world, name, content,
                                                                message):
    client.force_login(world.admin)
    response = upload(client, world, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not own_resources(world).exists()


def test_a_file_over_the_limit_is_refused_with_the_limit(client, world, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 1024)
    client.force_login(world.admin)
    response = upload(client, world, "big.pdf", PDF_BYTES + b"0" * 2048)
    page = response.content.decode()
    assert "The file is 2.1\xa0KB; the largest file you can upload is 1.0\xa0KB." in page
    assert not own_resources(world).exists()


def test_the_default_limit_is_50_mb():
    assert uploads.MAX_UPLOAD_BYTES == 50 * 1024 * 1024


def test_a_replaced_file_is_removed_from_storage(client, world,
                                                 django_capture_on_commit_callbacks):
    client.force_login(world.admin)
    upload(client, world, "notes.pdf", PDF_BYTES)
    resource = own_resources(world).get()
    old_path = resource.file.path
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("resource_edit", kwargs={"network_slug": world.network.slug,
                                             "resource_id": resource.pk}),
            {"title_en": "Slides", "kind": "article", "language": "en",
             "file": SimpleUploadedFile("chart.png", PNG)})
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.file.name.endswith("chart.png")
    import os

    assert not os.path.exists(old_path) and os.path.exists(resource.file.path)
