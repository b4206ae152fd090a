from django.urls import path

from ik.plans import views

app_name = "plans"

urlpatterns = [
    path("o/<slug:org>/namnd/<slug:committee>/ny-plan/", views.plan_create, name="plan_create"),
    path("planer/<uuid:plan_id>/", views.plan_detail, name="plan_detail"),
    path("planer/<uuid:plan_id>/redigera/", views.plan_edit, name="plan_edit"),
    path("planer/<uuid:plan_id>/faststall/", views.plan_adopt, name="plan_adopt"),
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
]
