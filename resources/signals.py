"""Signals through which apps above resources add to the library's forms.

A resource can be tagged with the dimensions or capabilities of an instrument it helps with
(Resource.dimension_tags); instruments live in assessments, above resources in Bro's layers,
so assessments hands the choices in through this signal (as modules does for reports).
"""

from django.dispatch import Signal

# Sent when a form with dimension tags is made (sender: its class: ResourceForm, the staff
# ActivityTextsForm, the cohort's OwnActivityForm). Each receiver answers with
# [(instrument name, [("instrument slug:dimension code", dimension name), ...]), ...].
dimension_tag_choices = Signal()


def tag_choices(sender):
    return [group for _receiver, groups in dimension_tag_choices.send(sender=sender)
            for group in groups or []]
