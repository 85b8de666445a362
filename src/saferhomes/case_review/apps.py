from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CaseReviewConfig(AppConfig):
    name = "saferhomes.case_review"
    verbose_name = "ASB Case Review (Community Trigger)"

    def ready(self) -> None:
        from saferhomes.case_review.extensions import register as register_case_extensions
        from saferhomes.case_review.review_extensions import register as register_review_extensions
        from saferhomes.case_review.signals import load_shipped_rules_after_migrate

        register_case_extensions()  # dashboard panel, case page prompt, timeline kind, seed step
        register_review_extensions()  # the review's dashboard panel and demo seed step
        from saferhomes.case_review.metrics import register as register_metrics

        register_metrics()  # issue 20 part 7: overdue reviews on /metrics

        post_migrate.connect(
            load_shipped_rules_after_migrate,
            sender=self,
            dispatch_uid="saferhomes.case_review.shipped_rules",
        )
