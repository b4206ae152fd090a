from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "ik.oversight"
    label = "oversight"
    verbose_name = "Översikt"
