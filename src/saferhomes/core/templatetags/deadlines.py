"""Template filters for response deadlines: `{{ case.response_due_at|deadline_words|capfirst }}`."""

from __future__ import annotations

from datetime import datetime

from django import template

from saferhomes.core.calendar import deadline_in_words

register = template.Library()


@register.filter
def deadline_words(value: datetime | None) -> str:
    """'the end of Mon 5 Jan 2026' or '15:00 on Mon 29 Dec 2025' (Europe/London); empty for no deadline."""
    return deadline_in_words(value) if value is not None else ""
