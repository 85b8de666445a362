from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "saferhomes.intake"
    verbose_name = "Reports and triage"

    def ready(self) -> None:
        from saferhomes.core.retry_pages import retry_page_register
        from saferhomes.intake import case_import, notifications
        from saferhomes.intake.demo_data import register_seed_step
        from saferhomes.intake.services import acknowledge

        acknowledge.register()
        notifications.register()  # triage staff told of new reports; reporters of shareable notes
        register_seed_step()  # demo reports, after the demo cases
        case_import.register()  # `saferhomes import cases`: each imported case's report, through Channel.IMPORT
        retry_page_register("/report/", "intake:check-answers")  # issue 21 part 4: answers kept through an outage
