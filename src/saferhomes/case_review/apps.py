from django.apps import AppConfig


class CaseReviewConfig(AppConfig):
    name = "saferhomes.case_review"
    verbose_name = "ASB Case Review (Community Trigger)"
