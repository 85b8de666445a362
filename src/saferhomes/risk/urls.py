"""Risk assessment pages: on each case under /staff/cases/<ref>/risk/, instruments under /staff/risk/ (issue 7)."""

app_name = "risk"

urlpatterns: list = []
