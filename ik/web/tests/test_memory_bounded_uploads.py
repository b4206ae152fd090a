"""Files that need more memory than IK gives a parser: refused, nothing saved, server alive.

What a file needs is not known until it is read, and how much room the forked child finds
depends on the heap its parent has free, so each test makes the need certain: the reader or
the control is made to want 8 GiB for this file, as a decompression bomb or a runaway join
would. The real reader runs on the next, ordinary file in the same process.
"""

from __future__ import annotations

import dataclasses
from typing import Any
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from ik.controls import running, services
from ik.controls.models import ControlRun
from ik.engine import systems as engine_systems
from ik.engine.controls.registry import get_control
from ik.org.models import AuditEvent
from ik.systems.models import System
from ik.systems.tests.test_services import HEADER
from ik.test import BaseTestCase

LEDGER = (
    b"FAKTURANR;LEVERANTOR;ANSVAR;FAKTURADATUM;FORFALLODATUM;BETALDATUM;BELOPP_SEK\n"
    b"1;A;11;2018-01-01;2018-01-31;2018-02-10;100\n"
)
EIGHT_GIB = 8 * 1024**3


def register(rows: int) -> bytes:
    lines = [f"System {i};;övrig;{i % 9 + 1};;8;nej;;" for i in range(rows)]
    return (HEADER + "\n".join(lines) + "\n").encode("utf-8")


def greedy(real: Any) -> Any:
    """`real`, after first wanting 8 GiB, as a reader meeting a bomb would."""

    def wants_too_much(*args: Any, **kwargs: Any) -> Any:
        hoard = bytearray(EIGHT_GIB)
        return real(*args, **kwargs) if hoard else None

    return wants_too_much


class BoundedRegisterImportTests(BaseTestCase):
    def post(self, data: bytes):
        self.client.force_login(self.controller)
        url = reverse("systems:register_import", kwargs={"org": "testkommun"})
        upload = SimpleUploadedFile("system.csv", data, content_type="text/csv")
        return self.client.post(url, {"systems_file": upload, "replace": "0"})

    @override_settings(IK_PARSE_MEMORY_MB=256)
    def test_a_register_that_needs_more_than_the_limit_is_refused_and_nothing_is_saved(self):
        before = (System.objects.count(), AuditEvent.objects.count())
        real = engine_systems.read_systems
        with mock.patch.object(engine_systems, "read_systems", greedy(real)):
            html = self.post(register(3)).content.decode()
        assert "Filen kräver mer minne än gränsen (256 MB) och har inte lästs in." in html
        assert "IK_PARSE_MEMORY_MB" in html
        assert (System.objects.count(), AuditEvent.objects.count()) == before
        # The same server process reads the next file.
        self.post(register(3))
        assert System.objects.filter(organisation=self.org, name__startswith="System ").count() == 3


class BoundedControlRunTests(BaseTestCase):
    def queue(self) -> ControlRun:
        return services.control_run_request(
            entry=self.other_entry,
            by=self.controller,
            control="late_payments",
            uploads={"ledger": SimpleUploadedFile("reskontra.csv", LEDGER)},
            arguments=["--target", "5"],
        )

    @override_settings(IK_CONTROL_MEMORY_MB=1024)
    def test_a_run_that_needs_more_than_the_limit_fails_and_the_worker_runs_the_next(self):
        spec = get_control("late_payments")
        hungry = dataclasses.replace(spec, run=greedy(spec.run))
        with mock.patch.object(running, "get_control", lambda name: hungry):
            starved = running.control_run_execute(run_id=self.queue().pk)
        starved.refresh_from_db()
        assert starved.status == ControlRun.Status.FAILED
        assert starved.error.startswith("Filen kräver mer minne än gränsen (1024 MB)")
        assert "IK_CONTROL_MEMORY_MB" in starved.error
        assert starved.result is None
        fed = running.control_run_execute(run_id=self.queue().pk)
        fed.refresh_from_db()
        assert fed.status == ControlRun.Status.DONE, fed.error
        assert fed.result is not None
