"""A URLconf with a throwaway API built like the real one, to exercise error handling the real API cannot yet
trigger (no production endpoint takes a body or raises DomainError so far). Used via @pytest.mark.urls."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import path
from ninja import Router, Schema
from ninja.errors import HttpError

from saferhomes.api.api import build_api
from saferhomes.api.auth import TokenRateThrottle
from saferhomes.core.errors import DomainError


class PersonIn(Schema):
    name: str
    age: int


router = Router()


@router.post("/people")
def person_add(request: HttpRequest, payload: PersonIn, dry_run: bool = False) -> dict:
    return {"name": payload.name, "age": payload.age, "dry_run": dry_run}


@router.get("/rule")
def rule(request: HttpRequest) -> dict:
    raise DomainError("The case is already closed.", field_errors={"outcome": ["Choose an outcome", "Say why"]})


@router.get("/forbidden")
def forbidden(request: HttpRequest) -> dict:
    raise PermissionDenied("You may not close this case.")


@router.get("/missing")
def missing(request: HttpRequest) -> dict:
    Permission.objects.get(codename="no-such-permission")
    return {}


@router.get("/conflict")
def conflict(request: HttpRequest) -> dict:
    raise HttpError(409, "Someone else changed this case. Reload it and try again.")


@router.get("/limited", throttle=TokenRateThrottle("2/m"))
def limited(request: HttpRequest) -> dict:
    return {"ok": True}


throwaway = build_api(title="Throwaway", version="test", urls_namespace="throwaway")
throwaway.add_router("", router)

urlpatterns = [path("api/test/", throwaway.urls)]
