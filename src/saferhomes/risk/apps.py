from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "saferhomes.risk"
    verbose_name = "Risk assessment"
