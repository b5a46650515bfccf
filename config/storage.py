"""The static files' storage in production."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesWithURLsKept(CompressedManifestStaticFilesStorage):
    """WhiteNoise's manifest storage, with each file's URL worked out once per process: the
    manifest does not change while a process runs, and working a URL out from it (name
    cleaning, hashing look-up, URL quoting) cost a page more than rendering the tag
    (issue 11)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        try:
            return self._urls[name]
        except KeyError:
            url = self._urls[name] = super().url(name)
            return url
