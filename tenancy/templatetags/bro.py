from django import template

from tenancy.translated import translated

register = template.Library()


@register.filter(name="tr")
def tr(value):
    """{{ activity.title|tr }}: the text in the active language (see tenancy.translated)."""
    return translated(value)
