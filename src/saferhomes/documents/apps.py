from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DocumentsConfig(AppConfig):
    name = "saferhomes.documents"
    verbose_name = "Letters and evidence bundles"

    def ready(self) -> None:
        from saferhomes.documents.demo_data import register_seed_step
        from saferhomes.documents.signals import load_shipped_templates_after_migrate

        register_seed_step()  # demo letters, order 69

        post_migrate.connect(
            load_shipped_templates_after_migrate, sender=self, dispatch_uid="saferhomes.documents.shipped_templates"
        )
