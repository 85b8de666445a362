from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "saferhomes.referrals"
    verbose_name = "Partnership: agencies, referrals, support, sharing"
