from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "saferhomes.core"
    verbose_name = "Core"
