from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "saferhomes.insights"
    verbose_name = "Insights and governance"

    def ready(self) -> None:
        # Performance report and TSM (issue 18 parts 1 and 2): the bench's operations, the demo's seed step.
        from saferhomes.insights import bench, demo_data

        bench.register()
        demo_data.register()
