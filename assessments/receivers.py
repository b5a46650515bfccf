"""Answers to lower apps' signals (connected in assessments.apps)."""

from django.dispatch import receiver

from assessments.models import Instrument
from resources.signals import dimension_tag_choices
from tenancy.translated import translated


@receiver(dimension_tag_choices)
def instrument_dimension_tags(sender, **kwargs):
    """The dimensions of the newest version of each instrument, as resource tags."""
    newest = {}
    for instrument in Instrument.objects.prefetch_related("dimensions").order_by(
            "slug", "-version"):
        newest.setdefault(instrument.slug, instrument)
    return [(translated(instrument.name),
             [(f"{instrument.slug}:{dimension.code}", translated(dimension.name))
              for dimension in instrument.dimensions.all()])
            for instrument in newest.values()]
