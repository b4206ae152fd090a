"""Mjölby kommun's system register: the engine's example files, read in through the import."""

from __future__ import annotations

from pathlib import Path

from ik.org.actors import LOADDEMO
from ik.org.models import Organisation
from ik.systems.services import register_import

EXAMPLES = Path(__file__).resolve().parent.parent / "engine" / "examples"


def load(organisation: Organisation) -> None:
    register_import(
        organisation=organisation,
        by=LOADDEMO,
        systems_file=(EXAMPLES / "exempel_system.csv").read_bytes(),
        competence_file=(EXAMPLES / "exempel_kompetens.csv").read_bytes(),
        replace=False,
    )
