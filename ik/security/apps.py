from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class SecurityConfig(AppConfig):
    name = "ik.security"
    label = "security"
    verbose_name = "Säkerhet"

    def ready(self) -> None:
        from ik.security.idle import start_session  # noqa: PLC0415 - models load first

        user_logged_in.connect(start_session, dispatch_uid="ik.security.idle")
