"""Run a parser in a child process with a memory ceiling, so a hostile file cannot take IK down.

The limits in `ik.lib.filelimits` refuse what a file declares before it is read. What a file
does not declare (a ledger whose every row is legal but whose sum is not, a document that
unpacks within its limits into a tree that does not) can still need more memory than the
machine has. `run_bounded` forks, lowers the child's address-space limit to what it already
has plus `memory_mb`, and runs the function there. If the child runs out, the parent gets a
`MemoryLimitError` with a Swedish message naming the limit; the web process or the worker
keeps running, and since the child writes nothing to the database nothing is half-saved.

The child is a fork of the caller: it starts at once with everything imported, and gets its
arguments without copying. It must not touch the database or any other connection it
inherited (the functions run here are pure parsers and controls from `ik.engine` and
`ik.lib`), and it leaves with `os._exit` so nothing of the parent is flushed or closed twice.
Results and exceptions come back pickled through a pipe.
"""

from __future__ import annotations

import faulthandler
import os
import pickle
import resource
import select
import signal
import sys
import time
import traceback
import warnings
from collections.abc import Callable
from typing import Any

from django.conf import settings

from ik.lib.filelimits import LimitError

MIB = 1024 * 1024
# Exit code of a child whose function raised something that could not be pickled back.
_UNPICKLABLE = 3


class MemoryLimitError(LimitError):
    """The child needed more memory than it was given."""

    def __init__(self, memory_mb: int, setting: str) -> None:
        super().__init__(
            f"Filen kräver mer minne än gränsen ({memory_mb} MB) och har inte lästs in. "
            f"Dela upp filen, eller be systemförvaltningen höja {setting}."
        )
        self.memory_mb = memory_mb


class TimeoutLimitError(LimitError):
    """The child ran past its time and was stopped."""

    def __init__(self, timeout_s: float) -> None:
        seconds = f"{timeout_s:g}".replace(".", ",")
        super().__init__(f"Inläsningen tog längre tid än gränsen ({seconds} sekunder) och avbröts.")


class ChildFailed(LimitError):
    """The child died without an answer: killed, or crashed in native code."""


def _address_space() -> int:
    """Bytes of address space this process has mapped now."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[0])
    return pages * resource.getpagesize()


# How running out of address space shows when it is not a MemoryError: a native library
# that cannot be mapped, a thread without room for its stack, DuckDB's own exception.
_OUT_OF_MEMORY_SIGNS = ("failed to map segment", "can't start new thread", "cannot allocate memory")


def _out_of_memory(exc: BaseException) -> bool:
    if isinstance(exc, MemoryError) or "OutOfMemory" in type(exc).__name__:
        return True
    text = str(exc).lower()
    return any(sign in text for sign in _OUT_OF_MEMORY_SIGNS)


def _child(write_fd: int, memory_mb: int, func: Callable[..., Any], args: Any, kwargs: Any) -> None:
    code = 0
    faulthandler.disable()  # a native crash is the parent's to report, not a dump in its log
    try:
        limit = _address_space() + memory_mb * MIB
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        try:
            outcome: tuple[str, Any] = ("ok", func(*args, **kwargs))
        except BaseException as exc:  # every failure goes back to the parent to be raised there
            outcome = ("memory", None) if _out_of_memory(exc) else ("raised", exc)
        try:
            payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            payload = pickle.dumps(("memory", None))
        except Exception:
            error = outcome[1]
            text = f"{type(error).__name__}: {error}"
            payload = pickle.dumps(("unpicklable", text))
            code = _UNPICKLABLE
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(payload)
    except BaseException:
        traceback.print_exc(file=sys.stderr)
        code = 1
    finally:
        os._exit(code)


def _fork() -> int:
    # Python warns that forking a process with threads (a threaded web server, the worker's
    # heartbeat) may deadlock the child on a lock another thread held. The child here only
    # parses in pure Python and native readers, never logs or touches those locks, and exits.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
        return os.fork()


def _read_all(read_fd: int, pid: int, timeout_s: float | None) -> bytes:
    """All the child writes, until it closes the pipe; the child is killed at the deadline."""
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    chunks: list[bytes] = []
    with os.fdopen(read_fd, "rb", buffering=0) as pipe:
        while True:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([pipe], [], [], wait)
            if not ready:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise TimeoutLimitError(timeout_s or 0)
            chunk = pipe.read(1024 * 1024)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def run_bounded[T](
    func: Callable[..., T],
    /,
    *args: Any,
    memory_mb: int,
    setting: str,
    timeout_s: float | None = None,
    **kwargs: Any,
) -> T:
    """`func(*args, **kwargs)` in a child limited to `memory_mb` more than it starts with.

    `setting` names the environment variable that sets `memory_mb`, for the message.

    Returns what the function returns and raises what it raises: `MemoryLimitError` when it
    ran out of memory, `TimeoutLimitError` when it ran past `timeout_s` seconds (and was
    killed), `ChildFailed` when the child died without a word.
    """
    read_fd, write_fd = os.pipe()
    pid = _fork()
    if pid == 0:
        os.close(read_fd)
        _child(write_fd, memory_mb, func, args, kwargs)
    os.close(write_fd)
    payload = _read_all(read_fd, pid, timeout_s)
    _, status = os.waitpid(pid, 0)
    if not payload:
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
            raise MemoryLimitError(memory_mb, setting)  # the kernel's out-of-memory killer
        # A native reader that aborts when an allocation fails ends here too.
        raise ChildFailed(
            "Inläsningen avbröts oväntat. Filen kan vara skadad eller kräva mer minne än "
            f"gränsen ({memory_mb} MB, {setting})."
        )
    # Our own child wrote this, from our own function's result: not data from outside.
    kind, value = pickle.loads(payload)  # noqa: S301
    if kind == "ok":
        return value  # type: ignore[no-any-return]
    if kind == "memory":
        raise MemoryLimitError(memory_mb, setting)
    if kind == "unpicklable":
        raise ChildFailed(f"Inläsningen avbröts: {value}")
    raise value


def parse_upload[T](func: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """`func` on an uploaded file, in a child within IK_PARSE_MEMORY_MB and its timeout.

    For the web process: a register, a structure file, a Word template or a logo is read
    here, so a file that would need gigabytes is refused instead of taking the server down.
    """
    return run_bounded(
        func,
        *args,
        memory_mb=settings.IK_PARSE_MEMORY_MB,
        setting="IK_PARSE_MEMORY_MB",
        timeout_s=settings.IK_PARSE_TIMEOUT_SECONDS,
        **kwargs,
    )
