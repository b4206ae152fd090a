"""Alarm coverage for the command line, the run form and the result page."""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Mapping
from typing import Any

from ik.engine.controls.alarm_coverage.control import alarm_coverage
from ik.engine.controls.continuity_common import (
    add_sample_arguments,
    add_systems_argument,
    read_text,
    with_files,
)
from ik.engine.controls.spec import ControlSpec, Upload
from ik.engine.result import ControlResult
from ik.engine.systems import read_systems


def add_arguments(parser: ArgumentParser) -> None:
    add_systems_argument(parser)
    parser.add_argument(
        "--alert-rules",
        metavar="FIL",
        help="Prometheus-larmregler (YAML) att stämma av mot registret.",
    )
    add_sample_arguments(parser)


def run(options: Mapping[str, Any]) -> ControlResult:
    systems = read_systems(options["systems"])
    rules_path = options.get("alert_rules")
    result = alarm_coverage(
        systems,
        read_text(rules_path) if rules_path else None,
        sample_size=options.get("sample"),
        seed=options.get("seed"),
    )
    files = {"systems": options["systems"]}
    if rules_path:
        files["alert_rules"] = rules_path
    return with_files(result, **files)


SPEC = ControlSpec(
    name="alarm_coverage",
    label="Larm på kritiska system",
    description="Varje kritiskt system har larm och larmmottagare, och gärna en larmregel.",
    help="Har kritiska system larm, larmmottagare och larmregel?",
    add_arguments=add_arguments,
    run=run,
    uploads=(Upload("alert_rules", "--alert-rules", "larmregler (Prometheus, YAML)", False),),
    registers=("systems",),
    parameters=("sample", "seed"),
    measures_share=True,
    finding_kinds={
        "no_alarm": "Larm saknas",
        "no_recipient": "Larmmottagare saknas",
        "no_alert_rule": "Larmregel saknas",
    },
    examples=("exempel_larmregler.yml",),
)
