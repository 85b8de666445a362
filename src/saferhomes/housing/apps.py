from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "saferhomes.housing"
    verbose_name = "Housing register"
