"""Template helpers for the privacy pages."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder

register = template.Library()


@register.filter
def pretty_json(value: Any) -> str:
    """Indented, key-sorted JSON for reading a before/after snapshot (autoescaped by the template)."""
    return json.dumps(value, cls=DjangoJSONEncoder, indent=2, sort_keys=True, ensure_ascii=False)


# --- Issue 19 part H2: the retention line on the case page ---


@register.simple_tag
def case_retention_for(case: Any) -> Any:
    """The case's retention date and any active hold (two queries), for the line on the case overview."""
    from saferhomes.privacy.selectors.retention import case_retention

    return case_retention(case)
