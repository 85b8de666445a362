from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "saferhomes.privacy"
    verbose_name = "Privacy"
