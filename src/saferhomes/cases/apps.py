from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "saferhomes.cases"
    verbose_name = "Cases"
