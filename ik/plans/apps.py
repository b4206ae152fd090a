from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "ik.plans"
    label = "plans"
    verbose_name = "Planer"
