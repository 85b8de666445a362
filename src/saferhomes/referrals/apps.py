from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "saferhomes.referrals"
    verbose_name = "Partnership: agencies, referrals, support, sharing"

    def ready(self) -> None:
        from saferhomes.referrals.referral_extensions import register as register_referrals

        register_referrals()  # Partnership sections, closure check, timeline kind, demo referrals (issue 15 items 2, 4)
