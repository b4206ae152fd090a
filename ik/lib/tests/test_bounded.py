"""A parser in a child process with a memory ceiling: the hostile input fails, the caller lives.

Each test is the fault itself: a function that allocates gigabytes, one that never returns,
one whose child dies, run through `run_bounded` from this very process, which must go on.
"""

from __future__ import annotations

import os
import signal
import time

import pytest

from ik.engine.errors import InputError, InputProblem
from ik.lib.bounded import (
    ChildFailed,
    MemoryLimitError,
    TimeoutLimitError,
    parse_upload,
    run_bounded,
)
from ik.lib.filelimits import LimitError


def allocate(mib: int) -> int:
    return len(bytearray(mib * 1024 * 1024))


def refuse_row() -> None:
    problem = InputProblem(3, "prioritet", "tre", "Prioriteten är inget heltal")
    raise InputError("Filen har fel", row=3, column="prioritet", problems=(problem,))


def die() -> None:
    os.kill(os.getpid(), signal.SIGABRT)


def test_what_the_function_returns_comes_back() -> None:
    assert run_bounded(allocate, 20, memory_mb=200, setting="IK_TEST_MB") == 20 * 1024 * 1024


def test_a_function_that_wants_more_memory_is_stopped_and_the_caller_goes_on() -> None:
    with pytest.raises(MemoryLimitError) as refused:
        run_bounded(allocate, 4096, memory_mb=64, setting="IK_PARSE_MEMORY_MB")
    assert str(refused.value) == (
        "Filen kräver mer minne än gränsen (64 MB) och har inte lästs in. "
        "Dela upp filen, eller be systemförvaltningen höja IK_PARSE_MEMORY_MB."
    )
    # The caller allocated nothing of it and can run the next file at once.
    assert run_bounded(allocate, 1, memory_mb=64, setting="IK_PARSE_MEMORY_MB") == 1024 * 1024


def test_an_input_error_comes_back_with_its_row_column_and_problems() -> None:
    with pytest.raises(InputError) as refused:
        run_bounded(refuse_row, memory_mb=64, setting="IK_TEST_MB")
    error = refused.value
    assert (error.row, error.column, str(error)) == (
        3,
        "prioritet",
        "Filen har fel (rad 3, kolumn prioritet)",
    )
    assert [str(p) for p in error.problems] == [
        "Rad 3, kolumn prioritet: Prioriteten är inget heltal ('tre')"
    ]


def test_a_function_that_never_returns_is_killed_at_its_deadline() -> None:
    started = time.monotonic()
    with pytest.raises(TimeoutLimitError, match=r"gränsen \(0,5 sekunder\) och avbröts"):
        run_bounded(time.sleep, 600, memory_mb=64, setting="IK_TEST_MB", timeout_s=0.5)
    assert time.monotonic() - started < 600


def test_a_child_that_dies_in_native_code_is_reported_not_raised_as_a_crash() -> None:
    with pytest.raises(ChildFailed, match="Filen kan vara skadad eller kräva mer minne"):
        run_bounded(die, memory_mb=64, setting="IK_TEST_MB")


def test_every_refusal_is_a_limit_error_the_forms_already_show() -> None:
    assert issubclass(MemoryLimitError, LimitError)
    assert issubclass(TimeoutLimitError, LimitError)
    assert issubclass(ChildFailed, LimitError)


def test_uploads_are_parsed_within_the_configured_limit(settings) -> None:
    settings.IK_PARSE_MEMORY_MB = 32
    with pytest.raises(MemoryLimitError, match=r"\(32 MB\).*IK_PARSE_MEMORY_MB"):
        parse_upload(allocate, 1024)
