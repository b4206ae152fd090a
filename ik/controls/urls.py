from django.urls import path

from ik.controls import views

app_name = "controls"

urlpatterns = [
    path("poster/<uuid:entry_id>/kontroll/", views.control_run_create, name="control_run_create"),
    path("kontrollkorningar/<uuid:run_id>/", views.control_run_detail, name="control_run_detail"),
    path(
        "kontrollkorningar/<uuid:run_id>/resultat.json",
        views.control_run_json,
        name="control_run_json",
    ),
    path("exempelfiler/<str:name>", views.example_file, name="example_file"),
    path("o/<slug:org>/kolumnmappningar/", views.ledger_mapping_list, name="ledger_mapping_list"),
    path(
        "kolumnmappningar/<uuid:mapping_id>/ta-bort/",
        views.ledger_mapping_delete,
        name="ledger_mapping_delete",
    ),
]
