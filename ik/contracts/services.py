"""Changes to the contract register. Each function is one transaction and writes the audit trail.

An import reads the whole file with the engine's reader (`ik.engine.contracts.read_contracts`)
before it writes anything, so a refused file leaves the register as it was. The file becomes
the register: contracts it does not list are removed. Rows are compared by contract id and
supplier (organisation number, else name), so the trail says what was added and removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from ik.contracts.inputs import engine_contracts, procurement_settings
from ik.contracts.models import Contract, ProcurementSettings
from ik.engine import contracts as engine
from ik.engine.errors import InputError
from ik.lib.bounded import parse_upload
from ik.lib.filelimits import LimitError
from ik.org.actors import Actor
from ik.org.audit import audit_record, diff, snapshot
from ik.org.models import Organisation

SETTINGS_FIELDS = ("window", "direct_procurement_limit", "compliance_target")


@dataclass(frozen=True)
class ImportSummary:
    contracts: int
    added: int
    removed: int
    unchanged: int


def _key(contract: engine.Contract) -> tuple[str, ...]:
    return (
        contract.contract_id.casefold(),
        contract.orgnr or engine.supplier_key(contract.supplier),
        contract.valid_from.isoformat(),
        contract.valid_to.isoformat() if contract.valid_to else "",
        contract.title,
        contract.category,
        str(contract.framework),
        contract.supplier,
    )


def _label(key: tuple[str, ...]) -> str:
    return f"{key[0].upper()} {key[-1]}"


def _read(data: bytes) -> tuple[engine.Contract, ...]:
    try:
        rows = parse_upload(engine.read_contracts, data)
    except (InputError, LimitError) as exc:
        raise ValidationError({"file": str(exc)}) from None
    if not rows:
        raise ValidationError({"file": "Filen innehåller inga avtal, bara rubrikraden."})
    return rows


@transaction.atomic
def contract_register_import(
    *, organisation: Organisation, by: Actor, file: bytes
) -> ImportSummary:
    """Make the register the file's contracts; a refusal (ValidationError on `file`) changes
    nothing."""
    rows = _read(file)
    before = {_key(c) for c in engine_contracts(organisation)}
    after = {_key(c) for c in rows}
    Contract.objects.filter(organisation=organisation).delete()
    Contract.objects.bulk_create(
        Contract(
            organisation=organisation,
            supplier=c.supplier,
            orgnr=c.orgnr,
            contract_id=c.contract_id,
            title=c.title,
            category=c.category,
            valid_from=c.valid_from,
            valid_to=c.valid_to,
            framework=c.framework,
        )
        for c in rows
    )
    added, removed = sorted(after - before), sorted(before - after)
    summary = ImportSummary(len(rows), len(added), len(removed), len(after & before))
    audit_record(
        organisation=organisation,
        actor=by,
        action="contract_register_import",
        obj=organisation,
        summary=(
            f"Läste in avtalsregistret: {summary.contracts} avtalsrader, {summary.added} nya "
            f"eller ändrade, {summary.removed} borttagna eller ändrade, {summary.unchanged} "
            "oförändrade"
        ),
        changes={
            "added": [_label(k) for k in added],
            "removed": [_label(k) for k in removed],
        },
    )
    return summary


def contract_register_export(organisation: Organisation, fmt: str) -> bytes:
    """The register as CSV or XLSX that `contract_register_import` reads back unchanged."""
    contracts = engine_contracts(organisation)
    if fmt == "csv":
        return engine.contracts_to_csv(contracts)
    return engine.contracts_to_xlsx(contracts)


@transaction.atomic
def procurement_settings_update(
    *,
    organisation: Organisation,
    by: Actor,
    window: str,
    direct_procurement_limit: Decimal | None,
    compliance_target: Decimal,
) -> ProcurementSettings:
    settings = procurement_settings(organisation)
    before = snapshot(settings, SETTINGS_FIELDS)
    settings.window = window
    settings.direct_procurement_limit = direct_procurement_limit
    settings.compliance_target = compliance_target
    settings.full_clean(validate_unique=False)
    settings.save()
    changes = diff(before, snapshot(settings, SETTINGS_FIELDS))
    if changes:
        audit_record(
            organisation=organisation,
            actor=by,
            action="procurement_settings_update",
            obj=settings,
            summary="Ändrade inställningarna för upphandlingskontrollerna",
            changes=changes,
        )
    return settings
