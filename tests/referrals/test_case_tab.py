"""The Partnership tab of a case: for exactly the staff who may see the case (the access matrix), listed among the
case's tabs, and built from the sections the parts of the app register."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from saferhomes.accounts.models import User
from saferhomes.referrals import sections
from tests.access.surfaces import CaseSurface
from tests.cases.matrix import case_for
from tests.conftest import client_verified_as

pytestmark = pytest.mark.django_db


TAB = CaseSurface("Partnership", "Partnership tab", "GET", "/staff/cases/{ref}/partnership/", "cases.view_case")


@pytest.mark.parametrize(("role", "sensitivity", "relation"), TAB.params())
def test_the_tab_follows_the_case_access_matrix(
    role: str, sensitivity: str, relation: str, make_staff: Callable[..., User]
) -> None:
    user = make_staff(role)
    case = case_for(user, sensitivity=sensitivity, relation=relation)
    response = client_verified_as(user).get(TAB.url(ref=case.reference))
    assert response.status_code == TAB.expected(role, sensitivity, relation)


def test_the_tab_is_linked_and_draws_each_section_the_actor_may_see(
    make_staff: Callable[..., User], monkeypatch: pytest.MonkeyPatch, settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "section.html").write_text("<p>{{ section.words }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    officer = make_staff("officer")
    case = case_for(officer, sensitivity="normal", relation="assigned")
    seen: list[dict[str, Any]] = []

    def shown(**kwargs: Any) -> dict[str, Any]:
        seen.append(kwargs)
        return {"words": "A section for this case"}

    monkeypatch.setattr(sections, "SECTIONS", {})
    sections.register_section(sections.Section("shown", "section.html", shown))
    sections.register_section(sections.Section("hidden", "no/such/template.html", lambda **_: None))
    page = client_verified_as(officer).get(f"/staff/cases/{case.reference}/partnership/").content.decode()
    assert f'href="/staff/cases/{case.reference}/partnership/"' in page
    assert '<section id="shown"' in page
    assert "A section for this case" in page
    assert 'id="hidden"' not in page
    assert (seen[0]["case"], seen[0]["actor"]) == (case, officer)
