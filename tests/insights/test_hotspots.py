"""Hotspots and trends (issue 18 part 3): counts by estate and by week or month from the cases the actor may see
(a DA case never counts for someone who cannot open it), repeat locations and victims, the map, the downloads."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.cases.models import CaseType, Incident, PartyRole
from saferhomes.insights import estate_map
from saferhomes.insights.selectors import hotspots
from saferhomes.insights.selectors.hotspots import HotspotFilters
from tests.access.surfaces import RoleSurface
from tests.cases.factories import CaseFactory, PartyFactory
from tests.conftest import client_verified_as
from tests.housing.factories import AreaFactory, EstateFactory, PersonFactory, PropertyFactory

pytestmark = pytest.mark.django_db
YEAR = HotspotFilters(start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))


@pytest.fixture(autouse=True)
def _july_2026() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 7, 1, 10, tzinfo=dt.UTC), tick=False):
        yield


def _at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


def test_counts_by_estate_busiest_first_and_no_estate_last(make_staff: Callable[..., User]) -> None:
    manager = make_staff(Role.MANAGER)
    area = AreaFactory.create(name="North")
    oak, elm = EstateFactory.create(name="Oak", area=area), EstateFactory.create(name="Elm", area=area)
    for _ in range(3):
        CaseFactory.create(estate=elm, received_at=_at(2026, 2, 1, 12))
    CaseFactory.create(estate=oak, received_at=_at(2026, 2, 1, 12))
    CaseFactory.create(estate=None, received_at=_at(2026, 2, 1, 12))
    CaseFactory.create(estate=oak, received_at=_at(2025, 12, 31, 12))  # before the period

    counts = hotspots.counts_by_estate(actor=manager, filters=YEAR)

    assert [(c.name, c.area, c.count) for c in counts] == [
        ("Elm", "North", 3),
        ("Oak", "North", 1),
        (hotspots.NO_ESTATE, "", 1),
    ]


def test_a_da_case_is_not_counted_for_a_coordinator(make_staff: Callable[..., User]) -> None:
    coordinator, manager = make_staff(Role.COORDINATOR), make_staff(Role.MANAGER)
    estate = EstateFactory.create()
    CaseFactory.create(estate=estate, case_type=CaseType.DA, received_at=_at(2026, 3, 1, 12))
    CaseFactory.create(estate=estate, received_at=_at(2026, 3, 1, 12))
    assert [c.count for c in hotspots.counts_by_estate(actor=coordinator, filters=YEAR)] == [1]
    assert [c.count for c in hotspots.counts_by_estate(actor=manager, filters=YEAR)] == [2]


def test_case_type_filter(make_staff: Callable[..., User]) -> None:
    manager = make_staff(Role.MANAGER)
    CaseFactory.create(case_type=CaseType.HATE, hate_strands=["race"], received_at=_at(2026, 3, 1, 12))
    CaseFactory.create(received_at=_at(2026, 3, 1, 12))
    filters = HotspotFilters(start=YEAR.start, end=YEAR.end, case_type=CaseType.HATE)
    assert sum(c.count for c in hotspots.counts_by_estate(actor=manager, filters=filters)) == 1


def test_months_are_london_months_and_quiet_months_show_zero(make_staff: Callable[..., User]) -> None:
    manager = make_staff(Role.MANAGER)
    CaseFactory.create(received_at=_at(2026, 3, 31, 23, 30))  # 00:30 on 1 April in London (BST)
    CaseFactory.create(received_at=_at(2026, 1, 31, 23, 30))  # still January in London (GMT)
    periods = hotspots.counts_by_period(actor=manager, filters=YEAR)
    assert [(p.starts.month, p.count) for p in periods] == [(1, 1), (2, 0), (3, 0), (4, 1), (5, 0), (6, 0)]
    assert periods[0].label == "January 2026"


def test_weeks_start_on_monday_across_the_clock_change(make_staff: Callable[..., User]) -> None:
    manager = make_staff(Role.MANAGER)
    CaseFactory.create(received_at=_at(2026, 3, 29, 0, 30))  # Sunday 29 March, the clocks go forward at 01:00 GMT
    CaseFactory.create(received_at=_at(2026, 3, 29, 23, 30))  # 00:30 BST on Monday 30 March
    filters = HotspotFilters(start=dt.date(2026, 3, 23), end=dt.date(2026, 4, 5), by="week")
    periods = hotspots.counts_by_period(actor=manager, filters=filters)
    assert [(p.starts, p.count) for p in periods] == [(dt.date(2026, 3, 23), 1), (dt.date(2026, 3, 30), 1)]
    assert periods[1].label == "w/c 30 Mar 2026"


def test_repeat_locations_and_victims_count_only_visible_cases(make_staff: Callable[..., User]) -> None:
    coordinator = make_staff(Role.COORDINATOR)
    home = PropertyFactory.create()
    person = PersonFactory.create()
    seen = []
    for case_type in (CaseType.ASB, CaseType.ASB, CaseType.DA):
        case = CaseFactory.create(case_type=case_type, received_at=_at(2026, 4, 1, 12))
        Incident.objects.create(case=case, occurred_at=_at(2026, 4, 1, 12), property=home, description="Noise")
        PartyFactory.create(case=case, role=PartyRole.VICTIM, person=person)
        seen.append(case)
    lone = PersonFactory.create()
    for case_type in (CaseType.ASB, CaseType.DA):  # on one visible case and one DA case: not a repeat for them
        case = CaseFactory.create(case_type=case_type, received_at=_at(2026, 4, 1, 12))
        PartyFactory.create(case=case, role=PartyRole.VICTIM, person=lone)

    locations = hotspots.repeat_locations(actor=coordinator, filters=YEAR)
    victims = hotspots.repeat_victims(actor=coordinator, filters=YEAR)

    assert [(r.key, r.count, r.references) for r in locations] == [
        (home.pk, 2, sorted([seen[0].reference, seen[1].reference]))
    ]
    assert [(r.key, r.count) for r in victims] == [(person.pk, 2)]
    assert seen[2].reference not in victims[0].references


REFUSED = [Role.OFFICER, Role.DA_SPECIALIST, Role.DPO, Role.PARTNER, Role.ADMIN]
HOTSPOT_PAGES = [
    RoleSurface(
        "Hotspots", "Hotspots", "GET", "/staff/insights/hotspots/", "insights.view_hotspots", tried=frozenset(REFUSED)
    ),
    RoleSurface(
        "Hotspots",
        "Repeat victims",
        "GET",
        "/staff/insights/hotspots/repeats/",
        "insights.view_hotspots",
        tried=frozenset(REFUSED),
    ),
]


@pytest.mark.parametrize("role", REFUSED)
def test_hotspots_are_for_coordinators_and_managers(role: str, make_staff: Callable[..., User]) -> None:
    user = make_staff(role)
    with pytest.raises(PermissionDenied):
        hotspots.counts_by_estate(actor=user, filters=YEAR)
    client = client_verified_as(user)
    for page in HOTSPOT_PAGES:
        assert client.get(page.url()).status_code == page.expected(role) == 403, page.path


def test_the_page_has_each_chart_beside_its_table_and_a_map(make_staff: Callable[..., User]) -> None:
    manager = make_staff(Role.MANAGER)
    estate = EstateFactory.create(name="Larch", latitude=Decimal("53.80000"), longitude=Decimal("-1.55000"))
    CaseFactory.create(estate=estate, received_at=_at(2026, 5, 1, 12))
    page = client_verified_as(manager).get(reverse("insights:hotspots")).content.decode()
    assert page.count('src="data:image/svg+xml;base64,') == 2
    assert page.count("The table that follows gives every figure") == 2
    assert "<caption" in page
    assert "Cases by estate" in page
    assert 'role="img"' in page
    assert "Larch (1)" in page
    assert "<image" not in page  # no tiles unless configured


@override_settings(MAP_TILE_URL="https://tiles.example/{z}/{x}/{y}.png")
def test_tiles_are_drawn_beneath_the_map_only_when_configured(make_staff: Callable[..., User]) -> None:
    manager = make_staff(Role.MANAGER)
    estate = EstateFactory.create(latitude=Decimal("53.80000"), longitude=Decimal("-1.55000"))
    CaseFactory.create(estate=estate, received_at=_at(2026, 5, 1, 12))
    page = client_verified_as(manager).get(reverse("insights:hotspots")).content.decode()
    assert '<image href="https://tiles.example/17/' in page


def test_bad_filters_are_explained_and_the_page_still_answers(make_staff: Callable[..., User]) -> None:
    client = client_verified_as(make_staff(Role.MANAGER))
    page = client.get(
        reverse("insights:hotspots"),
        {"start_0": "1", "start_1": "6", "start_2": "2026", "end_0": "1", "end_1": "1", "end_2": "2026", "by": "week"},
    )
    assert page.status_code == 200
    assert "The end date must be the same as or after the start date" in page.content.decode()
    page = client.get(reverse("insights:hotspots"), {"start_0": "31", "start_1": "2", "start_2": "2026"})
    assert page.status_code == 200
    assert "must be a real date" in page.content.decode()


def test_downloads_are_csv_and_real_numbers_in_xlsx(make_staff: Callable[..., User]) -> None:
    manager = make_staff(Role.MANAGER)
    estate = EstateFactory.create(name="=Rowan")
    CaseFactory.create(estate=estate, received_at=_at(2026, 5, 1, 12))
    client = client_verified_as(manager)
    csv = client.get(reverse("insights:hotspots"), {"table": "estates", "format": "csv"})
    text = b"".join(csv.streaming_content).decode()  # type: ignore[attr-defined]
    assert text.lstrip("\ufeff").splitlines()[0] == "Estate,Area,Cases"
    assert "'=Rowan" in text  # a formula is written as text
    xlsx = client.get(reverse("insights:repeats"), {"table": "victims", "format": "xlsx"})
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert sheet["A1"].value == "Place or person"
    periods = client.get(reverse("insights:hotspots"), {"table": "periods", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(periods.content)).active
    assert sheet is not None
    counts = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(n, int) for n in counts)
    assert sum(counts) == 1


def test_map_radius_grows_with_the_square_root_of_the_count() -> None:
    assert estate_map.radius(0, 10) == estate_map.MIN_RADIUS
    assert estate_map.radius(10, 10) == estate_map.MAX_RADIUS
    quarter = estate_map.radius(25, 100)
    assert quarter == round(estate_map.MIN_RADIUS + (estate_map.MAX_RADIUS - estate_map.MIN_RADIUS) * 0.5, 1)


def test_map_places_every_estate_inside_the_drawing() -> None:
    places = [
        estate_map.Place("A", 53.79, -1.60, 4),
        estate_map.Place("B", 53.82, -1.50, 1),
        estate_map.Place("C", 53.80, -1.55, 9),
    ]
    drawn = estate_map.estate_map(places)
    assert drawn is not None
    for marker in drawn.markers:
        assert estate_map.MARGIN - 1 <= marker.x <= drawn.width - estate_map.MARGIN + 1
        assert estate_map.MARGIN - 1 <= marker.y <= drawn.height - estate_map.MARGIN + 1
    by_name = {m.name: m for m in drawn.markers}
    assert by_name["B"].y < by_name["A"].y  # north is up
    assert by_name["B"].x > by_name["A"].x  # east is right
    assert drawn.markers[0].name == "C"  # the biggest is drawn first, beneath the others
    assert estate_map.estate_map([]) is None


def test_map_tiles_cover_the_drawing_and_wrap_round_the_world() -> None:
    drawn = estate_map.estate_map([estate_map.Place("Edge", 0.0, 179.9999, 1)], tile_url="t/{z}/{x}/{y}")
    assert drawn is not None
    assert drawn.tiles
    xs = {int(tile.href.split("/")[2]) for tile in drawn.tiles}
    assert 0 in xs  # the tile east of the antimeridian is tile 0, not 2**z
    assert all(tile.href.startswith("t/17/") for tile in drawn.tiles)


def test_the_pages_query_count_does_not_grow_with_cases(
    make_staff: Callable[..., User], django_assert_max_num_queries: Callable
) -> None:
    manager = make_staff(Role.MANAGER)
    client = client_verified_as(manager)
    home = PropertyFactory.create()
    person = PersonFactory.create()

    def add(n: int) -> None:
        for _ in range(n):
            estate = EstateFactory.create(latitude=Decimal("53.8"), longitude=Decimal("-1.5"))
            case = CaseFactory.create(estate=estate, received_at=_at(2026, 5, 1, 12))
            Incident.objects.create(case=case, occurred_at=case.received_at, property=home, description="Noise")
            PartyFactory.create(case=case, role=PartyRole.VICTIM, person=person)

    add(2)
    client.get(reverse("insights:repeats"))  # warm the session and permission caches
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("insights:hotspots"))
        client.get(reverse("insights:repeats"))
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("insights:hotspots"))
        client.get(reverse("insights:repeats"))


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (dt.date(2026, 12, 4), dt.date(2026, 1, 1)),
        (dt.date(2026, 1, 31), dt.date(2025, 2, 1)),
        (dt.date(2028, 2, 29), dt.date(2027, 3, 1)),
    ],
)
def test_the_default_period_is_this_month_and_the_eleven_before(today: dt.date, start: dt.date) -> None:
    from saferhomes.insights.forms.hotspots import default_filters

    filters = default_filters(today)
    assert (filters.start, filters.end, filters.by, filters.case_type) == (start, today, "month", "")
