"""The case list's filters (django-filter): status, type, officer, team, estate, priority, sensitivity, response,
what the case waits on us for (a planned contact, a task), received dates, and free-text search by reference, party
name, address or postcode."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout, Size
from django import forms
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from saferhomes.accounts.models import Team, User
from saferhomes.cases.models import ActionItem, Case, CaseType, ContactPlan, Priority, Sensitivity, Status
from saferhomes.cases.selectors.case import case_search_q
from saferhomes.core.calendar_config import CalendarConfig, calendar_config_current, due_soon_cutoff
from saferhomes.core.forms import EdgeForm, GovukDateField
from saferhomes.housing.models import Estate

SEARCH_MAX = 100
NAME_MAX = 100
OFFICER_MATCHES_MAX = 200
ESTATE_MATCHES_MAX = 500


class ResponseState:
    """The response-clock choices a list can be filtered by: the five states of DESIGN.md §4.1, two older ones
    (awaiting = any unanswered deadline; responded = met or met late), and due = on track or due soon (the team
    workload's "responses due")."""

    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MET = "met"
    MET_LATE = "met_late"
    AWAITING = "awaiting"
    RESPONDED = "responded"
    DUE = "due"
    CHOICES = [
        (ON_TRACK, "On track"),
        (DUE_SOON, "Due soon"),
        (OVERDUE, "Overdue"),
        (MET, "Met"),
        (MET_LATE, "Met late"),
        (AWAITING, "Awaiting a response"),
        (RESPONDED, "Responded"),
        (DUE, "Due, not yet overdue"),
    ]


class FollowUp:
    """What a case is waiting on from us besides its first response: a contact under its contact plan, or a task."""

    CONTACT_DUE = "contact_due"
    CONTACT_MISSED = "contact_missed"
    TASK_OVERDUE = "task_overdue"
    CHOICES = [
        (CONTACT_DUE, "A planned contact due in the next two days or missed"),
        (CONTACT_MISSED, "A planned contact missed"),
        (TASK_OVERDUE, "A task overdue"),
    ]
    # How far ahead a planned contact counts as due (the dashboard's "Contacts due").
    CONTACT_HORIZON = dt.timedelta(days=2)


def follow_up_q(state: str, *, now: dt.datetime) -> Q:
    """Cases waiting on this follow-up at `now`, as one condition (an EXISTS on the contact plan or the tasks)."""
    if state == FollowUp.TASK_OVERDUE:
        late = ActionItem.objects.filter(
            case_id=OuterRef("pk"), done_at__isnull=True, due_date__lt=timezone.localdate(now)
        )
        return Q(Exists(late))
    until = now if state == FollowUp.CONTACT_MISSED else now + FollowUp.CONTACT_HORIZON
    return Q(Exists(ContactPlan.objects.filter(case_id=OuterRef("pk"), next_due_at__lte=until)))


def response_state_q(state: str, *, now: dt.datetime, config: CalendarConfig) -> Q:
    """Cases whose response deadline is in `state` at `now`, as one range condition on the deadline columns (the
    due-soon boundary is worked out once with the calendar, not per case)."""
    unanswered = Q(responded_at__isnull=True, response_due_at__isnull=False)
    if state == ResponseState.OVERDUE:
        return unanswered & Q(response_due_at__lt=now)
    if state == ResponseState.DUE_SOON:
        cutoff = due_soon_cutoff(now=now, config=config)
        return unanswered & Q(response_due_at__gte=now, response_due_at__lt=cutoff)
    if state == ResponseState.ON_TRACK:
        return unanswered & Q(response_due_at__gte=due_soon_cutoff(now=now, config=config))
    if state == ResponseState.MET:
        return Q(responded_at__isnull=False, responded_at__lte=F("response_due_at"))
    if state == ResponseState.MET_LATE:
        return Q(responded_at__isnull=False, responded_at__gt=F("response_due_at"))
    if state == ResponseState.DUE:
        return unanswered & Q(response_due_at__gte=now)
    if state == ResponseState.AWAITING:
        return Q(responded_at__isnull=True)
    return Q(responded_at__isnull=False)


class Sort:
    """The list's orders."""

    NEWEST = "newest"
    RESPONSE_DUE = "response_due"
    CHOICES = [(NEWEST, "Newest first"), (RESPONSE_DUE, "Response due, soonest first")]
    # Cases without a deadline last on both databases (PostgreSQL and SQLite disagree about NULLs by default).
    ORDERING: dict[str, tuple[Any, ...]] = {
        NEWEST: ("-received_at", "-id"),
        RESPONSE_DUE: (F("response_due_at").asc(nulls_last=True), "id"),
    }


class DateFilter(django_filters.Filter):
    """A GOV.UK day-month-year date input as a filter."""

    field_class = GovukDateField


def _select(name: str) -> Field:
    return Field.select(name)


class CaseFilterForm(EdgeForm):
    """The filter form: typed officer and estate names are turned into the ids they match, or a clear error."""

    officers: QuerySet[User]
    helper: FormHelper

    def clean_officer(self) -> list[int] | str:
        text = " ".join(str(self.cleaned_data.get("officer") or "").split())
        if not text:
            return ""
        officers = self.officers
        if text.isdigit():  # the dashboard's "see all your cases" link, and old bookmarks, carry the id
            exact = list(officers.filter(pk=int(text)).values_list("pk", flat=True))
        else:
            exact = list(officers.filter(username__iexact=text).values_list("pk", flat=True))
        if exact:
            return exact
        by_name = officers
        for word in text.split(" ")[:4]:
            by_name = by_name.filter(
                Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(username__icontains=word)
            )
        found = list(by_name.values_list("pk", flat=True)[:OFFICER_MATCHES_MAX])
        if not found:
            raise forms.ValidationError(
                f'No officer is called "{text}". Check the spelling, or leave it blank for every officer'
            )
        return found

    def clean_estate(self) -> list[int] | str:
        text = " ".join(str(self.cleaned_data.get("estate") or "").split())
        if not text:
            return ""
        found = list(
            Estate.objects.filter(Q(code__iexact=text) | Q(name__icontains=text)).values_list("pk", flat=True)[
                :ESTATE_MATCHES_MAX
            ]
        )
        if not found:
            raise forms.ValidationError(
                f'No estate is called "{text}". Check the spelling, or leave it blank for every estate'
            )
        return found


class CaseFilter(django_filters.FilterSet):
    """Filters for `cases:list` and `GET /api/v1/cases`; every field is optional."""

    q = django_filters.CharFilter(
        label="Reference, name, address or postcode",
        method="filter_search",
        max_length=SEARCH_MAX,
        help_text="For example, ASB-2026-000123, Jane Smith, Tennyson Road or LS1 4AP",
    )
    # distinct=False: status is a column of the case, so there are no duplicates to remove, and SELECT DISTINCT over
    # every column made PostgreSQL sort all matching cases before counting or paging them.
    status = django_filters.MultipleChoiceFilter(
        label="Status", choices=Status.choices, widget=forms.CheckboxSelectMultiple, distinct=False
    )
    case_type = django_filters.ChoiceFilter(label="Type", choices=CaseType.choices, empty_label="Any type")
    # Officer and estate are typed, not chosen from a list: a national service has over a thousand officers and
    # thousands of estates, and a select of every one was most of the list page's time (bench/README.md).
    officer = django_filters.CharFilter(
        label="Officer",
        method="filter_officer",
        max_length=NAME_MAX,
        help_text="Name or username, for example Olivia Okafor",
    )
    team = django_filters.ModelChoiceFilter(label="Team", queryset=Team.objects.all(), empty_label="Any team")
    estate = django_filters.CharFilter(
        label="Estate", method="filter_estate", max_length=NAME_MAX, help_text="Estate name or code"
    )
    priority = django_filters.ChoiceFilter(label="Priority", choices=Priority.choices, empty_label="Any priority")
    sensitivity = django_filters.ChoiceFilter(
        label="Sensitivity", choices=Sensitivity.choices, empty_label="Any sensitivity"
    )
    response = django_filters.ChoiceFilter(
        label="Response", choices=ResponseState.CHOICES, method="filter_response", empty_label="Any"
    )
    follow_up = django_filters.ChoiceFilter(
        label="Waiting on us for", choices=FollowUp.CHOICES, method="filter_follow_up", empty_label="Anything"
    )
    sort = django_filters.ChoiceFilter(label="Sort by", choices=Sort.CHOICES, method="filter_sort", empty_label=None)
    received_from = DateFilter(label="Received on or after", field_name="received_at", method="filter_received_from")
    received_to = DateFilter(label="Received on or before", field_name="received_at", method="filter_received_to")

    class Meta:
        model = Case
        fields: list[str] = []
        form = CaseFilterForm

    def __init__(self, *args: Any, officers: QuerySet[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert isinstance(self.form, CaseFilterForm)
        self.form.officers = officers if officers is not None else User.objects.none()
        for field in self.form.fields.values():
            if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
                label = str(field.label).lower()
                field.error_messages["invalid_choice"] = f"Select {label} from the list"  # noqa: S608 - not SQL
        self.form.fields["q"].error_messages["max_length"] = f"Search text must be {SEARCH_MAX} characters or fewer"
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.form_method = "get"
        helper.layout = Layout(
            Field.text("q"),
            Field.checkboxes("status", legend_size=Size.SMALL, small=True),
            _select("case_type"),
            _select("priority"),
            _select("response"),
            _select("follow_up"),
            Field.text("officer", field_width=Fluid.TWO_THIRDS),
            _select("team"),
            Field.text("estate", field_width=Fluid.TWO_THIRDS),
            _select("sensitivity"),
            _select("sort"),
            Field("received_from", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field("received_to", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Button("submit", "Apply filters"),
        )
        self.form.helper = helper

    def get_form_class(self) -> type[forms.Form]:
        """The form class, built once per process: its fields never change (the officers are set per instance)."""
        cached: type[forms.Form] | None = type(self).__dict__.get("_form_class")
        if cached is None:
            cached = super().get_form_class()
            type(self)._form_class = cached
        return cached

    def filter_officer(self, queryset: QuerySet[Case], name: str, value: list[int]) -> QuerySet[Case]:
        return queryset.filter(assigned_officer_id__in=value)

    def filter_estate(self, queryset: QuerySet[Case], name: str, value: list[int]) -> QuerySet[Case]:
        return queryset.filter(estate_id__in=value)

    def filter_search(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(case_search_q(value))

    def filter_response(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(response_state_q(value, now=timezone.now(), config=calendar_config_current()))

    def filter_follow_up(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(follow_up_q(value, now=timezone.now()))

    def filter_sort(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.order_by(*Sort.ORDERING.get(value, Sort.ORDERING[Sort.NEWEST]))

    def filter_received_from(self, queryset: QuerySet[Case], name: str, value: Any) -> QuerySet[Case]:
        return queryset.filter(received_at__gte=_start_of(value))

    def filter_received_to(self, queryset: QuerySet[Case], name: str, value: Any) -> QuerySet[Case]:
        return queryset.filter(received_at__lt=_start_of(value + dt.timedelta(days=1)))

    @property
    def is_filtered(self) -> bool:
        """Whether any filter has a value."""
        return bool(self.is_bound and any(v for k, v in (self.data or {}).items() if k not in ("page", "sort")))


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day` on the landlord's clock."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def officers_for_filter() -> QuerySet[User]:
    """Staff who can hold cases, for the officer filter."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__permissions__codename="work_case"))
        .select_related("team")
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
