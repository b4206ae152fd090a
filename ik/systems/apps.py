from django.apps import AppConfig


class SystemsConfig(AppConfig):
    name = "ik.systems"
    label = "systems"
    verbose_name = "Systemregister"
