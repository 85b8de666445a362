from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "saferhomes.referrals"
    verbose_name = "Partnership: agencies, referrals, support, sharing"

    def ready(self) -> None:
        from saferhomes.referrals.directory import register as register_directory

        register_directory()  # createstaff --agency for partner users; the demo agencies seed step

        from saferhomes.referrals import sharing

        sharing.register()  # shares with partners and case conferences: tab sections, timeline kind, demo step
