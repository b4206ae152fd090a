"""Files that need more memory than IK gives a parser: refused, nothing saved, server alive.

The register below is legal row by row and within the upload size; it is its sum that a
small memory ceiling cannot hold. The same holds for a control run's ledger in the worker:
the run fails with the limit named, and the next run in the same process succeeds.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from ik.controls import running, services
from ik.controls.models import ControlRun
from ik.org.models import AuditEvent
from ik.systems.models import System
from ik.systems.tests.test_services import HEADER
from ik.test import BaseTestCase

LEDGER_HEADER = "FAKTURANR;LEVERANTOR;ANSVAR;FAKTURADATUM;FORFALLODATUM;BETALDATUM;BELOPP_SEK\n"


def large_register(rows: int) -> bytes:
    lines = [f"System {i};;övrig;{i % 9 + 1};;8;nej;;" for i in range(rows)]
    return (HEADER + "\n".join(lines) + "\n").encode("utf-8")


def ledger(rows: int) -> bytes:
    lines = [
        f"{i};Leverantör {i % 400};11;2018-01-01;2018-01-31;2018-02-10;{i % 1000}"
        for i in range(rows)
    ]
    return (LEDGER_HEADER + "\n".join(lines) + "\n").encode("utf-8")


class BoundedRegisterImportTests(BaseTestCase):
    def post(self, data: bytes):
        self.client.force_login(self.controller)
        url = reverse("systems:register_import", kwargs={"org": "testkommun"})
        upload = SimpleUploadedFile("system.csv", data, content_type="text/csv")
        return self.client.post(url, {"systems_file": upload, "replace": "0"})

    @override_settings(IK_PARSE_MEMORY_MB=16)
    def test_a_register_too_large_for_the_memory_limit_is_refused_and_nothing_is_saved(self):
        before = (System.objects.count(), AuditEvent.objects.count())
        response = self.post(large_register(60_000))
        html = response.content.decode()
        assert "Filen kräver mer minne än gränsen (16 MB) och har inte lästs in." in html
        assert "IK_PARSE_MEMORY_MB" in html
        assert (System.objects.count(), AuditEvent.objects.count()) == before
        # The same server process reads the next, ordinary file.
        with override_settings(IK_PARSE_MEMORY_MB=1024):
            self.post(large_register(3))
        assert System.objects.filter(organisation=self.org, name__startswith="System ").count() == 3


class BoundedControlRunTests(BaseTestCase):
    def queue(self) -> ControlRun:
        return services.control_run_request(
            entry=self.other_entry,
            by=self.controller,
            control="late_payments",
            uploads={"ledger": SimpleUploadedFile("reskontra.csv", ledger(5_000))},
            arguments=["--target", "5"],
        )

    def test_a_ledger_over_the_memory_limit_fails_its_run_and_the_worker_runs_the_next(self):
        with override_settings(IK_CONTROL_MEMORY_MB=16):
            starved = running.control_run_execute(run_id=self.queue().pk)
        starved.refresh_from_db()
        assert starved.status == ControlRun.Status.FAILED
        assert starved.error.startswith("Filen kräver mer minne än gränsen (16 MB)")
        assert "IK_CONTROL_MEMORY_MB" in starved.error
        assert starved.result is None
        fed = running.control_run_execute(run_id=self.queue().pk)
        fed.refresh_from_db()
        assert fed.status == ControlRun.Status.DONE, fed.error
        assert fed.result is not None
