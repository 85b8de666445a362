from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "saferhomes.cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        # Demo cases are a step of `saferhomes seed`; housing sits below cases in the import layers, so the step is
        # registered from here rather than imported by housing.
        from saferhomes.cases.demo_data import register_seed_step

        register_seed_step()
