from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "saferhomes.privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        from saferhomes.privacy import (
            demo_rights,  # issue 19 part 4: demo rights requests (seed order 85)
            rights_reminders,  # noqa: F401  (issue 19 part 4: the daily reminder job)
        )

        demo_rights.register_seed_step()
