from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "saferhomes.privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        import saferhomes.privacy.oversight_alerts  # noqa: F401  # issue 19 part 5 (H4): the daily anomaly alerts job
        from saferhomes.privacy.demo_oversight import register_seed_step as register_oversight_demo

        register_oversight_demo()  # issue 19 part 5 (H4): demo reads for the oversight pages (seed order 86)
