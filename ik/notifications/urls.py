from django.urls import path

from ik.notifications import views

app_name = "notifications"

urlpatterns = [
    path("mina-installningar/", views.preferences, name="preferences"),
    path(
        "mina-installningar/ny-kalenderlank/",
        views.calendar_regenerate,
        name="calendar_regenerate",
    ),
    path("kalender/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("o/<slug:org>/paminnelser/", views.reminder_settings, name="reminder_settings"),
]
