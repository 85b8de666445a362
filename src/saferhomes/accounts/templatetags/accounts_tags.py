"""Template filters for staff account pages."""

from __future__ import annotations

import math
from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def duration_words(value: timedelta | float | int | None) -> str:
    """A length of time in words, rounded up to whole minutes or hours: '30 minutes', '1 hour', '2 hours'."""
    if value is None or value == "":
        return ""
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value) * 3600
    minutes = max(1, math.ceil(seconds / 60))
    if minutes % 60 == 0:
        hours = minutes // 60
        return "1 hour" if hours == 1 else f"{hours} hours"
    return "1 minute" if minutes == 1 else f"{minutes} minutes"
