"""What interventions add to the case pages through the cases extension points (filled in later steps)."""

from __future__ import annotations


def register() -> None:
    """Plug interventions into the case pages (idempotent)."""
