from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "tenancy"
    verbose_name = _("Networks and people")

    def ready(self):
        from tenancy import checks, signals  # noqa: F401 (registers checks and receivers)
