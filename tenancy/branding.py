"""A network's own look: its accent colour, and the text colour that stays readable on it.

The accent reaches pages through a small stylesheet per network (`network_theme`), never
through style attributes, which the strict CSP refuses."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_ACCENT = "#0b4f8a"  # Bro's own blue, static/css/bro.css --brand
LIGHT_TEXT, DARK_TEXT = "#ffffff", "#000000"
# WCAG 2.1 AA for normal text; white or black always reaches it on any colour (at least 4.58:1).
MIN_TEXT_CONTRAST = 4.5


def relative_luminance(colour):
    """WCAG 2.1's relative luminance of "#rrggbb"."""
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(int(colour[i:i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first, second):
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)),
                             reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_on(background):
    """White or black, whichever reads better on `background`."""
    return max((LIGHT_TEXT, DARK_TEXT), key=lambda text: contrast_ratio(text, background))


def validate_accent_colour(value):
    if not HEX_COLOUR.match(value or ""):
        raise ValidationError(_("Give the colour as # and six hexadecimal digits, e.g. #0b4f8a."))


def theme_css(accent):
    """The stylesheet that puts the network's accent on the page's tokens."""
    accent = accent.lower()
    return (f":root {{ --network-accent: {accent}; "
            f"--on-network-accent: {text_colour_on(accent)}; }}\n")
