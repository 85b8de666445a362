"""GOV.UK pagination shared by every list page."""

import pytest
from django.core.paginator import Paginator
from django.http import QueryDict
from pytest_django import DjangoAssertNumQueries

from saferhomes.accounts.models import Team
from saferhomes.core.pagination import paginate, pagination_items


def test_pagination_shows_first_last_and_neighbours_with_ellipses() -> None:
    page = Paginator(range(500), 50).get_page(5)
    items = pagination_items(page, QueryDict("actor=x"))
    assert [item.get("number", "…") for item in items] == [1, "…", 4, 5, 6, "…", 10]
    assert items[3] == {"number": 5, "href": "?actor=x&page=5", "current": True}


def test_paginate_keeps_filters_and_replaces_the_page_number() -> None:
    context = paginate(range(120), QueryDict("q=flat&page=2"), per_page=50)
    assert context["page_obj"].number == 2
    assert context["previous_href"] == "?q=flat&page=1"
    assert context["next_href"] == "?q=flat&page=3"


def test_paginate_treats_a_bad_page_number_as_a_real_page() -> None:
    assert paginate(range(120), QueryDict("page=abc"), per_page=50)["page_obj"].number == 1
    assert paginate(range(120), QueryDict("page=999"), per_page=50)["page_obj"].number == 3


def test_a_single_page_has_no_pagination_links() -> None:
    context = paginate(range(10), QueryDict(""), per_page=50)
    assert context["pagination"] == []
    assert context["previous_href"] == ""
    assert context["next_href"] == ""


def test_a_count_limit_counts_no_further_and_says_there_are_more() -> None:
    context = paginate(list(range(120)), QueryDict("page=99"), per_page=10, count_limit=50)
    assert context["page_obj"].paginator.count == 50
    assert context["count_capped"] is True
    assert context["page_obj"].number == 5  # the last page within the limit
    assert context["page_obj"].object_list == list(range(40, 50))


def test_a_count_limit_above_the_total_counts_exactly() -> None:
    context = paginate(list(range(30)), QueryDict(""), per_page=10, count_limit=50)
    assert context["page_obj"].paginator.count == 30
    assert context["count_capped"] is False
    assert paginate(list(range(30)), QueryDict(""), per_page=10)["count_capped"] is False


@pytest.mark.django_db
def test_a_short_first_page_is_read_without_a_count_query(django_assert_num_queries: DjangoAssertNumQueries) -> None:
    Team.objects.bulk_create(Team(name=f"Team {n}") for n in range(3))
    with django_assert_num_queries(1):
        context = paginate(Team.objects.order_by("name"), QueryDict(""), per_page=10, count_limit=100)
        assert context["page_obj"].paginator.count == 3
        assert [t.name for t in context["page_obj"]] == ["Team 0", "Team 1", "Team 2"]


@pytest.mark.django_db
def test_a_long_first_page_counts_up_to_the_limit(django_assert_num_queries: DjangoAssertNumQueries) -> None:
    Team.objects.bulk_create(Team(name=f"Team {n:02d}") for n in range(12))
    with django_assert_num_queries(2):
        context = paginate(Team.objects.order_by("name"), QueryDict("page=1"), per_page=5, count_limit=10)
        assert context["count_capped"] is True
        assert context["page_obj"].paginator.num_pages == 2
        assert len(context["page_obj"]) == 5
