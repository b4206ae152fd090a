from django.urls import path

from ik.followups import views

app_name = "followups"

urlpatterns = [
    path("planer/<uuid:plan_id>/uppfoljningar/ny/", views.followup_create, name="followup_create"),
    path("uppfoljningar/<uuid:followup_id>/", views.followup_detail, name="followup_detail"),
    path("uppfoljningar/<uuid:followup_id>/redigera/", views.followup_edit, name="followup_edit"),
    path(
        "uppfoljningar/<uuid:followup_id>/ta-bort/", views.followup_delete, name="followup_delete"
    ),
    path(
        "uppfoljningar/<uuid:followup_id>/rapportera-till-namnden/",
        views.followup_mark_reported,
        name="followup_mark_reported",
    ),
    path(
        "uppfoljningar/<uuid:followup_id>/oppna-igen/",
        views.followup_reopen,
        name="followup_reopen",
    ),
    path(
        "uppfoljningar/<uuid:followup_id>/las-in-resultat/",
        views.results_import,
        name="results_import",
    ),
    path(
        "uppfoljningar/<uuid:followup_id>/las-in-resultat/spara/",
        views.results_import_confirm,
        name="results_import_confirm",
    ),
    path("poster/<uuid:entry_id>/", views.entry_card, name="entry_card"),
    path("poster/<uuid:entry_id>/rapportera/", views.entry_edit, name="entry_edit"),
    path("poster/<uuid:entry_id>/avvikelser/ny/", views.deviation_create, name="deviation_create"),
    path("avvikelser/<uuid:deviation_id>/atgarder/ny/", views.action_create, name="action_create"),
    path("atgarder/<uuid:action_id>/", views.action_edit, name="action_edit"),
    path("atgarder/<uuid:action_id>/avsluta/", views.action_close, name="action_close"),
]
