from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "saferhomes.intake"
    verbose_name = "Reports and triage"
