"""Strings that Django itself shows but whose Bokmål translation Django lacks (its Danish one
exists). Naming them here puts them in locale/, which takes precedence over Django's own."""

from django.utils.translation import gettext_noop

MISSING_IN_DJANGOS_BOKMAL = [
    gettext_noop("- Select an option -"),  # the empty choice of every select box
]
