from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "ik.org"
    label = "org"
    verbose_name = "Organisation"
