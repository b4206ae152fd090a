from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ik.accounts"
    label = "accounts"
    verbose_name = "Användare och roller"
