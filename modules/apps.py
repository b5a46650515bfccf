from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModulesConfig(AppConfig):
    name = "modules"
    verbose_name = _("Modules")

    def ready(self):
        from modules import receivers  # noqa: F401 (connects the receivers)
