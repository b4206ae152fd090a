from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "ik.risks"
    label = "risks"
    verbose_name = "Riskanalys"
