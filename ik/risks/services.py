"""Changes to the risk analysis. Each function is one transaction and writes the trail."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q

from ik.org.actors import Actor, user_or_none
from ik.org.audit import audit_changes, audit_record, diff, snapshot
from ik.org.models import Organisation
from ik.plans.models import ControlPoint, Plan
from ik.risks import matrix
from ik.risks.models import DEFAULT_CATEGORIES, Handling, Risk, RiskCategory, RiskScale

RISK_FIELDS = (
    "description",
    "process",
    "category",
    "likelihood",
    "impact",
    "handling",
    "action_text",
    "owner_text",
)
SCALE_FIELDS = ("size", "likelihood_labels", "impact_labels", "yellow_from", "red_from")


def scale_for(organisation: Organisation | int) -> RiskScale:
    """The organisation's scale; the first use creates it, and the default categories."""
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    found = RiskScale.objects.filter(organisation_id=org_id).first()
    if found is not None:
        return found
    with transaction.atomic():
        scale, created = RiskScale.objects.get_or_create(organisation_id=org_id)
        if created:
            for position, name in enumerate(DEFAULT_CATEGORIES, start=1):
                RiskCategory.objects.get_or_create(
                    organisation_id=org_id, name=name, defaults={"position": position}
                )
    return scale


def scale_of(organisation: Organisation | int) -> matrix.Scale:
    """The scale to score with, without creating anything: for pages that only read."""
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    stored = RiskScale.objects.filter(organisation_id=org_id).first()
    return stored.as_scale() if stored is not None else matrix.default_scale()


def categories_for(organisation: Organisation | int) -> list[RiskCategory]:
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    scale_for(org_id)
    return list(RiskCategory.objects.filter(organisation_id=org_id))


# Risks -----------------------------------------------------------------------------------


def _check(risk: Risk, scale: matrix.Scale, org_id: int) -> None:
    errors: dict[str, str] = {}
    for name, label in (("likelihood", "Sannolikheten"), ("impact", "Konsekvensen")):
        value = getattr(risk, name)
        if value is not None and not 1 <= value <= scale.size:
            errors[name] = f"{label} ska vara mellan 1 och {scale.size}."
    if risk.category is not None and risk.category.organisation_id != org_id:
        errors["category"] = "Kategorin hör till en annan organisation."
    if risk.handling == Handling.DIRECT_ACTION and not risk.action_text.strip():
        errors["action_text"] = "Beskriv direktåtgärden."
    if errors:
        raise ValidationError(errors)
    risk.full_clean(exclude=["plan", "created_by", "control_points"])


def _set_points(risk: Risk, points: Iterable[ControlPoint]) -> list[str]:
    points = list(points)
    if any(p.plan_id != risk.plan_id for p in points):
        raise ValidationError({"control_points": "Kontrollmomenten måste höra till samma plan."})
    risk.control_points.set(points)
    return [str(p.position) for p in sorted(points, key=lambda p: p.position)]


def _org_id(plan: Plan) -> int:
    return plan.committee.organisation_id


@transaction.atomic
def risk_create(
    *, plan: Plan, by: Actor, control_points: Iterable[ControlPoint] = (), **fields: Any
) -> Risk:
    """Add a risk to the plan's analysis, optionally already linked to control points."""
    unknown = set(fields) - set(RISK_FIELDS)
    if unknown:
        raise TypeError(f"unknown risk fields {sorted(unknown)}")
    scale = scale_for(_org_id(plan)).as_scale()
    risk = Risk(plan=plan, created_by=user_or_none(by), **fields)
    _check(risk, scale, _org_id(plan))
    risk.save()
    linked = _set_points(risk, control_points)
    audit_record(
        organisation=_org_id(plan),
        actor=by,
        action="risk_create",
        obj=risk,
        summary=f"Lade till risk i riskanalysen för {plan}: {risk}",
        changes={**snapshot(risk, RISK_FIELDS), "control_points": linked},
    )
    return risk


@transaction.atomic
def risk_update(
    *,
    risk: Risk,
    by: Actor,
    control_points: Iterable[ControlPoint] | None = None,
    **fields: Any,
) -> Risk:
    """Change a risk; `control_points`, when given, replaces its links."""
    before = snapshot(risk, RISK_FIELDS)
    before_points = sorted(str(p.position) for p in risk.control_points.all())
    for name, value in fields.items():
        if name not in RISK_FIELDS:
            raise TypeError(f"unknown risk field {name}")
        setattr(risk, name, value)
    plan = risk.plan
    _check(risk, scale_for(_org_id(plan)).as_scale(), _org_id(plan))
    risk.save()
    changes = diff(before, snapshot(risk, RISK_FIELDS))
    if control_points is not None:
        after_points = _set_points(risk, control_points)
        if sorted(after_points) != before_points:
            changes["control_points"] = [before_points, after_points]
    if changes:
        audit_record(
            organisation=_org_id(plan),
            actor=by,
            action="risk_update",
            obj=risk,
            summary=f"Ändrade risk i riskanalysen för {plan}: {risk}",
            changes=changes,
        )
    return risk


@transaction.atomic
def risk_delete(*, risk: Risk, by: Actor) -> None:
    audit_record(
        organisation=_org_id(risk.plan),
        actor=by,
        action="risk_delete",
        obj=risk,
        summary=f"Tog bort risk ur riskanalysen för {risk.plan}: {risk}",
        changes=snapshot(risk, RISK_FIELDS),
    )
    risk.delete()


@transaction.atomic
def risks_copy(*, source: Plan, target: Plan, by: Actor) -> int:
    """Copy the source plan's risks into the target plan (next year's); returns how many.

    Links to control points follow where the target plan has a point with the same process
    name and question; the others are dropped, since the committee decides next year's
    controls anew.
    """
    in_target = {
        (p.process.name.casefold(), p.question.strip()): p
        for p in target.control_points.select_related("process")
    }
    copied = 0
    risks = source.risks.select_related("category").prefetch_related("control_points__process")
    for old in risks.order_by("id"):
        new = Risk.objects.create(
            plan=target,
            created_by=user_or_none(by),
            **{name: getattr(old, name) for name in RISK_FIELDS},
        )
        keys = [(p.process.name.casefold(), p.question.strip()) for p in old.control_points.all()]
        new.control_points.set([in_target[k] for k in keys if k in in_target])
        copied += 1
    if copied:
        audit_record(
            organisation=_org_id(target),
            actor=by,
            action="risks_copy",
            obj=target,
            summary=f"Kopierade {copied} risker från riskanalysen för {source.year} till {target}",
        )
    return copied


# Scale and categories --------------------------------------------------------------------


@transaction.atomic
def scale_update(*, organisation: Organisation, by: Actor, **fields: Any) -> RiskScale:
    """Change the organisation's scale. A smaller scale is refused while risks use the
    levels it would remove, so no risk silently changes its score."""
    scale = scale_for(organisation)
    before = snapshot(scale, SCALE_FIELDS)
    for name, value in fields.items():
        if name not in SCALE_FIELDS:
            raise TypeError(f"unknown scale field {name}")
        setattr(scale, name, value)
    errors = matrix.band_errors(scale.size, scale.yellow_from, scale.red_from)
    if errors:
        raise ValidationError(errors)
    for name in ("likelihood_labels", "impact_labels"):
        labels = [str(x).strip() for x in getattr(scale, name)]
        if len(labels) < scale.size or not all(labels[: scale.size]):
            raise ValidationError({name: "Ge varje nivå en benämning."})
        setattr(scale, name, labels)
    too_high = Risk.objects.filter(plan__committee__organisation=organisation).filter(
        Q(likelihood__gt=scale.size) | Q(impact__gt=scale.size)
    )
    if too_high.exists():
        raise ValidationError(
            {
                "size": f"{too_high.count()} risker har sannolikhet eller konsekvens över "
                f"{scale.size}. Ändra dem innan skalan görs mindre."
            }
        )
    scale.full_clean()
    scale.save()
    audit_changes(
        organisation=organisation,
        actor=by,
        action="risk_scale_update",
        obj=scale,
        fields=SCALE_FIELDS,
        before=before,
        summary=f"Ändrade riskskalan för {organisation}",
    )
    return scale


@transaction.atomic
def category_create(*, organisation: Organisation, by: Actor, name: str) -> RiskCategory:
    scale_for(organisation)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Ange kategorins namn."})
    if RiskCategory.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise ValidationError({"name": f"Kategorin {name} finns redan."})
    position = (
        RiskCategory.objects.filter(organisation=organisation).aggregate(m=Max("position"))["m"]
        or 0
    ) + 1
    try:
        with transaction.atomic():
            category = RiskCategory.objects.create(
                organisation=organisation, name=name, position=position
            )
    except IntegrityError:
        raise ValidationError({"name": f"Kategorin {name} finns redan."}) from None
    audit_record(
        organisation=organisation,
        actor=by,
        action="risk_category_create",
        obj=category,
        summary=f"Lade till riskkategorin {name}",
    )
    return category


@transaction.atomic
def category_delete(*, category: RiskCategory, by: Actor) -> None:
    """Remove a category no risk uses; a used one stays, so past analyses keep their words."""
    used = category.risks.count()
    if used:
        raise ValidationError(
            f"Kategorin {category.name} används av {used} risker och kan inte tas bort."
        )
    audit_record(
        organisation=category.organisation_id,
        actor=by,
        action="risk_category_delete",
        obj=category,
        summary=f"Tog bort riskkategorin {category.name}",
    )
    category.delete()
