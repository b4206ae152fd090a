"""The register as the engine's records: what the IT-continuity controls take as input.

Each function costs a fixed number of queries whatever the register's size, and returns the
records in a stable order (priority, then Swedish alphabetical order), so the same register
always gives the same files and the same fingerprint.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch

from ik.engine import systems as engine
from ik.lib.swedish import sort_key
from ik.org.models import Organisation
from ik.systems.models import Competence, CompetenceRole, System


def _hours(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def engine_systems(organisation: Organisation) -> list[engine.System]:
    """The organisation's systems, with dependencies by name. Two queries."""
    systems = (
        System.objects.filter(organisation=organisation)
        .select_related("owner_unit")
        .prefetch_related(Prefetch("depends_on", queryset=System.objects.only("id", "name")))
    )
    out = [
        engine.System(
            name=s.name,
            owner_unit=s.owner_label,
            criticality=engine.Criticality(s.criticality),
            priority=s.priority,
            depends_on=tuple(sorted((d.name for d in s.depends_on.all()), key=sort_key)),
            rto_hours=_hours(s.rto_hours),
            has_alarm=s.has_alarm,
            alarm_method=s.alarm_method,
            alarm_recipient=s.alarm_recipient,
        )
        for s in systems
    ]
    out.sort(key=lambda s: (s.priority, sort_key(s.name)))
    return out


_ROLE_ORDER = {CompetenceRole.PRIMARY.value: 0, CompetenceRole.BACKUP.value: 1}


def engine_competence(organisation: Organisation) -> list[engine.Competence]:
    """Who can run which system, by system name and person name. One query."""
    rows = Competence.objects.filter(system__organisation=organisation).values_list(
        "system__name", "person_name", "role"
    )
    ordered = sorted(
        rows,
        key=lambda r: (sort_key(r[0]), _ROLE_ORDER[r[2]], sort_key(r[1])),
    )
    return [
        engine.Competence(system=system, person=person, role=engine.Role(role))
        for system, person, role in ordered
    ]
