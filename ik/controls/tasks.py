"""Background tasks: controls on large files run in the worker (`manage.py db_worker`)."""

from __future__ import annotations

from django.tasks import task


@task()
def run_control(run_id: int) -> None:
    from ik.controls.services import control_run_execute

    control_run_execute(run_id=run_id)
