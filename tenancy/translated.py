"""Text stored in three languages at once: {"nb": "...", "da": "...", "en": "..."}.

Programme content, resources and instruments keep their text this way so one row serves
every language; `translated()` picks the active language with a sensible fallback.
"""

from django.utils import translation

FALLBACKS = {"nb": ["nb", "da", "en"], "da": ["da", "nb", "en"], "en": ["en", "nb", "da"]}


def translated(value, language=None):
    if not isinstance(value, dict):
        return value or ""
    language = language or translation.get_language() or "en"
    for code in FALLBACKS.get(language[:2], ["en", "nb", "da"]):
        if value.get(code):
            return value[code]
    return next((text for text in value.values() if text), "")
