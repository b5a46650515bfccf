"""Sectors a resource can be tagged with (the programme file uses these slugs)."""

from django.utils.translation import gettext_lazy as _

SECTORS = {
    "health": _("Health"),
    "elderly-care": _("Elderly care"),
    "education": _("Education and childhood"),
    "building": _("Planning and building"),
    "property": _("Property and technical services"),
    "social": _("Social services"),
    "culture": _("Culture and leisure"),
    "administration": _("Administration"),
}


def sector_label(slug):
    return SECTORS.get(slug) or slug.replace("-", " ").capitalize()
