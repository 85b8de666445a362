"""The case a staff URL names, for the member of staff asking: the one "this case for this actor or 404"."""

from __future__ import annotations

from django.http import HttpRequest

from saferhomes.accounts.http import actor_of
from saferhomes.cases.models import Case
from saferhomes.cases.selectors.case import case_get_for_actor


def case_of(request: HttpRequest, reference: str) -> Case:
    """The case with this reference if the signed-in user may see it (Http404 otherwise; restricted and DA reads
    are audited with the page's path as the reason)."""
    return case_get_for_actor(actor=actor_of(request), reference=reference, request=request)
