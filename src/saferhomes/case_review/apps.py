from django.apps import AppConfig


class CaseReviewConfig(AppConfig):
    name = "saferhomes.case_review"
    verbose_name = "ASB Case Review (Community Trigger)"

    def ready(self) -> None:
        from saferhomes.case_review.review_extensions import register as register_review_extensions

        register_review_extensions()  # the review's dashboard panel and demo seed step (helper B)
