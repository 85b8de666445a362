from django.apps import AppConfig


class ConfigurationConfig(AppConfig):
    name = "saferhomes.configuration"
    verbose_name = "Configuration"
