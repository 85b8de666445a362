"""Extension point for apps above `housing`: told when people or homes in the register change.

Cases keep a search document with the names and addresses of the people and homes on them (cases/search.py);
when an import or the admin changes those, the register calls every function here, inside the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

RegisterChanged = Callable[..., None]
"""Called as `listener(person_ids=[...], property_ids=[...])`."""

REGISTER_CHANGED: list[RegisterChanged] = []


def on_register_changed(listener: RegisterChanged) -> None:
    """Add a listener (idempotent)."""
    if listener not in REGISTER_CHANGED:
        REGISTER_CHANGED.append(listener)


def register_changed(*, person_ids: Iterable[int] = (), property_ids: Iterable[int] = ()) -> None:
    """Tell every listener which people and homes changed."""
    people, homes = list(person_ids), list(property_ids)
    if not people and not homes:
        return
    for listener in REGISTER_CHANGED:
        listener(person_ids=people, property_ids=homes)
