"""Text stored in several languages at once: {"nb": "...", "nn": "...", "da": "...", "en": "..."}.

Programme content, resources and instruments keep their text this way so one row serves
every language; `translated()` picks the active language with a sensible fallback: a text
without Nynorsk (a custom instrument or resource written before nn) is shown in Bokmål.
"""

from django.utils import translation

FALLBACKS = {"nb": ["nb", "nn", "da", "en"], "nn": ["nn", "nb", "da", "en"],
             "da": ["da", "nb", "nn", "en"], "en": ["en", "nb", "nn", "da"]}


def translated(value, language=None):
    if not isinstance(value, dict):
        return value or ""
    language = language or translation.get_language() or "en"
    for code in FALLBACKS.get(language[:2], FALLBACKS["en"]):
        if value.get(code):
            return value[code]
    return next((text for text in value.values() if text), "")
