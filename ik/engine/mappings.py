"""Which column of a finance-system export holds which ledger field.

Exports differ between systems and between municipalities: Raindance writes FAKTURANR and
BELOPP_SEK, the open-data spec "leverantörsreskontra" writes faktura_nr and belopp, and a
hand-made Excel file may say "Fakt nr" or "LEVERANTÖR". A named profile lists the headers each
system uses; `auto` picks the profile that recognises most headers; overrides map the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ik.engine.errors import InputError
from ik.engine.headers import normalise_header

FIELDS: tuple[str, ...] = (
    "invoice_no",
    "supplier",
    "orgnr",
    "unit",
    "invoice_date",
    "due_date",
    "paid_date",
    "amount",
    "account",
)

FIELD_LABELS: Mapping[str, str] = {
    "invoice_no": "fakturanummer",
    "supplier": "leverantör",
    "orgnr": "organisationsnummer",
    "unit": "enhet (ansvar/förvaltning)",
    "invoice_date": "fakturadatum",
    "due_date": "förfallodatum",
    "paid_date": "betaldatum",
    "amount": "belopp",
    "account": "konto",
}

DATE_FIELDS: frozenset[str] = frozenset({"invoice_date", "due_date", "paid_date"})
AMOUNT_FIELDS: frozenset[str] = frozenset({"amount"})


@dataclass(frozen=True, slots=True)
class Profile:
    """A finance system's header names, most likely first, for each field it exports."""

    name: str
    label: str
    headers: Mapping[str, tuple[str, ...]]


RAINDANCE = Profile(
    name="raindance",
    label="Raindance",
    headers={
        "invoice_no": ("FAKTURANR", "FAKTURANUMMER", "LEV_FAKTURANR"),
        "supplier": ("LEVERANTOR", "LEVERANTORSNAMN", "LEV_NAMN"),
        "orgnr": ("ORGNR", "ORG_NR", "ORGANISATIONSNR"),
        "unit": ("ANSVAR",),
        "invoice_date": ("FAKTURADATUM",),
        "due_date": ("FORFALLODATUM", "FORFALLODAG"),
        "paid_date": ("BETALDATUM", "BETPAMDATUM", "BETALNINGSDATUM"),
        "amount": ("BELOPP_SEK", "BETALT_SEK", "BELOPP"),
        "account": ("KONTO",),
    },
)

LEVERANTORSRESKONTRA = Profile(
    name="leverantorsreskontra",
    label="Leverantörsreskontra (öppna data)",
    headers={
        "invoice_no": ("faktura_nr",),
        "supplier": ("leverantor",),
        "orgnr": ("leverantor_id",),
        "unit": ("forvaltning",),
        "invoice_date": ("datum",),
        "amount": ("belopp", "nettobelopp", "belopp_sek"),
        "account": ("konto_nr",),
    },
)

GENERIC = Profile(
    name="generic",
    label="Allmänna rubriker",
    headers={
        "invoice_no": (
            "fakturanr",
            "fakturanummer",
            "faktura_nr",
            "fakt_nr",
            "faktnr",
            "faktura",
            "lev_fakturanr",
            "leverantorsfakturanummer",
            "fakturanr_lev",
            "invoice_no",
            "invoice_number",
            "invoice_id",
            "invoice",
        ),
        "supplier": (
            "leverantor",
            "leverantorsnamn",
            "leverantor_namn",
            "lev_namn",
            "leverantorens_namn",
            "supplier",
            "supplier_name",
            "vendor",
            "vendor_name",
        ),
        "orgnr": (
            "orgnr",
            "org_nr",
            "organisationsnummer",
            "organisationsnr",
            "organisatio",
            "orgnummer",
            "org_nummer",
            "organisationsnummer_personnummer",
            "orgnr_pnr",
            "leverantor_id",
            "leverantors_id",
            "leverantor_orgnr",
            "lev_orgnr",
            "organisation_number",
            "corporate_id",
        ),
        "unit": (
            "ansvar",
            "enhet",
            "forvaltning",
            "rn1_forvaltning",
            "ansvar_kod",
            "ansvarskod",
            "avdelning",
            "kostnadsstalle",
            "unit",
            "department",
            "cost_centre",
            "cost_center",
        ),
        "invoice_date": (
            "fakturadatum",
            "faktura_datum",
            "fakt_datum",
            "datum",
            "invoice_date",
            "date",
        ),
        "due_date": (
            "forfallodatum",
            "forfallodag",
            "forfallo_datum",
            "forfallo",
            "due_date",
            "due",
        ),
        "paid_date": (
            "betaldatum",
            "betalningsdatum",
            "betald_datum",
            "betpamdatum",
            "betalningsdag",
            "betald",
            "paid_date",
            "payment_date",
            "paid",
        ),
        "amount": (
            "belopp",
            "belopp_sek",
            "nettobelopp",
            "netto",
            "bruttobelopp",
            "fakturabelopp",
            "belopp_kr",
            "betalt_sek",
            "utfall",
            "utfall_kr",
            "summa",
            "amount",
            "amount_sek",
            "total",
        ),
        "account": (
            "konto",
            "kontonr",
            "konto_nr",
            "kontonummer",
            "kontokod",
            "konto_kod",
            "account",
            "account_no",
        ),
    },
)

PROFILES: Mapping[str, Profile] = {p.name: p for p in (RAINDANCE, LEVERANTORSRESKONTRA, GENERIC)}


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """The outcome of matching a file's headers: field -> position of its column."""

    profile: str
    positions: Mapping[str, int]
    headers: tuple[str, ...]

    def header_for(self, field: str) -> str:
        return self.headers[self.positions[field]]

    def as_headers(self) -> dict[str, str]:
        return {f: self.header_for(f) for f in FIELDS if f in self.positions}


def _match(profile_headers: Mapping[str, Sequence[str]], headers: Sequence[str]) -> dict[str, int]:
    index: dict[str, int] = {}
    for pos, header in enumerate(headers):
        index.setdefault(normalise_header(header), pos)
    taken: set[int] = set()
    found: dict[str, int] = {}
    for field in FIELDS:
        for candidate in profile_headers.get(field, ()):
            at = index.get(normalise_header(candidate))
            if at is not None and at not in taken:
                found[field] = at
                taken.add(at)
                break
    return found


def _pick_profile(headers: Sequence[str]) -> tuple[str, dict[str, int]]:
    # A system's own profile wins a tie with the generic one: its names are more specific.
    best_name, best = GENERIC.name, _match(GENERIC.headers, headers)
    for profile in (LEVERANTORSRESKONTRA, RAINDANCE):
        found = _match(profile.headers, headers)
        if len(found) >= len(best):
            best_name, best = profile.name, found
    return best_name, best


def _describe_columns(headers: Sequence[str]) -> str:
    shown = ", ".join(f'"{h}"' for h in headers[:40])
    return shown + (f" … ({len(headers)} kolumner)" if len(headers) > 40 else "")


def _position_of(header: str, headers: Sequence[str], field: str) -> int:
    wanted = normalise_header(header)
    for pos, candidate in enumerate(headers):
        if normalise_header(candidate) == wanted:
            return pos
    raise InputError(
        f'Kolumnen "{header}" som anges för {FIELD_LABELS[field]} ({field}) finns inte i filen. '
        f"Kolumner i filen: {_describe_columns(headers)}."
    )


def _check_fields(fields: Iterable[str]) -> None:
    for field in fields:
        if field not in FIELD_LABELS:
            known = ", ".join(FIELDS)
            raise InputError(f'Okänt fält "{field}" i kolumnmappningen. Kända fält: {known}.')


def resolve_mapping(
    headers: Sequence[str],
    mapping: str | Mapping[str, str] = "auto",
    overrides: Mapping[str, str] | None = None,
    required: Iterable[str] = (),
) -> ColumnMapping:
    """Match a file's headers to ledger fields.

    `mapping` is "auto", a profile name (raindance, leverantorsreskontra, generic) or a plain
    {field: header} dict. `overrides` {field: header} win over whatever the profile found.
    Raises InputError naming the missing fields (with Swedish labels) and the columns found.
    """
    overrides = dict(overrides or {})
    _check_fields(overrides)
    if isinstance(mapping, str):
        if mapping == "auto":
            profile, positions = _pick_profile(headers)
        elif mapping in PROFILES:
            profile, positions = mapping, _match(PROFILES[mapping].headers, headers)
        else:
            known = ", ".join(["auto", *PROFILES])
            raise InputError(f'Okänd kolumnprofil "{mapping}". Kända profiler: {known}.')
    else:
        _check_fields(mapping)
        profile = "custom"
        positions = {f: _position_of(h, headers, f) for f, h in mapping.items()}
    for field, header in overrides.items():
        positions[field] = _position_of(header, headers, field)
    result = ColumnMapping(profile=profile, positions=positions, headers=tuple(headers))
    _require(result, required)
    return result


def _require(mapping: ColumnMapping, required: Iterable[str]) -> None:
    required = list(required)
    _check_fields(required)
    missing = [f for f in required if f not in mapping.positions]
    if missing:
        raise missing_fields_error(missing, mapping.headers)


def missing_fields_error(missing: Sequence[str], headers: Sequence[str]) -> InputError:
    """The message for fields a control needs but the file lacks, listing the columns found."""
    names = ", ".join(f"{FIELD_LABELS[f]} ({f})" for f in missing)
    plural = "Kolumner saknas" if len(missing) > 1 else "Kolumn saknas"
    return InputError(
        f"{plural} för {names}. Kolumner i filen: {_describe_columns(headers)}. "
        "Ange vilken kolumn som innehåller fältet eller välj en annan kolumnprofil."
    )
