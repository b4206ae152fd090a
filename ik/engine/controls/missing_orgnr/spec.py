"""Suppliers without an org number, for the command line, the run form and the result page."""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Mapping
from typing import Any

from ik.engine.controls.ledger_common import (
    LEDGER_COLUMN_LABELS,
    LEDGER_DETAIL_LABELS,
    LEDGER_FINDING_KINDS,
    LEDGER_PARAMETERS,
    LEDGER_UPLOAD,
    add_ledger_arguments,
    ledger_runner,
    percent,
)
from ik.engine.controls.missing_orgnr.control import ORGNR_FIELDS, ORGNR_OPTIONAL, missing_orgnr
from ik.engine.controls.spec import ControlSpec
from ik.engine.ledger import Ledger
from ik.engine.result import ControlResult


def add_arguments(parser: ArgumentParser) -> None:
    add_ledger_arguments(parser)
    parser.add_argument(
        "--target",
        type=float,
        default=0.0,
        metavar="PROCENT",
        help="Högsta godtagbara andel rader utan giltigt nummer (standard 0).",
    )


def _run(ledger: Ledger, options: Mapping[str, Any]) -> ControlResult:
    return missing_orgnr(ledger, target=percent(options.get("target"), "--target") or 0.0)


SPEC = ControlSpec(
    name="missing_orgnr",
    label="Leverantörer utan organisationsnummer",
    description="Rader vars leverantör saknar giltigt organisations- eller personnummer.",
    help="Rader vars leverantör saknar giltigt organisations- eller personnummer.",
    add_arguments=add_arguments,
    run=ledger_runner(ORGNR_FIELDS, ORGNR_OPTIONAL, _run),
    uploads=(LEDGER_UPLOAD,),
    parameters=(*LEDGER_PARAMETERS, "target"),
    measures_share=True,
    detail_labels={
        **LEDGER_DETAIL_LABELS,
        "postings": "Rader",
        "postings_without_valid_orgnr": "Rader utan giltigt nummer",
        "rows_by_kind": "Rader per slag",
        "amount_by_kind": "Belopp per slag",
        "suppliers_missing": "Leverantörer utan nummer",
        "suppliers_invalid": "Leverantörer med ogiltigt nummer",
        "suppliers_several": "Leverantörer med flera nummer i en cell",
        "suppliers_foreign": "Leverantörer med utländskt momsnummer",
        "amount": "Belopp utan giltigt nummer",
    },
    column_labels=LEDGER_COLUMN_LABELS,
    finding_kinds={
        **LEDGER_FINDING_KINDS,
        "missing_orgnr": "Nummer saknas",
        "invalid_orgnr": "Ogiltigt nummer",
        "several_orgnr": "Flera nummer i en cell",
        "foreign_vat": "Utländskt momsnummer",
    },
    examples=("exempel_leverantorsreskontra_konteringar.csv",),
)
