"""The plan page's short risk summary, so the plan view itself needs no change."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import prefetch_related_objects

from ik.plans.models import Plan
from ik.risks import matrix
from ik.risks.services import scale_of

register = template.Library()


@register.inclusion_tag("includes/badge.html")
def risk_tone(tone: matrix.Tone, count: int | None = None) -> dict[str, Any]:
    """A risk band as a badge: "Hög (röd)", or with a count "Hög (röd): 2".

    The count comes after the band, so "2 hög" never asks the adjective to agree with it.
    """
    label = f"{tone.label} ({tone.colour})"
    return {"tone": tone.value, "text": label if count is None else f"{label}: {count}"}


@register.inclusion_tag("risks/risk_summary.html")
def risk_summary(plan: Plan) -> dict[str, Any]:
    """Counts per colour and the flagged risks; two or three queries."""
    scale = scale_of(plan.committee.organisation_id)
    risks = list(plan.risks.all())
    for risk in risks:
        risk.use_scale(scale)
    # Only a red risk without a direct action looks at its control points (Risk.is_flagged);
    # fetching them for these alone usually spares the query.
    prefetch_related_objects(
        [r for r in risks if r.tone == matrix.Tone.RED and not r.has_action], "control_points"
    )
    grid = matrix.build_matrix(scale, ((r.likelihood, r.impact) for r in risks))
    counts = grid.count_by_tone()
    return {
        "plan": plan,
        "total": len(risks),
        "by_tone": [(t, counts[t]) for t in matrix.TONES_HIGH_FIRST],
        "flagged": [r for r in risks if r.is_flagged],
    }
