"""Video and podcasts everyone can follow: captions (a WebVTT file for media uploaded to Bro,
or a note on how to turn on a video service's captions) and a transcript under the player."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from resources.models import Resource
from tests.resources.test_uploads import MP3, MP4

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]

VTT = "WEBVTT\n\n00:00.000 --> 00:02.000\nVelkommen til samlingen i Tromsø.\n".encode()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url(world, name, **kwargs):
    return reverse(name, kwargs={"network_slug": world.network.slug, **kwargs})


def add(client, world, **fields):
    return client.post(url(world, "resource_create"), {
        "title_en": "Opening talk", "kind": "video", "language": "nb", **fields})


def test_an_uploaded_video_plays_with_its_captions_for_people_in_the_network(
        client, world, other_world):
    client.force_login(world.admin)
    response = add(client, world, file=SimpleUploadedFile("talk.mp4", MP4),
                   captions=SimpleUploadedFile("talk.vtt", VTT))
    assert response.status_code == 302, response.content.decode()[:2000]
    resource = Resource.objects.of_network(world.network).get()

    client.force_login(world.leader)
    page = client.get(url(world, "resource_detail", resource_id=resource.pk)).content.decode()
    captions_url = url(world, "resource_captions", resource_id=resource.pk)
    assert (f'<track kind="captions" src="{captions_url}" srclang="nb" '
            'label="Norwegian Bokmål" default>') in page
    served = client.get(captions_url)
    assert served["Content-Type"] == "text/vtt; charset=utf-8"
    assert b"".join(served.streaming_content) == VTT

    client.force_login(other_world.leader)
    assert client.get(url(world, "resource_captions", resource_id=resource.pk)).status_code \
        == 404


def test_a_podcast_shows_its_transcript_under_the_player_and_its_captions_note(client, world):
    client.force_login(world.admin)
    response = add(client, world, kind="podcast", file=SimpleUploadedFile("episode.mp3", MP3),
                   transcript_en="Host: Welcome.\n\nGuest: Thank you.",
                   captions_note_en="The transcript below has everything that is said.")
    assert response.status_code == 302, response.content.decode()[:2000]
    resource = Resource.objects.of_network(world.network).get()
    assert resource.transcript == {"en": "Host: Welcome.\n\nGuest: Thank you."}

    client.force_login(world.leader)
    page = client.get(url(world, "resource_detail", resource_id=resource.pk)).content.decode()
    assert "<audio" in page and "<track" not in page
    transcript = page[page.index('<details class="resource-transcript">'):]
    assert "<summary>Transcript</summary>" in transcript
    assert "<p>Host: Welcome.</p>" in transcript and "<p>Guest: Thank you.</p>" in transcript
    assert "The transcript below has everything that is said." in page


def test_a_youtube_video_takes_a_captions_note_but_no_captions_file(client, world):
    client.force_login(world.admin)
    response = add(client, world, url="https://youtu.be/dQw4w9WgXcQ",
                   captions=SimpleUploadedFile("talk.vtt", VTT))
    assert response.status_code == 200
    assert "Captions go with a video or sound file uploaded here." in response.content.decode()

    response = add(client, world, url="https://youtu.be/dQw4w9WgXcQ",
                   captions_note_en="Norwegian subtitles: press CC in the player.")
    assert response.status_code == 302
    resource = Resource.objects.of_network(world.network).get()
    page = client.get(url(world, "resource_detail", resource_id=resource.pk)).content.decode()
    assert "Norwegian subtitles: press CC in the player." in page


@pytest.mark.parametrize(("name", "content", "message"), [
    ("talk.srt", b"1\n00:00:00,000 --> 00:00:02,000\nHi\n",
     "Captions must be a WebVTT file (.vtt)."),
    ("talk.vtt", b"1\n00:00:00.000 --> 00:00:02.000\nHi\n", "The captions file is not WebVTT"),
    ("talk.vtt", b"WEBVTT\n\n\xff\xfe", "The captions file is not WebVTT"),
])
def test_a_captions_file_that_is_not_webvtt_is_refused_clearly(client, world, name, content,
                                                               message):
    client.force_login(world.admin)
    response = add(client, world, file=SimpleUploadedFile("talk.mp4", MP4),
                   captions=SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Resource.objects.of_network(world.network).exists()


def test_removing_the_video_file_removes_its_captions(client, world):
    client.force_login(world.admin)
    add(client, world, file=SimpleUploadedFile("talk.mp4", MP4),
        captions=SimpleUploadedFile("talk.vtt", VTT))
    resource = Resource.objects.of_network(world.network).get()
    response = client.post(url(world, "resource_edit", resource_id=resource.pk), {
        "title_en": "Opening talk", "kind": "video", "language": "nb",
        "url": "https://vimeo.com/76979871", "file-clear": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    resource.refresh_from_db()
    assert not resource.file and not resource.captions
