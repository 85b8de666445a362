from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "saferhomes.api"
    verbose_name = "API"
