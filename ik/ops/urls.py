from django.urls import path

from ik.ops import views

app_name = "ops"

urlpatterns = [
    path("halsa/redo/", views.readiness, name="readiness"),
]
