"""Start-up order for the command line, the run form and the result page."""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Mapping
from typing import Any

from ik.engine.controls.continuity_common import add_systems_argument, with_files
from ik.engine.controls.spec import ControlSpec
from ik.engine.controls.startup_order.control import startup_order
from ik.engine.result import ControlResult
from ik.engine.systems import read_systems


def add_arguments(parser: ArgumentParser) -> None:
    add_systems_argument(parser)


def run(options: Mapping[str, Any]) -> ControlResult:
    path = options["systems"]
    return with_files(startup_order(read_systems(path)), systems=path)


SPEC = ControlSpec(
    name="startup_order",
    label="Uppstartsordning",
    description=(
        "Prioritetslistan i systemregistret mot beroendena: cykler, system som startar före "
        "något de behöver, okända beroenden."
    ),
    help="Följer uppstartsprioriteringen systemens beroenden?",
    add_arguments=add_arguments,
    run=run,
    registers=("systems",),
    detail_labels={
        "proposed_order": "Föreslagen uppstartsordning",
        "not_orderable": "System som inte kan ordnas (cykel)",
    },
    finding_kinds={
        "cycle": "Cykel",
        "priority_before_dependency": "Startar före beroende",
        "unknown_dependency": "Okänt beroende",
    },
)
