from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "saferhomes.cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        # Demo cases are a step of `saferhomes seed`; housing sits below cases in the import layers, so the step is
        # registered from here rather than imported by housing.
        from saferhomes.cases.demo import register_seed_step
        from saferhomes.cases.search import refresh_for_register
        from saferhomes.housing.extensions import on_register_changed

        register_seed_step()
        # `saferhomes import cases FILE`: the case-log import registers itself with housing's import command.
        from saferhomes.cases import importers

        importers.register()
        # Cases' search documents hold register names and addresses: rewrite them when the register changes.
        on_register_changed(refresh_for_register)
        # Issue 20 part 7: overdue first responses on /metrics.
        from saferhomes.cases.metrics import register as register_metrics

        register_metrics()
