"""Contract compliance for the command line, the run form and the result page."""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Mapping
from typing import Any

from ik.engine.controls.contract_compliance.control import contract_compliance
from ik.engine.controls.contracts_common import (
    CONTRACT_DETAIL_LABELS,
    CONTRACT_EXAMPLES,
    Register,
    add_contract_arguments,
    contract_runner,
    options_period,
)
from ik.engine.controls.ledger_common import (
    LEDGER_COLUMN_LABELS,
    LEDGER_FINDING_KINDS,
    LEDGER_PARAMETERS,
    LEDGER_UPLOAD,
    percent,
)
from ik.engine.controls.spec import ControlSpec
from ik.engine.ledger import Ledger
from ik.engine.result import ControlResult


def add_arguments(parser: ArgumentParser) -> None:
    add_contract_arguments(parser)
    parser.add_argument(
        "--target",
        type=float,
        metavar="PROCENT",
        help="Lägsta godtagbara andel av inköpen från leverantörer med avtal (standard: "
        "organisationens mål med --organisation, annars 90).",
    )


DEFAULT_TARGET = 90.0


def _run(ledger: Ledger, register: Register, options: Mapping[str, Any]) -> ControlResult:
    target = options.get("target")
    return contract_compliance(
        ledger,
        register.contracts,
        register_sha256=register.sha256,
        period=options_period(options),
        target=percent(DEFAULT_TARGET if target is None else target, "--target") or 0.0,
    )


SPEC = ControlSpec(
    name="contract_compliance",
    label="Avtalstrohet",
    description=(
        "Andelen av inköpen, och av fakturorna, från leverantörer med giltigt avtal på "
        "fakturadatum, totalt, per enhet och per avtalskategori, med ramavtal skilda från "
        "andra avtal, och inköpen utanför avtal "
        "per leverantör och leverantörer vars avtal hade upphört. Läser organisationens "
        "avtalsregister."
    ),
    help="Andel av inköpen från leverantörer med giltigt avtal på fakturadatum (avtalstrohet).",
    add_arguments=add_arguments,
    run=contract_runner(_run),
    uploads=(LEDGER_UPLOAD,),
    registers=("contracts",),
    parameters=(*LEDGER_PARAMETERS, "invoice_from", "invoice_to", "target_at_least"),
    measures_share=True,
    weight_key="invoices",
    unit_columns=("framework_share", "other_contract_share"),
    detail_labels={
        **CONTRACT_DETAIL_LABELS,
        "contracts": "Avtalsrader i registret",
        "purchase_amount": "Inköp (nettobelopp)",
        "covered_amount": "Inköp från leverantörer med giltigt avtal",
        "outside_amount": "Inköp utan giltigt avtal",
        "invoices": "Fakturor (konteringsrader samlade per leverantör och fakturanummer)",
        "covered_invoices": "Fakturor med giltigt avtal",
        "invoice_share": "Andel av fakturorna med giltigt avtal",
        "framework_amount": "Inköp under ramavtal",
        "framework_share": "Andel av inköpen under ramavtal",
        "framework_invoice_share": "Andel av fakturorna under ramavtal",
        "framework_invoices": "Fakturor under ramavtal",
        "other_contract_amount": "Inköp under andra avtal än ramavtal",
        "other_contract_share": "Andel av inköpen under andra avtal",
        "other_contract_invoice_share": "Andel av fakturorna under andra avtal",
        "other_contract_invoices": "Fakturor under andra avtal",
        "credit_note_invoices": "Kreditfakturor (räknas i beloppen, inte bland fakturorna)",
        "rows_without_invoice_date": "Rader utan fakturadatum (räknas inte)",
        "by_category": "Per avtalskategori",
        "expired_suppliers": "Leverantörer som fakturerade efter att avtalet upphört",
        "outside_shown_amount": "Inköp utan avtal hos leverantörerna i listan",
    },
    column_labels={
        **LEDGER_COLUMN_LABELS,
        "category": "Kategori",
        "purchase_amount": "Inköp",
        "covered_amount": "Med avtal",
        "share": "Andel med avtal",
        "covered_invoices": "Fakturor med avtal",
        "invoices": "Fakturor",
        "invoice_share": "Andel fakturor med avtal",
        "framework_amount": "Under ramavtal",
        "framework_share": "Andel ramavtal",
        "framework_invoice_share": "Andel fakturor, ramavtal",
        "other_contract_amount": "Under andra avtal",
        "other_contract_share": "Andel andra avtal",
        "other_contract_invoice_share": "Andel fakturor, andra avtal",
        "supplier": "Leverantör",
        "contract_ended": "Avtalet upphörde",
        "first_invoice_after": "Första faktura därefter",
        "amount_after": "Belopp därefter",
        "invoices_after": "Fakturor därefter",
    },
    finding_kinds={
        **LEDGER_FINDING_KINDS,
        "outside_contract": "Inköp utan avtal",
        "expired_contract": "Inköp efter att avtalet upphört",
    },
    examples=CONTRACT_EXAMPLES,
)
