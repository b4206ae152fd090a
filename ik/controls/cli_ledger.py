"""Command-line adapter for the ledger controls: `runcontrol late_payments --ledger F …`."""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ik.controls.registry import ControlCommand, register
from ik.engine.controls.account_review.control import (
    ACCOUNT_FIELDS,
    ACCOUNT_OPTIONAL,
    account_review,
    parse_prefixes,
)
from ik.engine.controls.duplicate_payments.control import (
    DUPLICATE_FIELDS,
    DUPLICATE_OPTIONAL,
    duplicate_payments,
)
from ik.engine.controls.late_payments.control import (
    LATE_PAYMENT_FIELDS,
    LATE_PAYMENT_OPTIONAL,
    late_payments,
)
from ik.engine.controls.ledger_common import parse_period
from ik.engine.controls.missing_orgnr.control import ORGNR_FIELDS, ORGNR_OPTIONAL, missing_orgnr
from ik.engine.errors import InputError
from ik.engine.ledger import Ledger, read_ledger
from ik.engine.mappings import PROFILES
from ik.engine.result import ControlResult


def parse_overrides(values: Sequence[str] | None) -> dict[str, str]:
    """`--map field=Header` options as a {field: header} dict."""
    overrides: dict[str, str] = {}
    for value in values or ():
        field, sep, header = value.partition("=")
        if not sep or not field.strip() or not header.strip():
            raise InputError(
                f'--map "{value}" ska skrivas som fält=Rubrik, t.ex. due_date=Förfallo.'
            )
        overrides[field.strip()] = header.strip()
    return overrides


def percent(value: float | None, option: str) -> float | None:
    if value is None:
        return None
    if not 0 <= value <= 100:
        raise InputError(f"{option} ska vara en procentsats mellan 0 och 100, inte {value}.")
    return value / 100


def _ledger_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--ledger",
        required=True,
        metavar="FIL",
        help="Leverantörsreskontra som CSV- eller Excel-fil.",
    )
    parser.add_argument(
        "--mapping",
        default="auto",
        metavar="PROFIL",
        help=f"Kolumnprofil: auto (standard), {', '.join(PROFILES)}.",
    )
    parser.add_argument(
        "--map",
        action="append",
        metavar="FÄLT=RUBRIK",
        help="Ange kolumn för ett fält, t.ex. due_date=Förfallodag (upprepas).",
    )
    parser.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="Hoppa över felaktiga rader i stället för att avvisa filen.",
    )


def _load(options: Mapping[str, Any], required: Sequence[str], optional: Sequence[str]) -> Ledger:
    return read_ledger(
        options["ledger"],
        mapping=options.get("mapping") or "auto",
        overrides=parse_overrides(options.get("map")),
        required=required,
        fields=[*required, *optional],
        skip_bad_rows=bool(options.get("skip_bad_rows")),
    )


def _runner(
    required: Sequence[str],
    optional: Sequence[str],
    control: Callable[[Ledger, Mapping[str, Any]], ControlResult],
) -> Callable[[Mapping[str, Any]], ControlResult]:
    def run(options: Mapping[str, Any]) -> ControlResult:
        ledger = _load(options, required, optional)
        try:
            return control(ledger, options)
        finally:
            ledger.close()

    return run


def _late_arguments(parser: ArgumentParser) -> None:
    _ledger_arguments(parser)
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


def _late(ledger: Ledger, options: Mapping[str, Any]) -> ControlResult:
    period = parse_period(options["period"]) if options.get("period") else None
    return late_payments(
        ledger,
        period=period,
        target=percent(options.get("target", 5.0), "--target") or 0.0,
        reference_rate=float(options.get("reference_rate") or 0.0),
    )


def _orgnr_arguments(parser: ArgumentParser) -> None:
    _ledger_arguments(parser)
    parser.add_argument(
        "--target",
        type=float,
        default=0.0,
        metavar="PROCENT",
        help="Högsta godtagbara andel rader utan giltigt nummer (standard 0).",
    )


def _orgnr(ledger: Ledger, options: Mapping[str, Any]) -> ControlResult:
    return missing_orgnr(ledger, target=percent(options.get("target"), "--target") or 0.0)


def _account_arguments(parser: ArgumentParser) -> None:
    _ledger_arguments(parser)
    parser.add_argument(
        "--accounts",
        action="append",
        metavar="PREFIX",
        help="Kontoprefix, t.ex. 71 (upprepas eller kommaseparerat; standard 71).",
    )


def _accounts(ledger: Ledger, options: Mapping[str, Any]) -> ControlResult:
    prefixes = parse_prefixes(options.get("accounts") or ["71"])
    return account_review(ledger, prefixes=prefixes)


def _duplicates(ledger: Ledger, options: Mapping[str, Any]) -> ControlResult:
    return duplicate_payments(ledger)


register(
    ControlCommand(
        name="late_payments",
        help="Andel betalda fakturor som betalades efter förfallodagen, totalt och per enhet.",
        add_arguments=_late_arguments,
        run=_runner(LATE_PAYMENT_FIELDS, LATE_PAYMENT_OPTIONAL, _late),
    )
)
register(
    ControlCommand(
        name="duplicate_payments",
        help="Möjliga dubbelbetalningar: samma leverantör och fakturanummer, eller belopp+datum.",
        add_arguments=_ledger_arguments,
        run=_runner(DUPLICATE_FIELDS, DUPLICATE_OPTIONAL, _duplicates),
    )
)
register(
    ControlCommand(
        name="missing_orgnr",
        help="Rader vars leverantör saknar giltigt organisations- eller personnummer.",
        add_arguments=_orgnr_arguments,
        run=_runner(ORGNR_FIELDS, ORGNR_OPTIONAL, _orgnr),
    )
)
register(
    ControlCommand(
        name="account_review",
        help="Konteringar på givna konton (standard 71, representation): underlag för stickprov.",
        add_arguments=_account_arguments,
        run=_runner(ACCOUNT_FIELDS, ACCOUNT_OPTIONAL, _accounts),
    )
)
