from django.urls import path

from ik.accounts import views

app_name = "accounts"

urlpatterns = [
    path("o/<slug:org>/anvandare/", views.user_list, name="user_list"),
    path("o/<slug:org>/anvandare/bjud-in/", views.invitation_create, name="invitation_create"),
    path("o/<slug:org>/anvandare/<str:username>/", views.user_detail, name="user_detail"),
    path("o/<slug:org>/anvandare/<str:username>/roller/ny/", views.role_add, name="role_add"),
    path(
        "o/<slug:org>/anvandare/<str:username>/roller/ta-bort/",
        views.role_remove,
        name="role_remove",
    ),
    path("kom-igang/", views.organisation_setup, name="organisation_setup"),
    path("inbjudan/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("o/<slug:org>/handelselogg/", views.audit_log, name="audit_log"),
    path("o/<slug:org>/handelselogg.csv", views.audit_log_csv, name="audit_log_csv"),
]
