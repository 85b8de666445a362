from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "saferhomes.housing"
    verbose_name = "Housing register"

    def ready(self) -> None:
        # The register is the first steps of the demo seed that core runs (core.seed's extension points).
        from saferhomes.housing.demo_register import register_seed_steps

        register_seed_steps()
