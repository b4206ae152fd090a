from django.urls import path

from ik.reports import views

app_name = "reports"

urlpatterns = [
    path(
        "uppfoljningar/<uuid:followup_id>/dokument.<slug:fmt>",
        views.followup_report,
        name="followup_report",
    ),
    path("planer/<uuid:plan_id>/dokument.<slug:fmt>", views.plan_report, name="plan_report"),
    path(
        "uppfoljningar/<uuid:followup_id>/resultatblad.xlsx",
        views.result_sheet,
        name="result_sheet",
    ),
]
