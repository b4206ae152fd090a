from django.urls import path

from ik.contracts import views

app_name = "contracts"

urlpatterns = [
    path("o/<slug:org>/avtal/", views.contract_list, name="contract_list"),
    path("o/<slug:org>/avtal/importera/", views.contract_import, name="contract_import"),
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
