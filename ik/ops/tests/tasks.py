"""A task for the two-machine test: two workers must each take one at the same time."""

import os
import time
from pathlib import Path

from django.tasks import task


@task()
def meet(folder: str, expected: int) -> int:
    """Sign in to `folder` and wait until `expected` different processes have signed in."""
    here = Path(folder)
    (here / str(os.getpid())).touch()
    for _ in range(600):
        if len(list(here.iterdir())) >= expected:
            return os.getpid()
        time.sleep(0.1)
    raise TimeoutError("the other worker never took its task")
