"""Mjölby kommun's contract register: the engine's example file, read in through the import.

Read against the example ledger (exempel_reskontra_betalningar.csv) it gives findings: the
cleaning contract expires in April 2018 while invoices keep coming, the software contract
covers only February to May, and the taxi company has no contract at all.
"""

from __future__ import annotations

from pathlib import Path

from ik.contracts.services import contract_register_import
from ik.org.actors import LOADDEMO
from ik.org.models import Organisation

EXAMPLES = Path(__file__).resolve().parent.parent / "engine" / "examples"


def load(organisation: Organisation) -> None:
    contract_register_import(
        organisation=organisation,
        by=LOADDEMO,
        file=(EXAMPLES / "exempel_avtalsregister.csv").read_bytes(),
    )
