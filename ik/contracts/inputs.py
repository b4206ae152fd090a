"""The register as the engine's records: what the procurement controls take as input."""

from __future__ import annotations

from typing import Any

from ik.contracts.models import Contract, ProcurementSettings
from ik.engine import contracts as engine
from ik.engine.controls.direct_procurement.spec import LOU
from ik.lib.swedish import sort_key
from ik.org.models import Organisation


def engine_contracts(organisation: Organisation) -> list[engine.Contract]:
    """The organisation's contracts in a stable order (supplier, contract id). One query."""
    rows = Contract.objects.filter(organisation=organisation)
    out = [
        engine.Contract(
            supplier=c.supplier,
            contract_id=c.contract_id,
            valid_from=c.valid_from,
            valid_to=c.valid_to,
            orgnr=c.orgnr,
            title=c.title,
            category=c.category,
            framework=c.framework,
        )
        for c in rows
    ]
    out.sort(key=lambda c: (sort_key(c.supplier), sort_key(c.contract_id), c.valid_from))
    return out


def procurement_settings(organisation: Organisation) -> ProcurementSettings:
    """The organisation's settings, or the defaults (unsaved) when it has chosen none."""
    found = ProcurementSettings.objects.filter(organisation=organisation).first()
    return found or ProcurementSettings(organisation=organisation)


def procurement_options(organisation: Organisation) -> dict[str, Any]:
    """The settings as the procurement controls' options (`runcontrol` names, parsed values).

    What a run takes when its own arguments leave an option out: `runcontrol --organisation`
    and the worker both apply it (`ik.controls.running.organisation_options`), and the run
    form starts from it.
    """
    settings = procurement_settings(organisation)
    limit = settings.direct_procurement_limit
    return {
        "target": float(settings.compliance_target),
        "window": settings.window,
        "limit": LOU if limit is None else str(limit),
    }


def procurement_run_initial(organisation: Organisation) -> dict[str, Any]:
    """The run form's starting values for the procurement controls: the same settings."""
    settings = procurement_settings(organisation)
    return {
        "window": settings.window,
        "limit": settings.direct_procurement_limit,
        "target_at_least": settings.compliance_target,
    }
