from django.apps import AppConfig
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from assessments import receivers  # noqa: F401 (connects the receivers)
        from assessments.services import refuse_changing_a_locked_threshold
        from tenancy.models import Network

        pre_save.connect(refuse_changing_a_locked_threshold, sender=Network,
                         dispatch_uid="assessments.locked_threshold")
