"""The sections of a case's Partnership tab, each drawn by its own part of the app (referrals and support offers,
the MARAC form, shares with partners, case conferences, disclosures), in the order registered.

A section is a template and a function that builds its context from the case and the actor; it returns None to
show nothing to this actor (e.g. the MARAC form to staff outside the DA permission set). Registered from
`ReferralsConfig.ready()` (`referrals/apps.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from saferhomes.accounts.models import User
from saferhomes.cases.models import Case

SectionContext = Callable[..., dict[str, Any] | None]
"""Called as `context(case=case, actor=user, request=request)`; returns the section's context, or None."""


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    context: SectionContext


@dataclass(frozen=True)
class DrawnSection:
    key: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


SECTIONS: dict[str, Section] = {}


def register_section(section: Section) -> None:
    """Add (or replace) a section of the Partnership tab."""
    SECTIONS[section.key] = section


def sections_for(*, case: Case, actor: User, request: HttpRequest) -> list[DrawnSection]:
    """Each registered section this actor may see, with its context."""
    drawn = []
    for section in SECTIONS.values():
        context = section.context(case=case, actor=actor, request=request)
        if context is not None:
            drawn.append(DrawnSection(key=section.key, template=section.template, context=context))
    return drawn
