from django.urls import path

from ik.contracts import views

app_name = "contracts"

urlpatterns = [
    path("o/<slug:org>/avtal/", views.contract_list, name="contract_list"),
    path("o/<slug:org>/avtal/importera/", views.contract_import, name="contract_import"),
    path(
        "o/<slug:org>/avtal/importera/spara/",
        views.contract_import_confirm,
        name="contract_import_confirm",
    ),
    path("o/<slug:org>/avtal/nytt/", views.contract_create, name="contract_create"),
    path("avtal/<uuid:contract_id>/andra/", views.contract_edit, name="contract_edit"),
    path("avtal/<uuid:contract_id>/avsluta/", views.contract_end, name="contract_end"),
    path(
        "o/<slug:org>/avtal/installningar/",
        views.procurement_settings_edit,
        name="procurement_settings_edit",
    ),
    path(
        "o/<slug:org>/avtal/avtalsregister.<str:fmt>",
        views.contract_export,
        name="contract_export",
    ),
]
