from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "saferhomes.privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        # The worker's periodic jobs and the demo's seed steps of each part of issue 19.
        from saferhomes.privacy import (
            demo_rights,  # rights requests (seed order 85)
            oversight_alerts,  # noqa: F401  (the daily anomaly alerts job)
            rights_reminders,  # noqa: F401  (the daily reminder job)
            tasks_retention,  # noqa: F401  (the retention jobs)
        )
        from saferhomes.privacy.demo_data import register_seed_step as register_retention_demo  # seed order 84
        from saferhomes.privacy.demo_oversight import register_seed_step as register_oversight_demo  # seed order 86

        register_retention_demo()
        demo_rights.register_seed_step()
        register_oversight_demo()
