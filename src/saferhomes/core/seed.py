"""The demo seed: core runs the steps every app registers, in one transaction, in their declared order.

`seed_demo(homes=N, seed=S)` runs every step in `SEED_STEPS`. Each step draws from its own random stream (seeded
from S and the step's name), so the same seed gives the same data, and a step added later does not change what the
earlier steps make. Core imports no other app: what is seeded, and what `saferhomes demo` prints, comes in through
the extension points below, filled at start-up from each app's `AppConfig.ready()` (listed in docs/architecture.md).

Extension points:
- `SEED_STEPS`, filled by `seed_step_register(name, run, order=...)`. Steps run by `order`; two steps may not share
  one. Today: housing 10 staff, 20 places, 30 properties, 40 tenancies, 45 register (its audit event);
  cases 50; referrals 52 agencies; risk 60; intake 70 reports.
- `seed_context_register(cls)`: the context class every step receives. Housing's subclass of `SeedContext` carries
  the staff and register it makes to the steps after it.
- `seed_found_register(check)`: says what data is already there (seeding fills only an empty database). Housing.
- `demo_logins_register(listed=..., ensure=...)`: the logins `saferhomes demo` prints, and how it adds missing
  ones to a database that already has data. Housing (the personas), referrals (the demo partner users).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from saferhomes.core.errors import DomainError

if TYPE_CHECKING:  # Faker takes a fifth of a second to import: only the seed itself loads it (issue 14 item 19).
    from faker import Faker

ProgressCallback = Callable[[str, int, int], None]
"""Called as progress(phase, done, total)."""

EMPTY_ONLY = (
    "seed only fills an empty register. Start from an empty database (for the demo, delete var/saferhomes.sqlite3 "
    "and run `saferhomes demo`)."
)


class SeedError(DomainError):
    """The demo data cannot be seeded here (for example, the register already has homes)."""


@dataclass
class SeedContext:
    """What every seed step shares: the options, per-step random streams, what was made (counts), and progress."""

    homes: int
    seed: int
    today: dt.date
    progress: ProgressCallback | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def faker(self, step: str) -> Faker:
        """A Faker (en_GB) whose random stream depends only on the seed and the step name."""
        from faker import Faker

        fake = Faker("en_GB")
        fake.seed_instance(f"{self.seed}:{step}")
        return fake

    def report(self, phase: str, done: int, total: int) -> None:
        """Tell the progress bar, if there is one."""
        if self.progress is not None:
            self.progress(phase, done, total)


C = TypeVar("C", bound=SeedContext)


@dataclass(frozen=True)
class SeedStep:
    """A named step of the demo seed, and where it runs among the others."""

    name: str
    run: Callable[[Any], None]
    order: int


class SeedSteps:
    """Extension point: the demo seed's steps, iterated in `order` (filled by `seed_step_register`)."""

    def __init__(self) -> None:
        self._steps: dict[str, SeedStep] = {}

    def register(self, name: str, run: Callable[[C], None], *, order: int) -> None:
        """Add (or, under the same name, replace) a step; ImproperlyConfigured if another step has this order."""
        for step in self._steps.values():
            if step.order == order and step.name != name:
                raise ImproperlyConfigured(f"Seed steps {step.name!r} and {name!r} both have order {order}.")
        self._steps[name] = SeedStep(name=name, run=run, order=order)

    def __iter__(self) -> Iterator[SeedStep]:
        return iter(sorted(self._steps.values(), key=lambda step: step.order))

    def __len__(self) -> int:
        return len(self._steps)


SEED_STEPS = SeedSteps()


def seed_step_register(name: str, run: Callable[[C], None], *, order: int) -> None:
    """Make `run(ctx)` a step of the demo seed, run at `order` (idempotent)."""
    SEED_STEPS.register(name, run, order=order)


_context_class: list[type[SeedContext]] = [SeedContext]


def seed_context_register(context_class: type[SeedContext]) -> None:
    """Give every step a `context_class` (a SeedContext with what earlier steps leave for later ones)."""
    current = _context_class[0]
    if current is not SeedContext and current is not context_class:
        raise ImproperlyConfigured(f"The seed context is already {current.__qualname__}.")
    _context_class[0] = context_class


SeedFound = Callable[[], str | None]
"""Says what is already in the database that seeding would clash with ('The housing register already has 3 homes'),
or None."""

SEED_FOUND: list[SeedFound] = []


def seed_found_register(check: SeedFound) -> None:
    """Add a check of what data is already there (idempotent)."""
    if check not in SEED_FOUND:
        SEED_FOUND.append(check)


def seed_found() -> list[str]:
    """What is already in the database, one sentence per app that found something; empty when seeding may run."""
    return [found for check in SEED_FOUND if (found := check()) is not None]


@dataclass(frozen=True)
class DemoLogin:
    """A login `saferhomes demo` prints."""

    username: str
    role: str
    password: str


@dataclass(frozen=True)
class DemoLogins:
    """The demo's logins, and how to add any that are missing (returns the usernames created)."""

    listed: Callable[[], Sequence[DemoLogin]]
    ensure: Callable[[], list[str]]


_demo_logins: list[DemoLogins] = []


def demo_logins_register(*, listed: Callable[[], Sequence[DemoLogin]], ensure: Callable[[], list[str]]) -> None:
    """Tell `saferhomes demo` which logins to print, and how to make sure they exist (idempotent; each app that
    makes demo logins registers its own, printed in the order registered)."""
    logins = DemoLogins(listed=listed, ensure=ensure)
    if logins not in _demo_logins:
        _demo_logins.append(logins)


def demo_logins() -> list[DemoLogin]:
    """The logins to print, in order."""
    return [login for logins in _demo_logins for login in logins.listed()]


def demo_logins_ensure() -> list[str]:
    """Create any missing demo logins; the usernames created."""
    return [username for logins in _demo_logins for username in logins.ensure()]


@dataclass
class SeedResult:
    """What the seed made, and how long it took."""

    counts: dict[str, int]
    seconds: float


def seed_demo(
    *, homes: int, seed: int = 1, today: dt.date | None = None, progress: ProgressCallback | None = None
) -> SeedResult:
    """Run every registered step, in order, in one transaction, into an empty database."""
    if homes < 1:
        raise SeedError("Give a number of homes of 1 or more, e.g. --homes 2000.")
    found = seed_found()
    if found:
        raise SeedError(f"{'; '.join(found)}; {EMPTY_ONLY}")
    started = time.perf_counter()
    ctx = _context_class[0](homes=homes, seed=seed, today=today or timezone.localdate(), progress=progress)
    with transaction.atomic():
        for step in SEED_STEPS:
            step.run(ctx)
    return SeedResult(counts=dict(ctx.counts), seconds=time.perf_counter() - started)
