"""Background tasks: controls on large files run in the worker (`manage.py worker`)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from ik.controls.models import ControlRun
from ik.controls.running import control_run_execute


@task()
def run_control(run_id: int) -> None:
    run = control_run_execute(run_id=run_id)
    if run.status == ControlRun.Status.QUEUED:
        # Its organisation has its share of runs going; give the worker to someone else.
        later = timezone.now() + timedelta(seconds=settings.IK_CONTROL_RUN_RETRY_SECONDS)
        run_control.using(run_after=later).enqueue(run_id)
