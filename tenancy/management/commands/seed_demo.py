from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from tenancy.demo import DEMO_PASSWORD
from tenancy.scoping import platform_wide


@dataclass
class Demo:
    """What one app's demo seeder hands to the next (apps seed in INSTALLED_APPS order)."""

    networks: list = field(default_factory=list)
    leader_groups: list = field(default_factory=list)
    facilitators: dict = field(default_factory=dict)
    sign_ins: list = field(default_factory=list)


class Command(BaseCommand):
    help = "Load the demo: two networks, their people, programme, cohorts and answers. Idempotent."

    @platform_wide()
    def handle(self, *args, **options):
        demo = Demo()
        with transaction.atomic():
            for config in apps.get_app_configs():
                module_name = f"{config.name}.demo"
                if config.name.startswith(("django.", "allauth")) or not find_spec(module_name):
                    continue
                import_module(module_name).seed(demo)
        self.stdout.write(self.style.SUCCESS("Demo data is loaded. Sign in at http://127.0.0.1:8000"))
        self.stdout.write(f"Every demo person can use a one-time code sent by email (printed in "
                          f"this console) or the password {DEMO_PASSWORD!r}.")
        self.stdout.write("Network admins and platform staff need a TOTP code: "
                          ".venv/bin/python manage.py demo_totp")
        for role, email, mfa in demo.sign_ins:
            self.stdout.write(f"  {role:<55} {email}{'  (+ TOTP)' if mfa else ''}")
