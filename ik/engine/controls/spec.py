"""What the rest of IK needs to know about one automated control, in one value.

Each control folder has a `spec.py` with a `SPEC`: its names, its inputs, its command-line
arguments, how to run it from parsed arguments, and the Swedish labels its results are shown
with. `ik.engine.controls.registry` lists every SPEC; the command line (`runcontrol`), the run
form, the background task and the oversight page all read that list and nothing else.
"""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ik.engine.result import ControlResult


@dataclass(frozen=True, slots=True)
class Upload:
    """A file the person running the control supplies on the run form."""

    key: str  # form field name and key of the stored file
    option: str  # the command-line option that takes its path, e.g. "--ledger"
    label: str  # lower case, as it reads in a sentence; forms capitalise it
    required: bool
    help: str = ""


@dataclass(frozen=True, slots=True)
class ControlSpec:
    """One automated control as the command line, the pages and the worker see it."""

    name: str  # "late_payments": the command-line name and the key stored on runs
    label: str  # "Försent betalda fakturor": the name people read everywhere else
    description: str  # one or two sentences on the run form
    help: str  # one line in `runcontrol --help`
    add_arguments: Callable[[ArgumentParser], None]
    run: Callable[[Mapping[str, Any]], ControlResult]
    uploads: tuple[Upload, ...] = ()
    # Inputs taken from the organisation's own registers: "systems", "competence", "units",
    # "contracts".
    registers: tuple[str, ...] = ()
    # Run-form parameters by name (see ik.controls.forms.PARAMETER_FIELDS).
    parameters: tuple[str, ...] = ()
    measures_share: bool = False
    # The detail that counts the population when it is not the file's rows (oversight weights).
    weight_key: str | None = None
    # Keys of the units' extra figures shown as columns of the result page's unit table
    # (labels from column_labels); JSON holds them all.
    unit_columns: tuple[str, ...] = ()
    detail_labels: Mapping[str, str] = field(default_factory=dict)
    column_labels: Mapping[str, str] = field(default_factory=dict)
    finding_kinds: Mapping[str, str] = field(default_factory=dict)
    # Example input files in ik/engine/examples, offered for download on the run form.
    examples: tuple[str, ...] = ()
