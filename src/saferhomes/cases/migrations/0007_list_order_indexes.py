# The case list's filter indexes end with its order (received_at DESC, id DESC), so a filtered page is read in
# index order and stops after 25 rows: SQLite otherwise sorted every matching case (40 ms -> 0.2 ms at 10,000 cases
# for closed ASB cases); measured by `saferhomes bench`, see bench/README.md.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("cases", "0006_response_alerts"),
        ("housing", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="case",
            name="case_officer_status_idx",
        ),
        migrations.RemoveIndex(
            model_name="case",
            name="case_team_status_idx",
        ),
        migrations.RemoveIndex(
            model_name="case",
            name="case_type_status_idx",
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["assigned_officer", "status", "-received_at", "-id"], name="case_officer_status_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["team", "status", "-received_at", "-id"], name="case_team_status_idx"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["case_type", "status", "-received_at", "-id"], name="case_type_status_idx"),
        ),
    ]
