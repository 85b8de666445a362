"""The public report form, confirmation and private status pages under /report/ (issue 6)."""

app_name = "intake"

urlpatterns: list = []
