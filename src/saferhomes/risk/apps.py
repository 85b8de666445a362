from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RiskConfig(AppConfig):
    name = "saferhomes.risk"
    verbose_name = "Risk assessment"

    def ready(self) -> None:
        from saferhomes.risk.extensions import register as register_case_extensions
        from saferhomes.risk.signals import load_shipped_instruments_after_migrate

        register_case_extensions()  # closure check, dashboard panel, timeline kind, demo data (R-cases)

        post_migrate.connect(
            load_shipped_instruments_after_migrate, sender=self, dispatch_uid="saferhomes.risk.shipped_instruments"
        )
