"""Late payments for the command line, the run form and the result page."""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Mapping
from typing import Any

from ik.engine.controls.late_payments.control import (
    LATE_PAYMENT_FIELDS,
    LATE_PAYMENT_OPTIONAL,
    late_payments,
)
from ik.engine.controls.ledger_common import (
    DEFAULT_MAX_FINDINGS,
    LEDGER_COLUMN_LABELS,
    LEDGER_DETAIL_LABELS,
    LEDGER_FINDING_KINDS,
    LEDGER_PARAMETERS,
    LEDGER_UPLOAD,
    add_ledger_arguments,
    ledger_runner,
    parse_period,
    percent,
)
from ik.engine.controls.spec import ControlSpec
from ik.engine.ledger import Ledger
from ik.engine.result import ControlResult


def add_arguments(parser: ArgumentParser) -> None:
    add_ledger_arguments(parser)
    parser.add_argument(
        "--period",
        metavar="START:SLUT",
        help="Betaldatum från och med–till och med, t.ex. 2018-01-01:2018-08-31.",
    )
    parser.add_argument(
        "--target",
        type=float,
        default=5.0,
        metavar="PROCENT",
        help="Högsta godtagbara andel sent betalda fakturor i procent (standard 5).",
    )
    parser.add_argument(
        "--reference-rate",
        type=float,
        default=0.0,
        metavar="PROCENT",
        help="Riksbankens referensränta i procent; dröjsmålsräntan är den + 8.",
    )


def _run(ledger: Ledger, options: Mapping[str, Any]) -> ControlResult:
    period = parse_period(options["period"]) if options.get("period") else None
    return late_payments(
        ledger,
        period=period,
        target=percent(options.get("target", 5.0), "--target") or 0.0,
        reference_rate=float(options.get("reference_rate") or 0.0),
        # `runcontrol --json` lists every late invoice; a run in IK stores the first ones.
        max_findings=None if options.get("json") else DEFAULT_MAX_FINDINGS,
    )


SPEC = ControlSpec(
    name="late_payments",
    label="Försent betalda fakturor",
    description=(
        "Andelen betalda fakturor som betalades efter förfallodagen, totalt och per enhet, "
        "med dagar sent och uppskattad dröjsmålsränta."
    ),
    help="Andel betalda fakturor som betalades efter förfallodagen, totalt och per enhet.",
    add_arguments=add_arguments,
    run=ledger_runner(LATE_PAYMENT_FIELDS, LATE_PAYMENT_OPTIONAL, _run),
    uploads=(LEDGER_UPLOAD,),
    parameters=(*LEDGER_PARAMETERS, "period_start", "period_end", "target", "reference_rate"),
    measures_share=True,
    weight_key="paid",
    detail_labels={
        **LEDGER_DETAIL_LABELS,
        "period": "Period (betaldatum)",
        "rows_in_period": "Rader i perioden",
        "invoices_in_period": "Fakturor i perioden (rader samlade per faktura)",
        "paid": "Betalda fakturor",
        "late": "Betalda efter förfallodagen",
        "amount_share": "Andel av betalt belopp som betalades sent",
        "paid_amount": "Betalt belopp",
        "late_amount": "Sent betalt belopp",
        "days_late_median": "Dagar sent, median",
        "days_late_p90": "Dagar sent, 90:e percentilen",
        "interest_rate_percent": "Dröjsmålsränta (%)",
        "interest_cost": "Uppskattad dröjsmålsränta",
        "credit_notes": "Kreditfakturor (räknas inte)",
        "unpaid": "Obetalda fakturor (räknas inte)",
        "paid_without_due_date": "Betalda utan förfallodatum (räknas inte)",
        "worst_units": "Enheter med flest sena betalningar",
        "worst_suppliers": "Leverantörer med flest sena betalningar",
    },
    column_labels={
        **LEDGER_COLUMN_LABELS,
        "supplier": "Leverantör",
        "late": "Sena",
        "paid": "Betalda",
        "late_amount": "Sent belopp",
        "days_median": "Dagar sent, median",
    },
    finding_kinds={**LEDGER_FINDING_KINDS, "late_payment": "Sen betalning"},
    examples=("exempel_reskontra_betalningar.csv",),
)
