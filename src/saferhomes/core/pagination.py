"""GOV.UK pagination for any list page: one paginator, one template (`includes/pagination.html`)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.functional import cached_property


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


class CappedPaginator(Paginator):
    """A paginator that counts at most `count_limit` items (one bounded query, e.g. COUNT over LIMIT 10001), and
    not at all when the first page holds everything.

    An exact COUNT(*) over a million matching cases costs more than the page it numbers; past the limit the list
    says "more than N" and offers pages up to the limit (narrow the filters to reach older items).
    """

    def __init__(self, object_list: Any, per_page: int, *, count_limit: int) -> None:
        super().__init__(object_list, per_page)
        self.count_limit = count_limit

    @cached_property
    def _counted(self) -> int:
        if isinstance(self.object_list, QuerySet):
            # Any limit+1 rows tell whether there are more: no ORDER BY, so the database may count in any order.
            return self.object_list.order_by()[: self.count_limit + 1].count()
        return len(self.object_list[: self.count_limit + 1])

    @cached_property
    def count(self) -> int:
        """How many items, up to the limit."""
        return min(self._counted, self.count_limit)

    @property
    def count_capped(self) -> bool:
        """Whether there are more items than were counted."""
        return self._counted > self.count_limit

    def get_page(self, number: Any) -> Page[Any]:
        """As Paginator.get_page, but the first page is read before anything is counted: when it holds every item
        (a search, a narrow filter) its length is the count, and no COUNT query runs at all."""
        try:
            first = int(number) == 1
        except (TypeError, ValueError):
            first = True  # no page or a bad one: Django shows the first page
        if not first or "_counted" in self.__dict__:
            return super().get_page(number)
        rows = list(self.object_list[: self.per_page + 1])
        if len(rows) <= self.per_page:
            self.__dict__["_counted"] = len(rows)
        return self._get_page(rows[: self.per_page], 1, self)  # type: ignore[attr-defined]


def paginate(items: Any, query: QueryDict, *, per_page: int, count_limit: int | None = None) -> dict[str, Any]:
    """Context for a paginated list: page_obj, pagination items and previous/next links; bad page numbers are safe.

    With `count_limit`, at most that many items are counted (see CappedPaginator); `count_capped` then says whether
    there were more.
    """
    paginator = (
        Paginator(items, per_page) if count_limit is None else CappedPaginator(items, per_page, count_limit=count_limit)
    )
    page = paginator.get_page(query.get("page"))
    without_page = query_without_page(query)
    return {
        "page_obj": page,
        "count_capped": bool(getattr(paginator, "count_capped", False)),
        "pagination": pagination_items(page, without_page) if page.paginator.num_pages > 1 else [],
        "previous_href": _page_href(without_page, page.previous_page_number()) if page.has_previous() else "",
        "next_href": _page_href(without_page, page.next_page_number()) if page.has_next() else "",
    }
