"""The automated controls that `runcontrol` and the follow-up pages can run.

Each control registers a `ControlCommand`: how to add its command-line arguments and how to
run it from the parsed options. The engine does the work; this is only the adapter.
"""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ik.engine.result import ControlResult


@dataclass(frozen=True)
class ControlCommand:
    name: str
    help: str
    add_arguments: Callable[[ArgumentParser], None]
    run: Callable[[Mapping[str, Any]], ControlResult]


REGISTRY: dict[str, ControlCommand] = {}


def register(command: ControlCommand) -> ControlCommand:
    if command.name in REGISTRY:
        raise ValueError(f"control {command.name!r} registered twice")
    REGISTRY[command.name] = command
    return command
