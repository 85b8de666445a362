from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "saferhomes.insights"
    verbose_name = "Insights and governance"
