from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "saferhomes.intake"
    verbose_name = "Reports and triage"

    def ready(self) -> None:
        from saferhomes.intake.services import acknowledge

        acknowledge.register()
