from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "saferhomes.insights"
    verbose_name = "Insights and governance"

    def ready(self) -> None:
        from saferhomes.insights import bench, demo_data, demo_registers

        # Performance report and TSM (issue 18 parts 1 and 2): the bench's operations, the demo's seed step (80).
        bench.register()
        demo_data.register()
        # Registers and the published quarter (issue 18 parts 3-5): the demo's seed step (81).
        demo_registers.register_seed_step()
