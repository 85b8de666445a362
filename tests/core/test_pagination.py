"""GOV.UK pagination shared by every list page."""

from django.core.paginator import Paginator
from django.http import QueryDict

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
