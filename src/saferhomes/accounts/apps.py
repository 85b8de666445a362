from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "saferhomes.accounts"
    verbose_name = "Staff accounts"
