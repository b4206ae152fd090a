"""Competence overlap for the command line, the run form and the result page."""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Mapping
from typing import Any

from ik.engine.controls.competence_overlap.control import competence_overlap
from ik.engine.controls.continuity_common import (
    add_sample_arguments,
    add_systems_argument,
    with_files,
)
from ik.engine.controls.spec import ControlSpec
from ik.engine.result import ControlResult
from ik.engine.systems import read_competence, read_systems

DEFAULT_KEY_PERSON_THRESHOLD = 3


def add_arguments(parser: ArgumentParser) -> None:
    add_systems_argument(parser)
    parser.add_argument(
        "--competence",
        required=True,
        metavar="FIL",
        help="Kompetenslista: system;person;roll (primär/backup).",
    )
    parser.add_argument(
        "--key-person-threshold",
        type=int,
        default=DEFAULT_KEY_PERSON_THRESHOLD,
        metavar="N",
        help="Flagga den som är enda backup för minst N kritiska system.",
    )
    add_sample_arguments(parser)


def run(options: Mapping[str, Any]) -> ControlResult:
    systems = read_systems(options["systems"])
    competence = read_competence(options["competence"], systems)
    threshold = options.get("key_person_threshold")
    result = competence_overlap(
        systems,
        competence,
        key_person_threshold=DEFAULT_KEY_PERSON_THRESHOLD if threshold is None else threshold,
        sample_size=options.get("sample"),
        seed=options.get("seed"),
    )
    return with_files(result, systems=options["systems"], competence=options["competence"])


SPEC = ControlSpec(
    name="competence_overlap",
    label="Kompetensöverlapp",
    description="Varje kritiskt system har minst två personer som kan det.",
    help="Har varje kritiskt system minst två personer som kan hantera det?",
    add_arguments=add_arguments,
    run=run,
    registers=("systems", "competence"),
    parameters=("sample", "seed", "key_person_threshold"),
    measures_share=True,
    finding_kinds={"single_point_of_failure": "Bara en person", "key_person": "Nyckelperson"},
)
