"""HTML to PDF with WeasyPrint, loading nothing from any network.

Imported only where a PDF is made (the Celery task): WeasyPrint takes seconds to import.
"""

import base64
import logging
import mimetypes
from urllib.parse import unquote, unquote_to_bytes

from django.core.files.storage import default_storage

from assessments.reports.document import STORAGE_SCHEME

# WeasyPrint tells every step of every PDF at INFO; a worker's log needs only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402


class OfflineURLFetcher(URLFetcher):
    """Serves data: URIs and the named files of Django's default storage; refuses anything
    else (http, https, file, ...): a report never loads a URL, whatever its HTML says."""

    def __init__(self, storage_names=()):
        super().__init__(allowed_protocols=("data", STORAGE_SCHEME))
        self.storage_names = frozenset(storage_names)

    def fetch(self, url, headers=None):
        scheme, _colon, rest = url.partition(":")
        scheme = scheme.lower()
        if scheme == "data":
            return _data_response(url, rest)
        name = unquote(rest)
        if scheme == STORAGE_SCHEME and name in self.storage_names:
            with default_storage.open(name, "rb") as stored:
                body = stored.read()
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": content_type})
        raise ValueError(f"a report loads nothing from outside: {url[:200]}")


def _data_response(url, rest):
    """data:[<media type>][;base64],<data> (RFC 2397)."""
    header, _comma, payload = rest.partition(",")
    parameters = header.split(";")
    body = unquote_to_bytes(payload)
    if "base64" in parameters[1:]:
        body = base64.b64decode(body)
    return URLFetcherResponse(url, body, {"Content-Type": parameters[0] or "text/plain"})


# PDF/UA-1: a tagged PDF (headings, lists, tables with their header cells, figures), with the
# document's language and its title shown as the window title, so a screen reader can read it.
PDF_VARIANT = "pdf/ua-1"


def html_to_pdf(html, storage_names=()):
    """The tagged PDF bytes of an HTML document; `storage_names` are the stored files it may
    show."""
    return HTML(string=html, url_fetcher=OfflineURLFetcher(storage_names)).write_pdf(
        pdf_variant=PDF_VARIANT)
