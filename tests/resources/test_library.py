"""The resource library: the shared library plus the network's own resources, filters, pages,
players, files only for people in the network, and network admins managing their own."""

import os
import re

import pytest
from django.urls import reverse

from resources.models import Resource
from tests.factories import make_network_resource

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def text(en, nb=None):
    return {"en": en, "nb": nb or en, "da": en}


def shared(slug, **fields):
    values = {"kind": "video", "language": "nb", "title": text(slug.title()), **fields}
    return Resource.objects.create(network=None, slug=slug, **values)


def url(world, name, **kwargs):
    return reverse(name, kwargs={"network_slug": world.network.slug, **kwargs})


def titles(response):
    return [r.slug for r in response.context["page"]]


@pytest.fixture
def library(world, other_world):
    shared("film-generations", kind="video", language="nb", modules=["organisation"],
           description=text("Five generations of digital maturity"))
    shared("podcast-teams", kind="podcast", language="da", modules=["leadership"],
           sectors=["health"])
    shared("article-strategy", kind="article", language="en", modules=["strategy"],
           body=text("A strategy is not an IT plan", "En strategi er ikke en IT-plan"))
    make_network_resource(world, slug="our-case", sectors=["education"])
    make_network_resource(other_world, slug="their-secret-case")
    return world


@pytest.mark.parametrize(("query", "expected"), [
    ({}, ["our-case", "article-strategy", "film-generations", "podcast-teams"]),
    ({"kind": "podcast"}, ["podcast-teams"]),
    ({"module": "organisation"}, ["our-case", "film-generations"]),
    ({"language": "en"}, ["article-strategy"]),
    ({"sector": "health"}, ["podcast-teams"]),
    ({"q": "generations"}, ["film-generations"]),
    ({"q": "IT-plan"}, ["article-strategy"]),
    ({"source": "own"}, ["our-case"]),
    ({"source": "shared", "module": "organisation"}, ["film-generations"]),
])
def test_everyone_in_the_network_filters_the_library(client, library, query, expected):
    client.force_login(library.leader)
    response = client.get(url(library, "library"), query)
    assert response.status_code == 200
    assert sorted(titles(response)) == sorted(expected)
    if not query:
        assert titles(response)[0] == "our-case", "the network's own come first"


def test_another_networks_own_resources_are_never_listed_or_reachable(client, library,
                                                                      other_world):
    theirs = Resource.objects.of_network(other_world.network).get(slug="their-secret-case")
    for role in ("leader", "coordinator", "facilitator", "admin"):
        client.force_login(library.person(role))
        response = client.get(url(library, "library"), {"q": "secret"})
        assert titles(response) == []
        for name in ("resource_detail", "resource_file"):
            assert client.get(url(library, name, resource_id=theirs.pk)).status_code == 404


def test_the_resource_page_shows_its_texts(client, library):
    article = Resource.objects.shared().get(slug="article-strategy")
    client.force_login(library.leader)
    page = client.get(url(library, "resource_detail", resource_id=article.pk)).content.decode()
    assert "A strategy is not an IT plan" in page


def test_a_youtube_video_contacts_youtube_only_after_play_and_without_cookies(client, world):
    film = shared("film-yt", url="https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    client.force_login(world.leader)
    page = client.get(url(world, "resource_detail", resource_id=film.pk)).content.decode()
    assert "<iframe" not in page
    assert not re.search(r"""src=["']https?://(?!testserver)""", page)  # nothing third-party
    assert 'data-player-url="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"' \
        in page  # what video-consent.js loads when play is pressed
    assert "This video comes from YouTube (youtube-nocookie.com)." in page
    assert "Play the video from YouTube" in page
    assert 'src="/static/resources/video-consent.js' in page
    # Without JavaScript the notice's play button stays hidden and the link leads to YouTube.
    assert re.search(r'<button [^>]*data-video-play hidden>', page)
    assert ('href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" target="_blank" '
            'rel="noopener noreferrer">Watch it on YouTube') in page


def test_a_vimeo_video_contacts_vimeo_only_after_play_and_without_tracking(client, world):
    film = shared("film-vimeo", url="https://vimeo.com/76979871")
    client.force_login(world.leader)
    page = client.get(url(world, "resource_detail", resource_id=film.pk)).content.decode()
    assert "<iframe" not in page and "src=\"https://player.vimeo.com" not in page
    assert 'data-player-url="https://player.vimeo.com/video/76979871?dnt=1&amp;autoplay=1"' \
        in page
    assert "This video comes from Vimeo (player.vimeo.com)." in page


def test_another_link_opens_in_a_new_tab_and_says_so(client, world):
    article = shared("article-link", kind="article", url="https://example.org/article")
    client.force_login(world.leader)
    page = client.get(url(world, "resource_detail", resource_id=article.pk)).content.decode()
    assert "<iframe" not in page
    assert 'href="https://example.org/article" target="_blank" rel="noopener noreferrer"' in page
    assert "(opens in a new tab)" in page


def test_an_uploaded_file_is_served_only_inside_its_network(client, world, other_world):
    case = make_network_resource(world)
    assert not case.file.url.startswith("/n/")
    file_url = url(world, "resource_file", resource_id=case.pk)
    client.force_login(world.leader)
    response = client.get(file_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.force_login(other_world.leader)
    assert client.get(file_url).status_code == 404
    client.logout()
    assert client.get(file_url).status_code == 302  # to sign-in


def test_a_network_admin_adds_a_resource_with_a_link_in_one_language(client, world,
                                                                       other_world):
    client.force_login(world.admin)
    response = client.post(url(world, "resource_create"), {
        "title_nb": "Regionens egen case", "description_nb": "Fra Agder.", "kind": "case",
        "language": "nb", "duration_minutes": "15", "modules": ["strategy"],
        "url": "https://example.org/case"}, follow=True)
    assert response.status_code == 200
    resource = Resource.objects.of_network(world.network).get()
    assert resource.title == {"nb": "Regionens egen case"}
    assert resource.modules == ["strategy"]
    assert "Regionens egen case" in response.content.decode()
    client.force_login(other_world.leader)
    assert client.get(url(other_world, "library"), {"q": "Regionens"}).context[
        "page"].paginator.count == 0


def test_a_resource_needs_a_title_and_something_to_open(client, world):
    client.force_login(world.admin)
    response = client.post(url(world, "resource_create"), {"kind": "case", "language": "nb"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Give the resource a title in at least one language." in page
    assert "Give a link, upload a file or write a text" in page
    assert not Resource.objects.of_network(world.network).exists()


def test_only_network_admins_manage_and_only_their_own_resources(client, world, other_world):
    ours = make_network_resource(world)
    theirs = make_network_resource(other_world, slug="theirs")
    film = shared("shared-film")
    for role in ("leader", "coordinator", "facilitator"):
        client.force_login(world.person(role))
        assert client.get(url(world, "resource_create")).status_code == 404
        assert client.get(url(world, "resource_edit", resource_id=ours.pk)).status_code == 404
        assert client.post(url(world, "resource_delete", resource_id=ours.pk)).status_code == 404
    client.force_login(world.admin)
    for resource in (theirs, film):
        assert client.get(url(world, "resource_edit", resource_id=resource.pk)).status_code == 404
        assert client.post(url(world, "resource_delete",
                               resource_id=resource.pk)).status_code == 404
    assert Resource.unscoped.filter(pk__in=[ours.pk, theirs.pk, film.pk]).count() == 3


def test_an_admin_edits_and_deletes_the_networks_own_resource(
        client, world, django_capture_on_commit_callbacks):
    case = make_network_resource(world)
    stored = case.file.path
    client.force_login(world.admin)
    response = client.post(url(world, "resource_edit", resource_id=case.pk), {
        "title_en": "Our regional case", "title_da": "Vores regionale case", "kind": "case",
        "language": "da", "duration_minutes": "0"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.title == {"en": "Our regional case", "da": "Vores regionale case"}
    assert case.file, "an edit without a new file keeps the file"

    confirm = client.get(url(world, "resource_delete", resource_id=case.pk))
    assert "This cannot be undone." in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(world, "resource_delete", resource_id=case.pk))
    assert response.status_code == 302
    assert not Resource.unscoped.filter(pk=case.pk).exists()
    assert not os.path.exists(stored)
