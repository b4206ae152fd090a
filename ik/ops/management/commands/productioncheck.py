"""`manage.py productioncheck`: exit non-zero when the settings are for development."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ik.ops.production import development_settings, refusal_message


class Command(BaseCommand):
    help = "Vägrar (felkod 1) om inställningarna är för utveckling; körs av make serve."

    def handle(self, *args: Any, **options: Any) -> None:
        reasons = development_settings(settings)
        if reasons:
            raise CommandError(refusal_message(reasons))
        self.stdout.write("Inställningarna är för produktion.")
