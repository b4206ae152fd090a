from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "ik.web"
    label = "web"
    verbose_name = "Webb"
