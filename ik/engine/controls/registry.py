"""Every automated control IK can run, listed by hand.

This list is the only registration: `runcontrol`, the run form, the background task and the
oversight page all read it, and nothing registers itself by being imported. To add a control,
give it a folder with `control.py` and `spec.py` and add its SPEC below (see CONTRIBUTING.md,
"Lägga till en automatisk kontroll").
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ik.engine.controls.account_review.spec import SPEC as ACCOUNT_REVIEW
from ik.engine.controls.alarm_coverage.spec import SPEC as ALARM_COVERAGE
from ik.engine.controls.competence_overlap.spec import SPEC as COMPETENCE_OVERLAP
from ik.engine.controls.contract_compliance.spec import SPEC as CONTRACT_COMPLIANCE
from ik.engine.controls.direct_procurement.spec import SPEC as DIRECT_PROCUREMENT
from ik.engine.controls.duplicate_payments.spec import SPEC as DUPLICATE_PAYMENTS
from ik.engine.controls.late_payments.spec import SPEC as LATE_PAYMENTS
from ik.engine.controls.missing_orgnr.spec import SPEC as MISSING_ORGNR
from ik.engine.controls.outage_drill.spec import SPEC as OUTAGE_DRILL
from ik.engine.controls.participation.spec import SPEC as PARTICIPATION
from ik.engine.controls.spec import ControlSpec
from ik.engine.controls.startup_order.spec import SPEC as STARTUP_ORDER
from ik.engine.errors import InputError

# In the order the run form offers them: the ledger controls first.
CONTROLS: Mapping[str, ControlSpec] = MappingProxyType(
    {
        spec.name: spec
        for spec in (
            LATE_PAYMENTS,
            DUPLICATE_PAYMENTS,
            MISSING_ORGNR,
            ACCOUNT_REVIEW,
            CONTRACT_COMPLIANCE,
            DIRECT_PROCUREMENT,
            STARTUP_ORDER,
            OUTAGE_DRILL,
            COMPETENCE_OVERLAP,
            ALARM_COVERAGE,
            PARTICIPATION,
        )
    }
)

# Labels shared by every control's results.
COMMON_DETAIL_LABELS: Mapping[str, str] = {
    "findings_total": "Fynd totalt",
    "findings_shown": "Fynd som visas",
}
COMMON_COLUMN_LABELS: Mapping[str, str] = {"unit": "Enhet", "n": "Antal"}


def get_control(name: str) -> ControlSpec:
    """The control called `name`; InputError listing the known ones otherwise."""
    try:
        return CONTROLS[name]
    except KeyError:
        known = ", ".join(sorted(CONTROLS))
        raise InputError(f"Okänd kontroll {name!r}. Tillgängliga: {known}") from None


def control_label(name: str) -> str:
    """The control's name as people read it ("Försent betalda fakturor")."""
    spec = CONTROLS.get(name)
    return spec.label if spec else name


def _merged(part: str, common: Mapping[str, str]) -> Mapping[str, str]:
    labels = dict(common)
    for spec in CONTROLS.values():
        labels.update(getattr(spec, part))
    return MappingProxyType(labels)


DETAIL_LABELS = _merged("detail_labels", COMMON_DETAIL_LABELS)
COLUMN_LABELS = _merged("column_labels", COMMON_COLUMN_LABELS)
FINDING_KINDS = _merged("finding_kinds", {})
# The detail that counts each control's population, where it is not the file's rows.
WEIGHT_KEYS: Mapping[str, str] = MappingProxyType(
    {spec.name: spec.weight_key for spec in CONTROLS.values() if spec.weight_key}
)
EXAMPLE_FILES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {spec.name: spec.examples for spec in CONTROLS.values() if spec.examples}
)


def finding_kind_label(kind: str) -> str:
    return FINDING_KINDS.get(kind, kind)
