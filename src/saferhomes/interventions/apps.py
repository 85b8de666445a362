from django.apps import AppConfig
from django.db.models.signals import post_migrate


class InterventionsConfig(AppConfig):
    name = "saferhomes.interventions"
    verbose_name = "Interventions and legal action"

    def ready(self) -> None:
        from saferhomes.interventions.extensions import register as register_case_extensions
        from saferhomes.interventions.signals import load_shipped_catalogue_after_migrate

        register_case_extensions()  # closure check, timeline kind

        post_migrate.connect(
            load_shipped_catalogue_after_migrate,
            sender=self,
            dispatch_uid="saferhomes.interventions.shipped_catalogue",
        )
