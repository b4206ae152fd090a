from django.urls import path

from ik.reports import views

app_name = "reports"

urlpatterns = [
    path(
        "uppfoljningar/<uuid:followup_id>/dokument.<slug:fmt>",
        views.followup_report,
        name="followup_report",
    ),
    path(
        "uppfoljningar/<uuid:followup_id>/arende.<slug:fmt>",
        views.followup_item,
        name="followup_item",
    ),
    path(
        "uppfoljningar/<uuid:followup_id>/protokollsutdrag.<slug:fmt>",
        views.followup_protocol,
        name="followup_protocol",
    ),
    path("arkiv/<uuid:archive_id>/", views.archived_item, name="archived_item"),
    path(
        "o/<slug:org>/formuleringar/<slug:kind>/", views.document_wording, name="document_wording"
    ),
    path("planer/<uuid:plan_id>/dokument.<slug:fmt>", views.plan_report, name="plan_report"),
    path(
        "uppfoljningar/<uuid:followup_id>/resultatblad.xlsx",
        views.result_sheet,
        name="result_sheet",
    ),
]
