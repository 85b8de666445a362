from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "saferhomes.privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        from saferhomes.privacy import tasks_retention  # noqa: F401  (H2: registers the retention jobs)
        from saferhomes.privacy.demo_data import register_seed_step as register_retention_demo  # H2: seed order 84

        register_retention_demo()
