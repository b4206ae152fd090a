"""Single sign-on URLs, added to the site only when OpenID Connect is configured."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from mozilla_django_oidc import views as oidc_views

urlpatterns = [
    path(
        "oidc/callback/",
        login_not_required(oidc_views.OIDCAuthenticationCallbackView.as_view()),
        name="oidc_authentication_callback",
    ),
    path(
        "oidc/authenticate/",
        login_not_required(oidc_views.OIDCAuthenticationRequestView.as_view()),
        name="oidc_authentication_init",
    ),
]
