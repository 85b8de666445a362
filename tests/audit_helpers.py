"""Audit assertions that ignore what every fresh database already holds."""

from __future__ import annotations

from django.db.models import QuerySet

from saferhomes.core.models import AuditEvent

# Written by the system when migrate installs the shipped risk instruments (risk/signals.py): in every test database.
INSTALL_VERBS = ("instrument.loaded", "instrument.published")


def events_by_the_test() -> QuerySet[AuditEvent]:
    """Every audit event except the shipped instruments' installation at migrate."""
    return AuditEvent.objects.exclude(actor__isnull=True, verb__in=INSTALL_VERBS)
