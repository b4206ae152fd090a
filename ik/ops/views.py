from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ik.ops.readiness import readiness as readiness_checks


@login_not_required
@never_cache
@require_safe
def readiness(request: HttpRequest) -> JsonResponse:
    """`/halsa/redo/`: 200 when this instance can serve and its queue is worked, else 503."""
    checks = readiness_checks()
    return JsonResponse(checks, status=200 if checks["ready"] else 503)
