"""config.storage: in production a page links each static file by its hashed name from the
manifest (so a new release is never served an old file from a browser's cache), as WhiteNoise
does, though the URL is worked out once per process."""

import json

import pytest
from whitenoise.storage import CompressedManifestStaticFilesStorage

from config.storage import StaticFilesWithURLsKept


@pytest.fixture
def manifest(tmp_path):
    (tmp_path / "staticfiles.json").write_text(json.dumps({
        "version": "1.1", "hash": "0", "paths": {"css/bro.css": "css/bro.4f2a9c.css"}}))
    return tmp_path


def test_a_file_is_linked_by_its_hashed_name_as_whitenoise_links_it(manifest, settings):
    settings.DEBUG = False
    kept = StaticFilesWithURLsKept(location=manifest, base_url="/static/")
    plain = CompressedManifestStaticFilesStorage(location=manifest, base_url="/static/")
    assert kept.url("css/bro.css") == kept.url("css/bro.css") == plain.url("css/bro.css")
    assert kept.url("css/bro.css") == "/static/css/bro.4f2a9c.css"


def test_a_file_missing_from_the_manifest_fails_every_time(manifest, settings):
    settings.DEBUG = False
    kept = StaticFilesWithURLsKept(location=manifest, base_url="/static/")
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            kept.url("css/gone.css")
