from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "saferhomes.insights"
    verbose_name = "Insights and governance"

    def ready(self) -> None:
        # Issue 18 parts 3-5: the demo registers and published quarter.
        from saferhomes.insights.demo_data import register_seed_step as register_registers_seed_step

        register_registers_seed_step()
