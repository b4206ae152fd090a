from django.urls import path

from ik.web import structure_views, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("halsa/", views.health, name="health"),
    path("o/", views.organisation_index, name="organisation_index"),
    path("o/<slug:org>/", views.organisation_detail, name="organisation_detail"),
    path("o/<slug:org>/installningar/", views.organisation_settings, name="organisation_settings"),
    path("o/<slug:org>/namnd/<slug:committee>/", views.committee_detail, name="committee_detail"),
    path("o/<slug:org>/struktur/", structure_views.structure, name="structure"),
    path(
        "o/<slug:org>/struktur/importera/",
        structure_views.structure_import,
        name="structure_import",
    ),
    path(
        "o/<slug:org>/struktur/namnder/ny/",
        structure_views.committee_create,
        name="committee_create",
    ),
    path(
        "o/<slug:org>/struktur/namnder/<slug:committee>/",
        structure_views.committee_edit,
        name="committee_edit",
    ),
    path(
        "o/<slug:org>/struktur/namnder/<slug:committee>/ta-bort/",
        structure_views.committee_delete,
        name="committee_delete",
    ),
    path(
        "o/<slug:org>/struktur/namnder/<slug:committee>/enheter/ny/",
        structure_views.unit_create,
        name="unit_create",
    ),
    path("enheter/<uuid:unit_id>/", structure_views.unit_edit, name="unit_edit"),
    path("o/<slug:org>/personer/", structure_views.person_list, name="person_list"),
    path("o/<slug:org>/personer/ny/", structure_views.person_create, name="person_create"),
    path("personer/<uuid:person_id>/", structure_views.person_edit, name="person_edit"),
    path(
        "personer/<uuid:person_id>/bjud-in/",
        structure_views.person_invite,
        name="person_invite",
    ),
]
