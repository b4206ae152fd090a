"""Changes to the contract register. Each function is one transaction and writes the audit trail.

An import reads the whole file with the engine's reader (`ik.engine.contracts.read_contracts`)
before it writes anything, so a refused file leaves the register as it was. Rows are matched
to the register by contract id and supplier (organisation number, else name): a row whose
contract is not in the register is added, one whose fields differ changes it. What happens to
the register's contracts the file does not list depends on the mode: replaced (removed, the
file becomes the register), kept as they are, or ended on a given day. `contract_register_plan`
works out the same changes without writing, for the preview.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ik.contracts.inputs import engine_contracts, procurement_settings
from ik.contracts.models import Contract, ProcurementSettings
from ik.engine import contracts as engine
from ik.engine.errors import InputError
from ik.lib.bounded import parse_upload
from ik.lib.filelimits import LimitError
from ik.org.actors import Actor
from ik.org.audit import audit_changes, audit_record, diff, snapshot
from ik.org.models import Organisation

SETTINGS_FIELDS = ("window", "direct_procurement_limit", "compliance_target")
CONTRACT_FIELDS = (
    "supplier",
    "orgnr",
    "contract_id",
    "title",
    "category",
    "valid_from",
    "valid_to",
    "framework",
)
# What an import does with the register's contracts that the file does not list.
REPLACE = "replace"
UPDATE = "update"
UPDATE_AND_END = "update_end"
MODES = {
    REPLACE: "Ersätt hela registret: avtal som saknas i filen tas bort",
    UPDATE: "Uppdatera: lägg till nya och ändra ändrade avtal; de som saknas i filen behålls",
    UPDATE_AND_END: "Uppdatera och avsluta de avtal som saknas i filen per ett datum",
}
_TRAIL_MODES = {
    REPLACE: "ersatte hela registret",
    UPDATE: "uppdatering",
    UPDATE_AND_END: "uppdatering, avtal som saknades i filen avslutade",
}
EXAMPLES = 10


@dataclass(frozen=True)
class ImportSummary:
    contracts: int
    added: int
    changed: int
    removed: int
    ended: int
    unchanged: int
    kept: int = 0
    # Up to EXAMPLES labels per kind of change ("AV-1 Leverantör AB"), for the preview.
    examples: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Plan:
    rows: tuple[engine.Contract, ...]
    added: list[engine.Contract]
    changed: list[tuple[Contract, engine.Contract]]
    missing: list[Contract]
    unchanged: int
    mode: str
    end_on: dt.date | None

    def to_end(self) -> list[Contract]:
        if self.mode != UPDATE_AND_END or self.end_on is None:
            return []
        end = self.end_on
        return [c for c in self.missing if c.valid_to is None or c.valid_to > end]

    def summary(self) -> ImportSummary:
        ended = self.to_end()
        removed = self.missing if self.mode == REPLACE else []
        return ImportSummary(
            contracts=len(self.rows),
            added=len(self.added),
            changed=len(self.changed),
            removed=len(removed),
            ended=len(ended),
            unchanged=self.unchanged,
            kept=len(self.missing) - len(removed) - len(ended),
            examples={
                "added": [_label(c) for c in self.added[:EXAMPLES]],
                "changed": [_label(new) for _, new in self.changed[:EXAMPLES]],
                "removed": [_label(c) for c in removed[:EXAMPLES]],
                "ended": [_label(c) for c in ended[:EXAMPLES]],
            },
        )


def identity(contract: engine.Contract | Contract) -> tuple[str, str]:
    """What a row is matched by: its contract id, and the supplier's number or else name."""
    return (
        contract.contract_id.casefold(),
        contract.orgnr or engine.supplier_key(contract.supplier),
    )


def _label(contract: engine.Contract | Contract) -> str:
    return f"{contract.contract_id} {contract.supplier}"


def _values(contract: engine.Contract | Contract) -> tuple[Any, ...]:
    return tuple(getattr(contract, name) for name in CONTRACT_FIELDS)


def _read(data: bytes) -> tuple[engine.Contract, ...]:
    try:
        rows = parse_upload(engine.read_contracts, data)
    except (InputError, LimitError) as exc:
        raise ValidationError({"file": str(exc)}) from None
    if not rows:
        raise ValidationError({"file": "Filen innehåller inga avtal, bara rubrikraden."})
    return rows


def _check_mode(mode: str, end_on: dt.date | None) -> None:
    if mode not in MODES:
        raise ValidationError({"mode": f"Okänt sätt att läsa in registret: {mode!r}."})
    if mode == UPDATE_AND_END and end_on is None:
        raise ValidationError({"end_on": "Ange den dag då avtalen som saknas i filen upphör."})


def _plan(
    organisation: Organisation, rows: Sequence[engine.Contract], mode: str, end_on: dt.date | None
) -> _Plan:
    _check_mode(mode, end_on)
    stored = {identity(c): c for c in Contract.objects.filter(organisation=organisation)}
    added: list[engine.Contract] = []
    changed: list[tuple[Contract, engine.Contract]] = []
    unchanged = 0
    for row in rows:
        found = stored.pop(identity(row), None)
        if found is None:
            added.append(row)
        elif _values(found) != _values(row):
            changed.append((found, row))
        else:
            unchanged += 1
    missing = sorted(stored.values(), key=lambda c: (c.supplier, c.contract_id))
    plan = _Plan(tuple(rows), added, changed, missing, unchanged, mode, end_on)
    early = [c for c in plan.to_end() if end_on is not None and c.valid_from > end_on]
    if early:
        names = ", ".join(_label(c) for c in early[:5])
        more = f" och {len(early) - 5} till" if len(early) > 5 else ""
        raise ValidationError(
            {
                "end_on": f"{len(early)} av avtalen som saknas i filen börjar efter "
                f"{end_on}: {names}{more}. Välj ett senare datum, eller ersätt hela registret."
            }
        )
    return plan


def register_fingerprint(organisation: Organisation) -> str:
    """A fingerprint of the register as stored, so a preview can tell if it changed since."""
    return hashlib.sha256(engine.contracts_to_csv(engine_contracts(organisation))).hexdigest()


def contract_register_plan(
    *, organisation: Organisation, file: bytes, mode: str = REPLACE, end_on: dt.date | None = None
) -> ImportSummary:
    """What `contract_register_import` would change, without changing anything."""
    return _plan(organisation, _read(file), mode, end_on).summary()


def _model(organisation: Organisation, row: engine.Contract) -> Contract:
    return Contract(organisation=organisation, **{n: getattr(row, n) for n in CONTRACT_FIELDS})


def _apply(organisation: Organisation, plan: _Plan) -> None:
    Contract.objects.bulk_create(_model(organisation, row) for row in plan.added)
    for contract, row in plan.changed:
        for name in CONTRACT_FIELDS:
            setattr(contract, name, getattr(row, name))
        contract.version += 1
    Contract.objects.bulk_update(
        [c for c, _ in plan.changed], [*CONTRACT_FIELDS, "version"], batch_size=500
    )
    if plan.mode == REPLACE:
        Contract.objects.filter(pk__in=[c.pk for c in plan.missing]).delete()
    ended = plan.to_end()
    for contract in ended:
        contract.valid_to = plan.end_on
        contract.version += 1
    Contract.objects.bulk_update(ended, ["valid_to", "version"], batch_size=500)


@transaction.atomic
def contract_register_import(
    *,
    organisation: Organisation,
    by: Actor,
    file: bytes,
    mode: str = REPLACE,
    end_on: dt.date | None = None,
) -> ImportSummary:
    """Bring the register in line with the file as `mode` says; a refusal (ValidationError on
    `file`, `mode` or `end_on`) changes nothing."""
    # Two imports at once would each plan against the register the other is changing.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).exists()
    plan = _plan(organisation, _read(file), mode, end_on)
    summary = plan.summary()
    changed = {
        _label(new): diff(
            dict(zip(CONTRACT_FIELDS, _values(old), strict=True)),
            dict(zip(CONTRACT_FIELDS, _values(new), strict=True)),
        )
        for old, new in plan.changed
    }
    ended = [_label(c) for c in plan.to_end()]
    _apply(organisation, plan)
    removed = plan.missing if mode == REPLACE else []
    audit_record(
        organisation=organisation,
        actor=by,
        action="contract_register_import",
        obj=organisation,
        summary=(
            f"Läste in avtalsregistret ({_TRAIL_MODES[mode]}): "
            f"{summary.contracts} avtalsrader; nya: {summary.added}, ändrade: {summary.changed}, "
            f"borttagna: {summary.removed}, avslutade: {summary.ended}, "
            f"oförändrade: {summary.unchanged}"
        ),
        changes={
            "mode": mode,
            "end_on": end_on,
            "added": [_label(c) for c in plan.added],
            "changed": changed,
            "removed": [_label(c) for c in removed],
            "ended": ended,
        },
    )
    return summary


def contract_register_export(organisation: Organisation, fmt: str) -> bytes:
    """The register as CSV or XLSX that `contract_register_import` reads back unchanged."""
    contracts = engine_contracts(organisation)
    if fmt == "csv":
        return engine.contracts_to_csv(contracts)
    return engine.contracts_to_xlsx(contracts)


# --- single contracts ----------------------------------------------------------------------


def _check_unique(contract: Contract) -> None:
    others = Contract.objects.filter(organisation=contract.organisation).exclude(pk=contract.pk)
    if any(identity(other) == identity(contract) for other in others):
        raise ValidationError(
            {
                "contract_id": f"Leverantören finns redan under avtal {contract.contract_id} i "
                "registret. Ändra den raden i stället."
            }
        )


@transaction.atomic
def contract_create(*, organisation: Organisation, by: Actor, **values: Any) -> Contract:
    """Add one supplier's part of a contract to the register."""
    contract = Contract(organisation=organisation, **values)
    contract.full_clean(exclude=["organisation"])
    _check_unique(contract)
    contract.save()
    audit_record(
        organisation=organisation,
        actor=by,
        action="contract_create",
        obj=contract,
        summary=f"La till avtal {_label(contract)} i avtalsregistret",
        changes=snapshot(contract, CONTRACT_FIELDS),
    )
    return contract


@transaction.atomic
def contract_update(*, contract: Contract, by: Actor, **values: Any) -> Contract:
    """Change the fields given; the trail records old and new values."""
    before = snapshot(contract, CONTRACT_FIELDS)
    for name, value in values.items():
        if name not in CONTRACT_FIELDS:
            raise TypeError(f"contract_update() got an unexpected field {name!r}")
        setattr(contract, name, value)
    contract.full_clean(exclude=["organisation"])
    _check_unique(contract)
    contract.save()
    audit_changes(
        organisation=contract.organisation_id,
        actor=by,
        action="contract_update",
        obj=contract,
        fields=CONTRACT_FIELDS,
        before=before,
        summary=f"Ändrade avtal {_label(contract)} i avtalsregistret",
    )
    return contract


@transaction.atomic
def contract_end(*, contract: Contract, by: Actor, on: dt.date) -> Contract:
    """End the contract: `on` is its last valid day."""
    if on < contract.valid_from:
        raise ValidationError(
            {
                "on": f"Avtalet börjar {contract.valid_from.isoformat()}; välj den dagen "
                "eller senare."
            }
        )
    if contract.valid_to is not None and contract.valid_to <= on:
        raise ValidationError({"on": f"Avtalet upphör redan {contract.valid_to.isoformat()}."})
    return contract_update(contract=contract, by=by, valid_to=on)


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
    audit_changes(
        organisation=organisation,
        actor=by,
        action="procurement_settings_update",
        obj=settings,
        fields=SETTINGS_FIELDS,
        before=before,
        summary="Ändrade inställningarna för upphandlingskontrollerna",
    )
    return settings
