from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "saferhomes.referrals"
    verbose_name = "Partnership: agencies, referrals, support, sharing"

    def ready(self) -> None:
        """Register each part's extensions; the Partnership tab's sections appear in the order registered here."""
        from saferhomes.referrals import information_sharing, referral_extensions, sharing
        from saferhomes.referrals.directory import register as register_directory

        register_directory()  # createstaff --agency for partner users; the demo agencies seed step
        referral_extensions.register()  # Referrals and Support sections first; closure check, timeline, demo
        sharing.register()  # shares with partners and case conferences: tab sections, timeline kind, demo step
        information_sharing.register()  # MARAC referral and Disclosures (last on the tab); demo ISAs and MARAC form
