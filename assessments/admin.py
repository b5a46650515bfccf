"""The platform admin's network form also keeps a network's anonymity threshold fixed once
anyone has answered there (assessments.services.anonymity_threshold_is_locked)."""

from django import forms
from django.contrib import admin

from assessments.services import ANONYMITY_THRESHOLD_LOCKED, anonymity_threshold_is_locked
from tenancy.admin import NetworkAdmin, NetworkAdminForm
from tenancy.models import Network


class NetworkWithAnswersAdminForm(NetworkAdminForm):
    def clean_anonymity_threshold(self):
        k = self.cleaned_data["anonymity_threshold"]
        network = self.instance  # still as stored: the form copies its data in after cleaning
        if network.pk and k != network.anonymity_threshold and \
                anonymity_threshold_is_locked(network):
            raise forms.ValidationError(ANONYMITY_THRESHOLD_LOCKED)
        return k


admin.site.unregister(Network)


@admin.register(Network)
class NetworkWithAnswersAdmin(NetworkAdmin):
    form = NetworkWithAnswersAdminForm
