from django.urls import path

from ik.systems import views

app_name = "systems"

urlpatterns = [
    path("o/<slug:org>/system/", views.register_list, name="register_list"),
    path("o/<slug:org>/system/nytt/", views.system_create, name="system_create"),
    path("o/<slug:org>/system/importera/", views.register_import, name="register_import"),
    path(
        "o/<slug:org>/system/systemregister.<str:fmt>",
        views.register_export,
        name="register_export",
    ),
    path(
        "o/<slug:org>/system/kompetens.<str:fmt>",
        views.competence_export,
        name="competence_export",
    ),
    path("system/<uuid:system_id>/", views.system_detail, name="system_detail"),
    path("system/<uuid:system_id>/redigera/", views.system_edit, name="system_edit"),
    path("system/<uuid:system_id>/ta-bort/", views.system_delete, name="system_delete"),
    path("system/<uuid:system_id>/kompetens/", views.competence_add, name="competence_add"),
    path(
        "kompetens/<uuid:competence_id>/ta-bort/",
        views.competence_remove,
        name="competence_remove",
    ),
]
