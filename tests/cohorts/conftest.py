"""Fixtures shared by the cohort tests."""

import pytest

from tests.factories import make_journey, with_mfa


@pytest.fixture
def admin(client, world):
    """The client signed in as the world's network admin (with an authenticator), in English."""
    world.admin.language = "en"
    world.admin.save(update_fields=["language"])
    client.force_login(with_mfa(world.admin))
    return client


@pytest.fixture
def journey(world):
    """A module of a cohort the world's group takes part in (make_journey)."""
    return make_journey(world)
