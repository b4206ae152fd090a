"""Duplicate payments for the command line, the run form and the result page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ik.engine.controls.duplicate_payments.control import (
    DUPLICATE_FIELDS,
    DUPLICATE_OPTIONAL,
    duplicate_payments,
)
from ik.engine.controls.ledger_common import (
    LEDGER_COLUMN_LABELS,
    LEDGER_DETAIL_LABELS,
    LEDGER_FINDING_KINDS,
    LEDGER_PARAMETERS,
    LEDGER_UPLOAD,
    add_ledger_arguments,
    ledger_runner,
)
from ik.engine.controls.spec import ControlSpec
from ik.engine.ledger import Ledger
from ik.engine.result import ControlResult


def _run(ledger: Ledger, options: Mapping[str, Any]) -> ControlResult:
    return duplicate_payments(ledger)


SPEC = ControlSpec(
    name="duplicate_payments",
    label="Dubbelbetalningar",
    description="Samma leverantör och fakturanummer, eller samma leverantör, belopp och datum.",
    help="Möjliga dubbelbetalningar: samma leverantör och fakturanummer, eller belopp+datum.",
    add_arguments=add_ledger_arguments,
    run=ledger_runner(DUPLICATE_FIELDS, DUPLICATE_OPTIONAL, _run),
    uploads=(LEDGER_UPLOAD,),
    parameters=LEDGER_PARAMETERS,
    detail_labels={
        **LEDGER_DETAIL_LABELS,
        "invoices": "Fakturor (konteringsrader samlade per leverantör och fakturanummer)",
        "groups": "Grupper med möjliga dubbelbetalningar",
        "groups_by_rule": "Grupper per regel",
        "rules": "Regler",
        "postings_in_groups": "Konteringsrader i grupperna",
        "excess_amount": "Möjligt överbetalt belopp",
    },
    column_labels={
        **LEDGER_COLUMN_LABELS,
        "rule": "Regel (kod)",
        "ran": "Kördes",
        "why": "Varför inte",
        "label": "Regel",
        "groups": "Grupper",
    },
    finding_kinds={**LEDGER_FINDING_KINDS, "duplicate": "Möjlig dubbelbetalning"},
    examples=("exempel_leverantorsreskontra_konteringar.csv",),
)
