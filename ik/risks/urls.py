from django.urls import path

from ik.risks import views

app_name = "risks"

urlpatterns = [
    path("planer/<uuid:plan_id>/risker/", views.risk_list, name="risk_list"),
    path("planer/<uuid:plan_id>/risker/ny/", views.risk_create, name="risk_create"),
    path("risker/<uuid:risk_id>/redigera/", views.risk_edit, name="risk_edit"),
    path("risker/<uuid:risk_id>/ta-bort/", views.risk_delete, name="risk_delete"),
    path("o/<slug:org>/riskskala/", views.scale_settings, name="scale_settings"),
    path(
        "o/<slug:org>/riskskala/kategorier/",
        views.category_create,
        name="category_create",
    ),
    path(
        "riskkategorier/<uuid:category_id>/ta-bort/",
        views.category_delete,
        name="category_delete",
    ),
]
