from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ik.reports"
    label = "reports"
    verbose_name = "Rapporter"
