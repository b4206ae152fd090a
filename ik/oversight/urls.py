from django.urls import path

from ik.oversight import views

app_name = "oversight"

urlpatterns = [
    path("o/<slug:org>/oversikt/", views.overview, name="overview"),
    path("o/<slug:org>/oversikt/arende/", views.overview_case, name="overview_case"),
    path(
        "o/<slug:org>/oversikt/dokument.<slug:fmt>",
        views.overview_report,
        name="overview_report",
    ),
]
