"""The outage drill for the command line, the run form and the result page."""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ik.engine.controls.continuity_common import add_systems_argument, with_files
from ik.engine.controls.outage_drill.control import outage_drill
from ik.engine.controls.spec import ControlSpec, Upload
from ik.engine.errors import InputError
from ik.engine.result import ControlResult
from ik.engine.systems import read_drill_log, read_systems


def add_arguments(parser: ArgumentParser) -> None:
    add_systems_argument(parser)
    parser.add_argument(
        "--drill",
        required=True,
        metavar="FIL",
        help="Övningslogg: system;uppe (och gärna en rad start;<tid>).",
    )
    parser.add_argument(
        "--start", metavar="TID", help="Driftstoppets start, om loggen saknar en startrad."
    )


def parse_start(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"Starttiden {text!r} är ingen tid (skriv t.ex. 2018-10-16 06:00)", column="--start"
        ) from None


def run(options: Mapping[str, Any]) -> ControlResult:
    systems = read_systems(options["systems"])
    log = read_drill_log(options["drill"], systems)
    result = outage_drill(systems, log, parse_start(options.get("start")))
    return with_files(result, systems=options["systems"], drill=options["drill"])


SPEC = ControlSpec(
    name="outage_drill",
    label="Övning: driftstopp",
    description="Loggen från en övning: startade systemen i rätt ordning och inom sin RTO?",
    help="Startades systemen i rätt ordning och inom sina återställningsmål vid övningen?",
    add_arguments=add_arguments,
    run=run,
    uploads=(
        Upload(
            "drill",
            "--drill",
            "övningslogg",
            True,
            "Kolumner system;uppe med tider som 2018-10-16 06:40.",
        ),
    ),
    registers=("systems",),
    parameters=("start",),
    finding_kinds={
        "order_violation": "Fel ordning",
        "priority_violation": "Avviker från prioritet",
        "rto_exceeded": "Återställningsmål överskridet",
        "not_recovered": "Kom inte upp",
    },
    examples=("exempel_uppstartsovning.csv",),
)
