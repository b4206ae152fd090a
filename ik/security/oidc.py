"""Optional single sign-on with OpenID Connect, switched on by IK_OIDC_RP_CLIENT_ID.

The settings are derived here from the environment without importing Django, so that
settings.py can use them and tests can check them with any environment.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

BACKEND = "ik.security.oidc_backend.EmailOIDCBackend"
REQUIRED = (
    "IK_OIDC_RP_CLIENT_ID",
    "IK_OIDC_RP_CLIENT_SECRET",
    "IK_OIDC_OP_AUTHORIZATION_ENDPOINT",
    "IK_OIDC_OP_TOKEN_ENDPOINT",
    "IK_OIDC_OP_USER_ENDPOINT",
    "IK_OIDC_OP_JWKS_ENDPOINT",
)


def oidc_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """Django settings for mozilla-django-oidc; only IK_OIDC_ENABLED=False when not configured."""
    if not environ.get("IK_OIDC_RP_CLIENT_ID"):
        return {"IK_OIDC_ENABLED": False}
    missing = [name for name in REQUIRED if not environ.get(name)]
    if missing:
        raise RuntimeError(f"OpenID Connect needs {', '.join(missing)} as well")
    return {
        "IK_OIDC_ENABLED": True,
        "IK_OIDC_BUTTON_LABEL": environ.get("IK_OIDC_BUTTON_LABEL", "Logga in med e-tjänstekonto"),
        "OIDC_RP_CLIENT_ID": environ["IK_OIDC_RP_CLIENT_ID"],
        "OIDC_RP_CLIENT_SECRET": environ["IK_OIDC_RP_CLIENT_SECRET"],
        "OIDC_OP_AUTHORIZATION_ENDPOINT": environ["IK_OIDC_OP_AUTHORIZATION_ENDPOINT"],
        "OIDC_OP_TOKEN_ENDPOINT": environ["IK_OIDC_OP_TOKEN_ENDPOINT"],
        "OIDC_OP_USER_ENDPOINT": environ["IK_OIDC_OP_USER_ENDPOINT"],
        "OIDC_OP_JWKS_ENDPOINT": environ["IK_OIDC_OP_JWKS_ENDPOINT"],
        "OIDC_RP_SIGN_ALGO": environ.get("IK_OIDC_RP_SIGN_ALGO", "RS256"),
        "OIDC_RP_SCOPES": environ.get("IK_OIDC_RP_SCOPES", "openid email profile"),
        # Nobody gets an account, let alone a role, by signing in: users are matched by
        # e-mail to accounts the controller has already made.
        "OIDC_CREATE_USER": False,
        "LOGIN_REDIRECT_URL_FAILURE": "/logga-in/?sso=fel",
    }


def authentication_backends(enabled: bool) -> list[str]:
    backends = ["django.contrib.auth.backends.ModelBackend"]
    return [*backends, BACKEND] if enabled else backends
