"""Direct procurement for the command line, the run form and the result page."""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from ik.engine.controls.contracts_common import (
    CONTRACT_DETAIL_LABELS,
    CONTRACT_EXAMPLES,
    Register,
    add_contract_arguments,
    contract_runner,
    options_period,
)
from ik.engine.controls.direct_procurement.control import CALENDAR_YEAR, WINDOWS, direct_procurement
from ik.engine.controls.ledger_common import (
    LEDGER_COLUMN_LABELS,
    LEDGER_FINDING_KINDS,
    LEDGER_PARAMETERS,
    LEDGER_UPLOAD,
    percent,
)
from ik.engine.controls.spec import ControlSpec
from ik.engine.errors import InputError
from ik.engine.ledger import Ledger
from ik.engine.result import ControlResult


def add_arguments(parser: ArgumentParser) -> None:
    add_contract_arguments(parser)
    parser.add_argument(
        "--window",
        choices=sorted(WINDOWS),
        help="Lägg samman köpen per kalenderår (calendar) eller under rullande tolv månader "
        "(rolling). Standard: organisationens val med --organisation, annars calendar.",
    )
    parser.add_argument(
        "--limit",
        metavar="KRONOR",
        help=f"Egen direktupphandlingsgräns i kronor, eller {LOU} för LOU:s gräns vid varje "
        "datum (standard: organisationens egen gräns med --organisation, annars LOU:s).",
    )
    parser.add_argument(
        "--near",
        type=float,
        default=10.0,
        metavar="PROCENT",
        help="Leverantörer inom så många procent under gränsen listas också (standard 10).",
    )


# The --limit value that asks for the law's table explicitly, over an organisation's own limit.
LOU = "lou"


def _limit(text: str | None) -> Decimal | None:
    if not text or text.strip().casefold() == LOU:
        return None
    try:
        amount = Decimal(text.replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except InvalidOperation:
        raise InputError(
            f"--limit ska vara ett belopp i kronor, t.ex. 700000, eller {LOU}, inte {text!r}."
        ) from None
    if amount <= 0 or not amount.is_finite():
        raise InputError(f"--limit ska vara ett belopp över noll, inte {text!r}.")
    return amount


def _run(ledger: Ledger, register: Register, options: Mapping[str, Any]) -> ControlResult:
    return direct_procurement(
        ledger,
        register.contracts,
        register_sha256=register.sha256,
        period=options_period(options),
        window=options.get("window") or CALENDAR_YEAR,
        limit=_limit(options.get("limit")),
        near=percent(options.get("near", 10.0), "--near") or 0.0,
    )


SPEC = ControlSpec(
    name="direct_procurement",
    label="Direktupphandling över gränsen",
    description=(
        "Inköp utan giltigt avtal summeras per leverantör (organisationsnummer) per kalenderår "
        "eller rullande tolv månader och jämförs med direktupphandlingsgränsen som gällde "
        "(LOU, 700 000 kr från 1 februari 2022, eller organisationens egen). Visar leverantörer "
        "över gränsen, de inom 10 % av den och antalet engångsleverantörer. Inköp under ramavtal "
        "och andra giltiga avtal räknas inte, men antalet leverantörer anges."
    ),
    help="Leverantörer utan avtal vars inköp passerar direktupphandlingsgränsen.",
    add_arguments=add_arguments,
    run=contract_runner(_run),
    uploads=(LEDGER_UPLOAD,),
    registers=("contracts",),
    parameters=(*LEDGER_PARAMETERS, "invoice_from", "invoice_to", "window", "limit"),
    detail_labels={
        **CONTRACT_DETAIL_LABELS,
        "window": "Köpen läggs samman per",
        "limit": "Direktupphandlingsgräns",
        "suppliers_outside_contracts": "Leverantörer med inköp utan avtal",
        "amount_outside_contracts": "Inköp utan avtal i perioden",
        "over_limit": "Leverantörer över gränsen",
        "near_limit": "Leverantörer nära gränsen",
        "one_off_suppliers": "Engångsleverantörer (en faktura, utan avtal)",
        "suppliers_under_framework": "Leverantörer med inköp under ramavtal (räknas inte)",
        "amount_under_framework": "Inköp under ramavtal (räknas inte)",
        "suppliers_under_other_contracts": "Leverantörer med inköp under andra avtal (räknas inte)",
        "amount_under_other_contracts": "Inköp under andra avtal (räknas inte)",
    },
    column_labels={
        **LEDGER_COLUMN_LABELS,
        "outside_amount": "Inköp utan avtal",
        "over_amount": "Varav från leverantörer över gränsen",
        "over_limit_invoices": "Fakturor från leverantörer över gränsen",
    },
    finding_kinds={
        **LEDGER_FINDING_KINDS,
        "over_limit": "Över direktupphandlingsgränsen",
        "near_limit": "Nära direktupphandlingsgränsen",
    },
    examples=CONTRACT_EXAMPLES,
)
