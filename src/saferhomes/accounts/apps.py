from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "saferhomes.accounts"
    verbose_name = "Staff accounts"

    def ready(self) -> None:
        from saferhomes.accounts.signals import sync_roles_after_migrate

        # Runs after the last app's migrations so every permission already exists.
        post_migrate.connect(sync_roles_after_migrate, sender=self, dispatch_uid="saferhomes.accounts.roles_sync")
