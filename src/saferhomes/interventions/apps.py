from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "saferhomes.interventions"
    verbose_name = "Interventions and legal action"
