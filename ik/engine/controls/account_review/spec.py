"""Account review for the command line, the run form and the result page."""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Mapping
from typing import Any

from ik.engine.controls.account_review.control import (
    ACCOUNT_FIELDS,
    ACCOUNT_OPTIONAL,
    account_review,
    parse_prefixes,
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


def add_arguments(parser: ArgumentParser) -> None:
    add_ledger_arguments(parser)
    parser.add_argument(
        "--accounts",
        action="append",
        metavar="PREFIX",
        help="Kontoprefix, t.ex. 71 (upprepas eller kommaseparerat; standard 71).",
    )


def _run(ledger: Ledger, options: Mapping[str, Any]) -> ControlResult:
    prefixes = parse_prefixes(options.get("accounts") or ["71"])
    return account_review(ledger, prefixes=prefixes)


SPEC = ControlSpec(
    name="account_review",
    label="Konteringar på konton (representation)",
    description="Alla konteringar på valda konton, per enhet: underlag för ett stickprov.",
    help="Konteringar på givna konton (standard 71, representation): underlag för stickprov.",
    add_arguments=add_arguments,
    run=ledger_runner(ACCOUNT_FIELDS, ACCOUNT_OPTIONAL, _run),
    uploads=(LEDGER_UPLOAD,),
    parameters=(*LEDGER_PARAMETERS, "accounts"),
    detail_labels=LEDGER_DETAIL_LABELS,
    column_labels=LEDGER_COLUMN_LABELS,
    finding_kinds={**LEDGER_FINDING_KINDS, "account_posting": "Kontering"},
    examples=("exempel_leverantorsreskontra_konteringar.csv",),
)
