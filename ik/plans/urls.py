from django.urls import path

from ik.plans import cycle_views, views

app_name = "plans"

urlpatterns = [
    path("o/<slug:org>/namnd/<slug:committee>/ny-plan/", views.plan_create, name="plan_create"),
    path(
        "o/<slug:org>/namnd/<slug:committee>/las-in-plan/",
        views.plan_import,
        name="plan_import",
    ),
    path(
        "o/<slug:org>/namnd/<slug:committee>/las-in-plan/spara/",
        views.plan_import_confirm,
        name="plan_import_confirm",
    ),
    path("planer/<uuid:plan_id>/", views.plan_detail, name="plan_detail"),
    path("planer/<uuid:plan_id>/redigera/", views.plan_edit, name="plan_edit"),
    path("planer/<uuid:plan_id>/skicka-in/", views.plan_submit, name="plan_submit"),
    path("planer/<uuid:plan_id>/aterforvisa/", views.plan_return, name="plan_return"),
    path("planer/<uuid:plan_id>/faststall/", views.plan_adopt, name="plan_adopt"),
    path(
        "planer/<uuid:plan_id>/nasta-ar/",
        views.plan_create_next_year,
        name="plan_create_next_year",
    ),
    path("planer/<uuid:plan_id>/ta-bort/", views.plan_delete, name="plan_delete"),
    path(
        "kontrollmoment/<uuid:point_id>/ta-bort/",
        views.control_point_delete,
        name="control_point_delete",
    ),
    path(
        "planer/<uuid:plan_id>/kontrollmoment/nytt/",
        views.control_point_create,
        name="control_point_create",
    ),
    path(
        "kontrollmoment/<uuid:point_id>/redigera/",
        views.control_point_edit,
        name="control_point_edit",
    ),
    path(
        "kontrollmoment/<uuid:point_id>/flytta-upp/",
        views.control_point_move_up,
        name="control_point_move_up",
    ),
    path(
        "kontrollmoment/<uuid:point_id>/flytta-ned/",
        views.control_point_move_down,
        name="control_point_move_down",
    ),
    path("o/<slug:org>/kommungemensamma/", cycle_views.common_list, name="common_list"),
    path("o/<slug:org>/kommungemensamma/ny/", cycle_views.common_create, name="common_create"),
    path("o/<slug:org>/kommungemensamma/kopiera/", cycle_views.common_copy, name="common_copy"),
    path(
        "kommungemensamma/<uuid:common_id>/redigera/",
        cycle_views.common_edit,
        name="common_edit",
    ),
    path("o/<slug:org>/tidsplan/", cycle_views.deadline_list, name="deadline_list"),
    path("o/<slug:org>/tidsplan/ny/", cycle_views.deadline_create, name="deadline_create"),
    path(
        "tidsplan/<uuid:deadline_id>/redigera/",
        cycle_views.deadline_edit,
        name="deadline_edit",
    ),
    path(
        "tidsplan/<uuid:deadline_id>/ta-bort/",
        cycle_views.deadline_delete,
        name="deadline_delete",
    ),
]
