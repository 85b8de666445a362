"""Staff intake and triage under /staff/reports/ (issue 6)."""

app_name = "intake-staff"

urlpatterns: list = []
