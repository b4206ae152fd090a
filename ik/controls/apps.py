from django.apps import AppConfig


class ControlsConfig(AppConfig):
    name = "ik.controls"
    label = "controls"
    verbose_name = "Automatiska kontroller"
