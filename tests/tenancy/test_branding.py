"""A network's look (README, "Design language"): its accent colour, delivered as a stylesheet
(the CSP forbids style attributes) with text that stays readable on it, and its logo, both
set by the network admin on the network's settings page."""

import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tenancy.branding import MIN_TEXT_CONTRAST, contrast_ratio, text_colour_on
from tenancy.models import Network
from tests.tenancy.test_sign_in_admin import png_bytes

pytestmark = pytest.mark.django_db


def test_the_text_on_any_accent_reads_at_4_5_to_1_at_least():
    steps = range(0, 256, 17)
    for red, green, blue in itertools.product(steps, steps, steps):
        accent = f"#{red:02x}{green:02x}{blue:02x}"
        assert contrast_ratio(text_colour_on(accent), accent) >= MIN_TEXT_CONTRAST, accent


def test_light_accents_get_black_text_and_dark_ones_white():
    assert text_colour_on("#ffd200") == "#000000"
    assert text_colour_on("#0b4f8a") == "#ffffff"


def settings_url(world):
    return reverse("network_settings", args=[world.network.slug])


def save_settings(client, world, **fields):
    client.force_login(world.admin)
    return client.post(settings_url(world), {
        "retention_months": world.network.retention_months, "accent_colour": "#0b4f8a",
        **fields})


class TestTheNetworkAdminSetsTheLook:
    def test_the_accent_reaches_every_page_through_a_versioned_stylesheet(self, client, world):
        assert save_settings(client, world, accent_colour="#FFD200").status_code == 302
        network = Network.objects.get(pk=world.network.pk)
        assert network.accent_colour == "#ffd200"

        client.force_login(world.leader)
        page = client.get(reverse("leader_home", args=[network.slug])).content.decode()
        theme = reverse("network_theme", args=[network.slug])
        assert f'href="{theme}?v=ffd200"' in page
        assert "style=" not in page
        css = client.get(theme)
        assert css.headers["Content-Type"].startswith("text/css")
        assert css.content.decode() == (
            ":root { --network-accent: #ffd200; --on-network-accent: #000000; }\n")

    def test_a_colour_that_is_not_hex_is_refused(self, client, world, english_speakers):
        response = save_settings(client, world, accent_colour="red; } body { display: none")
        assert response.status_code == 200
        assert "six hexadecimal digits" in response.content.decode()
        assert Network.objects.get(pk=world.network.pk).accent_colour == ""

    def test_the_admin_uploads_and_removes_the_logo(self, client, world, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        save_settings(client, world, logo=SimpleUploadedFile(
            "logo.png", png_bytes(), content_type="image/png"))
        network = Network.objects.get(pk=world.network.pk)
        assert network.logo
        assert b"".join(client.get(reverse("network_logo", args=[network.slug]))
                        .streaming_content) == png_bytes()
        save_settings(client, world, remove_logo="on")
        assert not Network.objects.get(pk=world.network.pk).logo

    def test_a_file_that_is_no_image_is_refused(self, client, world, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        response = save_settings(client, world, logo=SimpleUploadedFile(
            "logo.svg", b"<svg onload='alert(1)'></svg>", content_type="image/svg+xml"))
        assert response.status_code == 200
        assert not Network.objects.get(pk=world.network.pk).logo

    def test_a_network_without_an_accent_links_no_theme(self, client, world):
        client.force_login(world.leader)
        page = client.get(reverse("leader_home", args=[world.network.slug])).content.decode()
        assert "/themes/" not in page
