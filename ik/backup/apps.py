from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "ik.backup"
    label = "backup"
    verbose_name = "Säkerhetskopiering"
