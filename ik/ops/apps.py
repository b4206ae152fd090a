from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ik.ops"
    label = "ops"
    verbose_name = "Drift"
