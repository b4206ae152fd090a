"""Login throttling: after too many failures an account (or an address) is locked a while.

An account is locked after IK_LOGIN_MAX_FAILURES failures within IK_LOGIN_LOCK_SECONDS, a
client address after IK_LOGIN_MAX_FAILURES_PER_ADDRESS (higher, since many people can share
one address). The lock is written to the audit trail of every organisation the account
belongs to; unknown usernames are locked too, but have no trail to write to. Nothing typed in
the password field is ever stored.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ik.org.actors import LOGIN_LOCKOUT
from ik.org.audit import audit_record
from ik.org.models import Membership
from ik.security.models import LoginThrottle


def client_address(request: Any) -> str:
    if request is None:
        return ""
    if getattr(settings, "IK_BEHIND_PROXY", False):
        # The proxy appends the address it saw; anything before it came from the client.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return str(forwarded.split(",")[-1].strip())
    return str(request.META.get("REMOTE_ADDR", ""))


def _keys(username: str, address: str) -> dict[str, int]:
    keys = {f"user:{username.strip().casefold()}"[:200]: settings.IK_LOGIN_MAX_FAILURES}
    if address:
        keys[f"addr:{address}"[:200]] = settings.IK_LOGIN_MAX_FAILURES_PER_ADDRESS
    return keys


def _lock_period() -> timedelta:
    return timedelta(seconds=settings.IK_LOGIN_LOCK_SECONDS)


def locked_until(username: str, address: str, *, now: datetime | None = None) -> datetime | None:
    """When the lock on this account or address ends, or None when neither is locked."""
    now = now or timezone.now()
    ends = LoginThrottle.objects.filter(
        key__in=_keys(username, address), locked_until__gt=now
    ).values_list("locked_until", flat=True)
    return max((end for end in ends if end is not None), default=None)


@transaction.atomic
def login_failed(username: str, address: str, *, now: datetime | None = None) -> bool:
    """Count a failure; True when it locked the account or the address."""
    now = now or timezone.now()
    locked = False
    for key, limit in _keys(username, address).items():
        row, _ = LoginThrottle.objects.select_for_update().get_or_create(
            key=key, defaults={"first_failure_at": now}
        )
        if row.first_failure_at < now - _lock_period():
            row.failures, row.first_failure_at, row.locked_until = 0, now, None
        row.failures += 1
        if row.failures >= limit and (row.locked_until is None or row.locked_until <= now):
            row.locked_until = now + _lock_period()
            locked = True
            if key.startswith("user:"):
                _audit_lock(username, address)
        row.save()
    return locked


def login_succeeded(username: str) -> None:
    LoginThrottle.objects.filter(key__in=list(_keys(username, ""))).delete()


def _audit_lock(username: str, address: str) -> None:
    user = get_user_model().objects.filter(username__iexact=username.strip()).first()
    if user is None:
        return
    minutes = settings.IK_LOGIN_LOCK_SECONDS // 60
    org_ids = Membership.objects.filter(user=user).values_list("organisation_id", flat=True)
    for org_id in sorted(set(org_ids)):
        audit_record(
            organisation=org_id,
            actor=LOGIN_LOCKOUT,
            action="login_locked",
            obj=user,
            summary=f"Kontot {user.username} låstes i {minutes} minuter efter "
            f"{settings.IK_LOGIN_MAX_FAILURES} misslyckade inloggningar",
            changes={"address": address},
        )
