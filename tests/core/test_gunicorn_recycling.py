"""gunicorn's worker recycling (issue 21 part 3, found by `make load`): workers restart one at a time, and a new
worker has its URL configuration loaded before it takes a request."""

from __future__ import annotations

from django.urls import clear_url_caches, get_resolver

from saferhomes.config import gunicorn


def test_workers_recycle_spread_over_a_thousand_requests() -> None:
    assert gunicorn.max_requests == 1000
    assert gunicorn.max_requests_jitter == gunicorn.max_requests, "five workers must not reach the limit together"


def test_a_new_worker_loads_the_url_configuration_before_its_first_request() -> None:
    clear_url_caches()
    assert not vars(get_resolver())["_populated"]
    gunicorn.post_worker_init(worker=None)
    assert vars(get_resolver())["_populated"], "the resolver is built: no request pays for importing every view"
