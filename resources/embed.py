"""Privacy-friendly players for external videos: YouTube without cookies, Vimeo without tracking.

The page holds only a notice saying where the video comes from; the player is loaded (by
resources/static/resources/video-consent.js) when the person presses play, so the video
service learns nothing about people who only open the page. Both hosts are allowed in the
Content-Security-Policy's frame-src; any other link opens in a new tab instead of being embedded."""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse


@dataclass(frozen=True)
class Embed:
    player_url: str  # loaded only after the person presses play
    service: str  # the service's name, as the notice names it
    domain: str  # where the player comes from, as the notice names it

YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")


def _youtube_id(url):
    host = url.hostname or ""
    if host == "youtu.be":
        candidate = url.path.lstrip("/").split("/")[0]
    elif host in ("youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com",
                  "www.youtube-nocookie.com"):
        if url.path == "/watch":
            candidate = parse_qs(url.query).get("v", [""])[0]
        else:
            parts = url.path.strip("/").split("/")
            candidate = parts[1] if len(parts) == 2 and parts[0] in (
                "embed", "shorts", "live", "v") else ""
    else:
        return None
    return candidate if YOUTUBE_ID.match(candidate) else None


def _vimeo_id(url):
    host = url.hostname or ""
    if host not in ("vimeo.com", "www.vimeo.com", "player.vimeo.com"):
        return None
    digits = [part for part in url.path.split("/") if part.isdigit()]
    return digits[0] if digits else None


def embed_of(link):
    """The embeddable, privacy-friendly player for this link (it starts playing when loaded,
    since loading it is the press on play), or None."""
    if not link:
        return None
    url = urlparse(link)
    if url.scheme not in ("http", "https"):
        return None
    youtube = _youtube_id(url)
    if youtube:
        return Embed(f"https://www.youtube-nocookie.com/embed/{youtube}?autoplay=1", "YouTube",
                     "youtube-nocookie.com")
    vimeo = _vimeo_id(url)
    if vimeo:
        return Embed(f"https://player.vimeo.com/video/{vimeo}?dnt=1&autoplay=1", "Vimeo",
                     "player.vimeo.com")
    return None
