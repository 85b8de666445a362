"""Reading the agency directory: for staff who refer cases or share them (and those who keep the directory or the
information-sharing agreements); everyone else is refused (403). Partners never read the directory: they see only
what is shared with their own agency."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet

from saferhomes.accounts.models import User
from saferhomes.core.errors import DomainError
from saferhomes.referrals.models import Agency, PartnerMembership

# Any one of these lets a member of staff read the directory.
DIRECTORY_READERS = (
    "referrals.refer_case",
    "referrals.share_case",
    "referrals.manage_agencies",
    "referrals.manage_agreements",
)
SEARCH_MAX = 100


def directory_readable(actor: User) -> bool:
    """Whether `actor` may read the agency directory."""
    return bool(actor.is_active) and any(actor.has_perm(perm) for perm in DIRECTORY_READERS)


def require_directory_reader(actor: User) -> None:
    """PermissionDenied unless `actor` may read the agency directory."""
    if not getattr(actor, "is_authenticated", False) or not directory_readable(actor):
        raise PermissionDenied("You do not have permission to see the agency directory.")


def agencies_for(*, actor: User, q: str = "", kind: str = "") -> QuerySet[Agency]:
    """Agencies whose name or code matches `q` (any part, ignoring case), of `kind` when given; by name."""
    require_directory_reader(actor)
    agencies = Agency.objects.all()
    q = (q or "").strip()
    if q:
        agencies = agencies.filter(Q(name__icontains=q) | Q(code__icontains=q))
    if kind:
        agencies = agencies.filter(kind=kind)
    return agencies.order_by("name", "id")


def agency_by_code(*, actor: User | None, code: str) -> Agency:
    """The agency a typed code names, ignoring case; DomainError if none has it. `actor` None: the command line or
    the demo seed."""
    if actor is not None:
        require_directory_reader(actor)
    code = (code or "").strip()
    agency = Agency.objects.filter(code__iexact=code).first() if code else None
    if agency is None:
        raise DomainError(f"No agency has the code {code}" if code else "Give the agency's code")
    return agency


def agency_get(*, actor: User, pk: int) -> Agency | None:
    """The agency with this id, if there is one."""
    require_directory_reader(actor)
    return Agency.objects.filter(pk=pk).first()


def agency_detail(*, actor: User, code: str) -> Agency:
    """An agency for its page, with its members (partner users) and their accounts; DomainError if none has it."""
    require_directory_reader(actor)
    code = (code or "").strip()
    members = Prefetch(
        "members",
        queryset=PartnerMembership.objects.select_related("user").order_by("user__last_name", "user__first_name"),
    )
    agency = Agency.objects.filter(code__iexact=code).prefetch_related(members).first() if code else None
    if agency is None:
        raise DomainError(f"No agency has the code {code}")
    return agency
