from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "ik.notifications"
    label = "notifications"
    verbose_name = "Påminnelser"
