from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "saferhomes.referrals"
    verbose_name = "Partnership: agencies, referrals, support, sharing"

    def ready(self) -> None:
        from saferhomes.referrals.sharing import register as register_sharing

        register_sharing()  # MARAC referral and Disclosures sections of the Partnership tab; demo ISAs and MARAC form
