"""The default retention schedule (and the weekly planning job's claim row, `RunNotice`) (issue 19 part 1; docs/privacy/retention-schedule.md): one rule per record, case type
and outcome group, each with its basis. The DPO changes the periods afterwards (with a reason, audited)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

LIMITATION = "Limitation Act 1980: six years for claims in contract and tort; sector practice for ASB case files."
ORDER = (
    "Limitation Act 1980, counted from the end of the last court order or legal action (breach proceedings can be "
    "brought while it runs), or from closure if that is later."
)
DA = (
    "Landlord decision: six years after closure by default. Safeguarding records may need longer; the DPO should "
    "review this period."
)
REPORT = (
    "Long enough to link repeat reports and to count complaints for an ASB Case Review (6-month window); a report "
    "never taken forward (or a draft never completed) is not kept longer."
)
LINK = (
    "The reporter needs the link while the case is open and to read the outcome: 3 months after the case closes. "
    "A link whose report never became a case follows the report's rule (12 months after it is received)."
)
REVIEW = "As for cases (Limitation Act 1980): six years after the last decision or outcome letter."

DEFAULTS = [
    # record, case type, outcome group, starts from, months, days, basis
    ("case", "asb", "no_legal_action", "closure", 72, 0, LIMITATION),
    ("case", "asb", "legal_action", "order_end", 72, 0, ORDER),
    ("case", "hate", "no_legal_action", "closure", 72, 0, LIMITATION),
    ("case", "hate", "legal_action", "order_end", 72, 0, ORDER),
    ("case", "da", "any", "closure", 72, 0, DA),
    ("report_not_taken_forward", "", "any", "received", 12, 0, REPORT),
    ("status_link", "", "any", "closure", 3, 0, LINK),
    ("case_review", "", "any", "decided", 72, 0, REVIEW),
]


def create_defaults(apps, schema_editor):
    rule = apps.get_model("privacy", "RetentionRule")
    for record, case_type, group, starts_from, months, days, basis in DEFAULTS:
        rule.objects.get_or_create(
            record=record,
            case_type=case_type,
            outcome_group=group,
            defaults={"starts_from": starts_from, "months": months, "days": days, "basis": basis},
        )


def remove_defaults(apps, schema_editor):
    rule = apps.get_model("privacy", "RetentionRule")
    for record, case_type, group, *_ in DEFAULTS:
        rule.objects.filter(record=record, case_type=case_type, outcome_group=group, changed_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_retention")]

    operations = [
        migrations.RunPython(create_defaults, remove_defaults),
        # The weekly planning job's claim row (one email per run).
        migrations.CreateModel(
            name="RunNotice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("recipients", models.JSONField(default=list, help_text="The ids of the DPOs emailed.")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                (
                    "run",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notice",
                        to="privacy.retentionrun",
                    ),
                ),
            ],
        ),
    ]
