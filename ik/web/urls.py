from django.urls import path

from ik.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("halsa/", views.health, name="health"),
    path("o/", views.organisation_index, name="organisation_index"),
    path("o/<slug:org>/", views.organisation_detail, name="organisation_detail"),
    path("o/<slug:org>/installningar/", views.organisation_settings, name="organisation_settings"),
    path("o/<slug:org>/namnd/<slug:committee>/", views.committee_detail, name="committee_detail"),
]
