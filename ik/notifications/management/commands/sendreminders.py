"""Send due reminders by e-mail once, or keep doing so (`--loop`) next to the worker."""

from __future__ import annotations

import logging
import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from ik.notifications.reminders import send_reminders

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Skickar påminnelser om poster att rapportera, försenade åtgärder och uppföljningar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Fortsätt tills den avbryts.")
        parser.add_argument(
            "--interval", type=int, default=3600, help="Sekunder mellan körningarna i --loop."
        )
        parser.add_argument("--today", help="Räkna som om det vore detta datum (ÅÅÅÅ-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            fixed = date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError:
            raise CommandError("--today ska vara ett datum som 2018-08-31.") from None
        if options["interval"] < 1:
            raise CommandError("--interval ska vara minst 1 sekund.")
        if not options["loop"]:
            self._run_once(fixed or timezone.localdate())
            return
        while True:
            try:
                self._run_once(fixed or timezone.localdate())
            except Exception:
                # A mail server or database that is down for a while must not stop the loop;
                # what was not sent is tried again next time.
                logger.exception("Sending reminders failed; trying again in the next round")
            close_old_connections()
            time.sleep(options["interval"])

    def _run_once(self, today: date) -> None:
        count = send_reminders(today=today)
        self.stdout.write(f"{today:%Y-%m-%d}: {count} påminnelser skickade.")
