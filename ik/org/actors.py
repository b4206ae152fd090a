"""Who changes something: a signed-in user, or IK itself in a command or a background task.

Every service takes one of these as `by`, and the audit trail records which: the user, or
the system actor's name ("runcontrol", "db_worker" …) so an auditor can tell the two apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


@dataclass(frozen=True, slots=True)
class SystemActor:
    """IK acting without a user, named after the command or task that acts."""

    name: str

    def __str__(self) -> str:
        return f"Systemet ({self.name})"


Actor = User | SystemActor

RUNCONTROL = SystemActor("runcontrol")
DB_WORKER = SystemActor("db_worker")
LOADDEMO = SystemActor("loaddemo")
IMPORTORG = SystemActor("importorg")
CREATEORGANISATION = SystemActor("createorganisation")
IMPORTPLAN = SystemActor("importplan")
IMPORTRESULTS = SystemActor("importresults")
LOGIN_LOCKOUT = SystemActor("inloggningsspärr")


def user_or_none(actor: Actor) -> User | None:
    """The user behind a change, for `created_by`-style fields; None when the system acts."""
    if isinstance(actor, User):
        return actor
    if isinstance(actor, SystemActor):
        return None
    raise TypeError(f"by must be a User or a SystemActor, not {type(actor).__name__}")


def system_name(actor: Actor) -> str:
    """The system actor's name for the trail; blank for a user."""
    return actor.name if isinstance(actor, SystemActor) else ""


def signed_in_user(request: HttpRequest) -> User:
    """The user of a request that changes something; sign-in is required for every view."""
    user = request.user
    if not isinstance(user, User) or not user.is_active:
        raise PermissionDenied
    return user
