"""Idempotent creation: a client retrying a create with the same key gets what the first attempt made, never a second.

The create and its key record commit together, so a key never names something that was rolled back; two requests
racing with one key are settled by the key's unique constraint (the loser's create is rolled back and it answers
with the winner's object)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from saferhomes.core.models import IdempotencyRecord

KEY_MAX_LENGTH = 200


@dataclass(frozen=True)
class Created:
    """The primary key of what a create made, and whether it was made by an earlier request with the same key."""

    object_id: int
    replayed: bool


def _made_before(*, actor: AbstractBaseUser, scope: str, key: str) -> int | None:
    return (
        IdempotencyRecord.objects.filter(actor_id=actor.pk, scope=scope, key=key)
        .values_list("object_id", flat=True)
        .first()
    )


def create_once(*, actor: AbstractBaseUser, scope: str, key: str, create: Callable[[], int]) -> Created:
    """Run `create` (returning the new object's primary key) unless `key` already made something in `scope` for
    `actor`; with no key, always run it."""
    if not key:
        return Created(create(), replayed=False)
    earlier = _made_before(actor=actor, scope=scope, key=key)
    if earlier is not None:
        return Created(earlier, replayed=True)
    try:
        with transaction.atomic():
            object_id = create()
            IdempotencyRecord.objects.create(actor_id=actor.pk, scope=scope, key=key, object_id=object_id)
    except IntegrityError:
        earlier = _made_before(actor=actor, scope=scope, key=key)
        if earlier is None:
            raise
        return Created(earlier, replayed=True)
    return Created(object_id, replayed=False)
