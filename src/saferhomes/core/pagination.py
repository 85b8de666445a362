"""GOV.UK pagination for any list page: one paginator, one template (`includes/pagination.html`)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import QueryDict


def _page_href(query: QueryDict, number: int) -> str:
    link = query.copy()
    link["page"] = str(number)
    return f"?{link.urlencode()}"


def query_without_page(query: QueryDict) -> QueryDict:
    """The current GET parameters minus `page`, for links that keep the filters."""
    copy = query.copy()
    copy.pop("page", None)
    return copy


def pagination_items(page: Page[Any], query: QueryDict) -> list[dict[str, Any]]:
    """GOV.UK pagination items: first, last and the pages either side of the current one, ellipses between."""
    current, last = page.number, page.paginator.num_pages
    wanted = sorted({1, last, current - 1, current, current + 1} & set(range(1, last + 1)))
    items: list[dict[str, Any]] = []
    previous = 0
    for number in wanted:
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": _page_href(query, number), "current": number == current})
        previous = number
    return items


def paginate(items: Any, query: QueryDict, *, per_page: int) -> dict[str, Any]:
    """Context for a paginated list: page_obj, pagination items and previous/next links; bad page numbers are safe."""
    page = Paginator(items, per_page).get_page(query.get("page"))
    without_page = query_without_page(query)
    return {
        "page_obj": page,
        "pagination": pagination_items(page, without_page) if page.paginator.num_pages > 1 else [],
        "previous_href": _page_href(without_page, page.previous_page_number()) if page.has_previous() else "",
        "next_href": _page_href(without_page, page.next_page_number()) if page.has_next() else "",
    }
