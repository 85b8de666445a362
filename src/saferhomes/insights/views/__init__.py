"""Staff pages under /staff/insights/."""
