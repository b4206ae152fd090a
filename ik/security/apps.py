from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "ik.security"
    label = "security"
    verbose_name = "Säkerhet"
