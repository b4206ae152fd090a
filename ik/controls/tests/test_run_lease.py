"""A run whose worker stopped renewing its lease is failed, its page stops polling, and a
worker that comes back late files nothing."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ik.controls import running, services
from ik.controls.lease import EXPIRED_MESSAGE, control_runs_expire, lease
from ik.controls.models import ControlRun
from ik.followups.models import Deviation
from ik.test import BaseTestCase

LEDGER = (
    b"FAKTURANR;LEVERANTOR;ANSVAR;FAKTURADATUM;FORFALLODATUM;BETALDATUM;BELOPP_SEK\n"
    b"1;A;11;2018-01-01;2018-01-31;2018-02-10;100\n"
)


class RunLeaseTests(BaseTestCase):
    def _running(self, heartbeat_age: timedelta) -> ControlRun:
        ControlRun.objects.filter(pk=self.control_run.pk).update(
            status=ControlRun.Status.RUNNING, heartbeat_at=timezone.now() - heartbeat_age
        )
        return self.control_run

    def _page(self, run: ControlRun) -> str:
        self.client.force_login(self.controller)
        url = reverse("controls:control_run_detail", kwargs={"run_id": run.public_id})
        response = self.client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    def test_a_run_whose_worker_died_is_failed_and_its_page_stops_polling(self) -> None:
        run = self._running(lease() + timedelta(seconds=1))
        page = self._page(run)
        run.refresh_from_db()
        assert run.status == ControlRun.Status.FAILED
        assert run.error == EXPIRED_MESSAGE
        assert EXPIRED_MESSAGE in page
        assert 'hx-trigger="every' not in page

    def test_a_run_with_a_fresh_heartbeat_keeps_running_and_the_page_polls(self) -> None:
        run = self._running(timedelta(seconds=1))
        page = self._page(run)
        run.refresh_from_db()
        assert run.status == ControlRun.Status.RUNNING
        assert 'hx-trigger="every 2s"' in page

    def test_a_worker_that_comes_back_after_its_lease_ran_out_files_nothing(self) -> None:
        run = services.control_run_request(
            entry=self.other_entry,
            by=self.controller,
            control="late_payments",
            uploads={"ledger": SimpleUploadedFile("r.csv", LEDGER)},
            arguments=["--target", "5"],
        )
        compute = running._compute

        def slow_compute(run: ControlRun) -> object:
            # The worker stalls past its lease; meanwhile the run is found and failed.
            control_runs_expire(now=timezone.now() + lease() + timedelta(seconds=1))
            return compute(run)

        with mock.patch.object(running, "_compute", slow_compute):
            running.control_run_execute(run_id=run.pk)
        run.refresh_from_db()
        assert (run.status, run.error, run.result) == (
            ControlRun.Status.FAILED,
            EXPIRED_MESSAGE,
            None,
        )
        assert not Deviation.objects.filter(entry=self.other_entry).exists()
        self.other_entry.refresh_from_db()
        assert self.other_entry.result_text == ""
