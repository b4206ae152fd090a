from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class EmailOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """Matches the identity provider's e-mail to one active IK user, and never creates one."""

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[Any]:
        email = (claims.get("email") or claims.get("upn") or "").strip()
        users: QuerySet[Any] = self.UserModel.objects.filter(email__iexact=email, is_active=True)
        return users if email else users.none()

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("email") or claims.get("upn"))
