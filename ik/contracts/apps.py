from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "ik.contracts"
    label = "contracts"
    verbose_name = "Avtalsregister"
