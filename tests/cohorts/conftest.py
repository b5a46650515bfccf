"""Fixtures shared by the cohort tests."""

import pytest

from tests.factories import with_mfa


@pytest.fixture
def admin(client, world):
    """The client signed in as the world's network admin (with an authenticator), in English."""
    world.admin.language = "en"
    world.admin.save(update_fields=["language"])
    client.force_login(with_mfa(world.admin))
    return client
