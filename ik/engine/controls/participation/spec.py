"""Participation for the command line, the run form and the result page."""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Mapping
from typing import Any

from ik.engine.controls.continuity_common import with_files
from ik.engine.controls.participation.control import participation
from ik.engine.controls.spec import ControlSpec, Upload
from ik.engine.result import ControlResult
from ik.engine.systems import read_participants, read_units


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--units", required=True, metavar="FIL", help="Enheterna som ska delta: en kolumn enhet."
    )
    parser.add_argument(
        "--participants",
        required=True,
        metavar="FIL",
        help="Deltagarlista: enhet (och gärna namn).",
    )
    parser.add_argument(
        "--warning-limit",
        type=float,
        metavar="ANDEL",
        help="Gul i stället för röd när andelen är minst detta (t.ex. 0.9).",
    )


def run(options: Mapping[str, Any]) -> ControlResult:
    result = participation(
        read_units(options["units"]),
        read_participants(options["participants"]),
        warning_limit=options.get("warning_limit"),
    )
    return with_files(result, units=options["units"], participants=options["participants"])


SPEC = ControlSpec(
    name="participation",
    label="Deltagande",
    description="Alla förvaltningar finns bland deltagarna (t.ex. arbetet med energiplanen).",
    help="Deltar alla enheter (t.ex. i framtagandet av ny energiplan)?",
    add_arguments=add_arguments,
    run=run,
    uploads=(
        Upload(
            "participants",
            "--participants",
            "deltagarlista",
            True,
            "CSV med kolumnen enhet (och gärna namn).",
        ),
    ),
    registers=("units",),
    parameters=("warning_limit",),
    measures_share=True,
    detail_labels={"other_units": "Deltagare från enheter utanför listan"},
    finding_kinds={"missing_participant": "Deltog inte"},
    examples=("exempel_energiplan_deltagare.csv",),
)
