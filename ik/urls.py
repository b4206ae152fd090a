from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.urls import include, path

from ik.security.forms import ThrottledLoginForm
from ik.web.views import LoginView

urlpatterns = [
    # Outside a request-wide transaction: the password hash takes a while by design, and on
    # SQLite a transaction holds the write lock, so parallel logins would queue behind it.
    path(
        "logga-in/",
        transaction.non_atomic_requests(
            LoginView.as_view(
                template_name="registration/login.html",
                authentication_form=ThrottledLoginForm,
                redirect_authenticated_user=True,
                extra_context={
                    "oidc_enabled": getattr(settings, "IK_OIDC_ENABLED", False),
                    "oidc_label": getattr(settings, "IK_OIDC_BUTTON_LABEL", ""),
                },
            )
        ),
        name="login",
    ),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("ik.web.urls")),
    path("", include("ik.ops.urls")),
    path("", include("ik.accounts.urls")),
    path("", include("ik.plans.urls")),
    path("", include("ik.followups.urls")),
    path("", include("ik.reports.urls")),
    path("", include("ik.controls.urls")),
    path("", include("ik.systems.urls")),
    path("", include("ik.contracts.urls")),
    path("", include("ik.risks.urls")),
    path("", include("ik.oversight.urls")),
    path("", include("ik.notifications.urls")),
]

handler400 = "ik.web.error_views.bad_request"
handler403 = "ik.web.error_views.permission_denied"
handler404 = "ik.web.error_views.page_not_found"
handler500 = "ik.web.error_views.server_error"

if getattr(settings, "IK_OIDC_ENABLED", False):
    urlpatterns.append(path("", include("ik.security.urls")))
