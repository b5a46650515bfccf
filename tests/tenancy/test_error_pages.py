"""Error pages with DEBUG off: Bro's layout, the person's language, and a server error page
that answers while the database is down."""

import re

import pytest
from django.db import OperationalError, connection
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.tenancy.error_urls")]


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


def lang_of(response):
    return re.search(r'<html lang="([a-z]+)">', response.content.decode()).group(1)


def h1_of(response):
    return " ".join(re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.S).group(1).split())


def in_bros_layout(response):
    html = response.content.decode()
    return (
        'class="site-header"' in html
        and 'class="site-footer"' in html
        and "/static/css/bro.css" in html
        and 'id="main"' in html
    )


def browser(language="en", **kwargs):
    return Client(raise_request_exception=False, headers={"accept-language": language}, **kwargs)


@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/fail/400/", 400, "Bro could not read this request"),
        ("/fail/403/", 403, "You cannot open this page"),
        ("/no-such-page/", 404, "Page not found"),
        ("/fail/500/", 500, "Something went wrong on our side"),
    ],
)
def test_each_error_page_is_in_bros_layout(url, status, heading):
    response = browser().get(url)
    assert response.status_code == status
    assert in_bros_layout(response)
    assert h1_of(response) == heading
    assert "Server Error" not in response.content.decode()


@pytest.mark.parametrize("url", ["/fail/400/", "/fail/403/", "/no-such-page/", "/fail/500/"])
@pytest.mark.parametrize(("accept_language", "language"), [("no", "nb"), ("da-DK", "da")])
def test_error_pages_speak_the_browsers_language(url, accept_language, language):
    # The nb/da wording arrives with the translations (integrator: check the h1 is translated).
    response = browser(accept_language).get(url)
    assert lang_of(response) == language
    assert response.headers["Content-Language"] == language


def test_a_signed_in_person_gets_a_404_in_their_language_with_their_menu(world):
    world.leader.language = "da"
    world.leader.save()
    client = browser("en")
    client.force_login(world.leader)
    response = client.get(f"/n/{world.network.slug}/no-such-page/")
    assert response.status_code == 404
    assert lang_of(response) == "da"
    assert 'class="site-nav"' in response.content.decode()


def test_a_network_the_person_is_not_in_is_the_same_404_page(world, other_world):
    client = browser()
    client.force_login(world.leader)
    response = client.get(f"/n/{other_world.network.slug}/")
    assert response.status_code == 404
    assert h1_of(response) == "Page not found" and in_bros_layout(response)


def test_a_refused_form_explains_itself_in_bros_layout():
    client = browser("en", enforce_csrf_checks=True)
    response = client.post("/accounts/login/code/", {"email": "someone@test.example"})
    assert response.status_code == 403
    assert in_bros_layout(response)
    assert h1_of(response) == "The form was not accepted"
    assert "reload the page" in response.content.decode()


def test_a_refused_form_speaks_the_picker_language():
    client = browser("en", enforce_csrf_checks=True)
    client.cookies["django_language"] = "nb"
    response = client.post("/accounts/login/code/", {"email": "someone@test.example"})
    assert response.status_code == 403 and lang_of(response) == "nb"


def database_down(execute, sql, params, many, context):
    raise OperationalError("the database is down")


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_server_error_page_answers_while_the_database_is_down(world, signed_in):
    client = browser("da")
    if signed_in:
        client.force_login(world.leader)  # the session and the person live in the database
    with connection.execute_wrapper(database_down):
        response = client.get("/fail/database/")
    assert response.status_code == 500
    assert in_bros_layout(response)
    assert lang_of(response) == "da"
    assert 'class="site-nav"' not in response.content.decode()
