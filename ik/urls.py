from django.contrib.auth import views as auth_views
from django.urls import include, path

from ik.web.forms import LoginForm

urlpatterns = [
    path(
        "logga-in/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("ik.web.urls")),
    path("", include("ik.plans.urls")),
    path("", include("ik.followups.urls")),
    path("", include("ik.reports.urls")),
    path("", include("ik.controls.urls")),
    path("", include("ik.systems.urls")),
    path("", include("ik.oversight.urls")),
]
