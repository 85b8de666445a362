"""The letter sandbox (issue 16 part 4): only listed merge fields; every other construct refused with a message
naming it; rendering is plain substitution, never template execution."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from saferhomes.accounts.models import User
from saferhomes.accounts.roles import Role
from saferhomes.core.audit_verbs import AuditVerb
from saferhomes.core.errors import DomainError
from saferhomes.core.models import AuditEvent
from saferhomes.documents import merge
from saferhomes.documents.models import Audience, LetterTemplate
from saferhomes.documents.services.templates import letter_template_save

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{% load static %}Hello", "Remove template tags"),
        ("Hello {% if x %}x{% endif %}", "Remove template tags"),
        ("{# secret #} Hello", "Remove comments"),
        ("{{ recipient.name|upper }}", "{{ recipient.name|upper }} uses a filter"),
        ("{{ recipient.name.__class__ }}", "reads beyond the field recipient.name: attribute access is not allowed"),
        ("{{ settings.SECRET_KEY }}", "{{ settings.SECRET_KEY }} is not a merge field"),
        ("{{ case.assigned_officer }}", "{{ case.assigned_officer }} is not a listed merge field"),
        ("{{ request }}", "{{ request }} is not a listed merge field"),
        ("{{ recipient.name() }}", "is not a merge field"),
        ("Hello {{ recipient.name", "without its partner"),
        ("Hello }} there", "without its partner"),
        ("   ", "Enter the letter's text"),
    ],
)
def test_the_sandbox_refuses_and_names_the_problem(body: str, message: str) -> None:
    with pytest.raises(DomainError) as refused:
        merge.validate(body, Audience.REPORTER)
    assert message in " ".join(refused.value.field_errors["body"])


@pytest.mark.parametrize("field", sorted(merge.PERPETRATOR_BLOCKED))
def test_fields_that_could_carry_victim_details_are_not_offered_to_perpetrator_letters(field: str) -> None:
    merge.validate(f"{{{{ {field} }}}}", Audience.REPORTER)  # fine to the reporter
    with pytest.raises(DomainError, match="cannot be used in a letter to an alleged perpetrator"):
        merge.validate(f"Dear you, {{{{ {field} }}}}", Audience.ALLEGED_PERPETRATOR)
    assert field not in {f.name for f in merge.fields_for(Audience.ALLEGED_PERPETRATOR)}


def test_every_listed_field_is_described_and_accepted() -> None:
    body = " ".join(f"{{{{ {name} }}}}" for name in merge.FIELDS if name not in merge.APPLICANT_ONLY)
    merge.validate(body, Audience.REPORTER)
    # Case Review applicants' letters (issue 17) have their own fields, and none of a case's.
    body = " ".join(f"{{{{ {name} }}}}" for name in merge.FIELDS if name not in merge.CASE_ONLY)
    merge.validate(body, Audience.APPLICANT)
    assert all(field.description for field in merge.FIELDS.values())


def test_rendering_substitutes_text_and_executes_nothing() -> None:
    values = {"recipient.name": "{{ case.reference }} {% now 'Y' %} <b>x</b>", "case.reference": "ASB-1"}
    text = merge.render("To {{recipient.name}} about {{ case.reference }}.", values)
    # The value is inserted as it is: not re-read as a template, not evaluated.
    assert text == "To {{ case.reference }} {% now 'Y' %} <b>x</b> about ASB-1."


def test_saving_keeps_every_version_and_audits_before_and_after(make_staff: Callable[..., User]) -> None:
    admin = make_staff(Role.ADMIN)
    template = letter_template_save(
        actor=admin, key="test-letter", name="Test", audience=Audience.REPORTER, body="Hello {{ recipient.name }}"
    )
    template = letter_template_save(
        actor=admin, template=template, name="Test", audience=Audience.REPORTER, body="Hi {{ recipient.name }}"
    )
    assert template.version == 2
    assert [v.body.strip() for v in template.versions.order_by("version")] == [
        "Hello {{ recipient.name }}",
        "Hi {{ recipient.name }}",
    ]
    event = (
        AuditEvent.objects.filter(verb=AuditVerb.LETTER_TEMPLATE_SAVED, object_id=str(template.pk))
        .order_by("pk")
        .last()
    )
    assert event is not None
    assert event.before is not None
    assert event.after is not None
    assert event.before["body"].startswith("Hello")
    assert event.after["body"].startswith("Hi")


def test_a_refused_save_changes_nothing(make_staff: Callable[..., User]) -> None:
    admin = make_staff(Role.ADMIN)
    template = LetterTemplate.objects.get(key="warning-letter")
    with pytest.raises(DomainError):
        letter_template_save(
            actor=admin, template=template, name="x", audience=template.audience, body="{{ reporter.name }}"
        )
    template.refresh_from_db()
    assert template.version == 1
    assert template.versions.count() == 1


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MANAGER, Role.DPO, Role.COORDINATOR])
def test_only_administrators_edit_templates(role: str, make_staff: Callable[..., User]) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        letter_template_save(
            actor=make_staff(role), key="x", name="X", audience=Audience.REPORTER, body="Hello {{ recipient.name }}"
        )


def test_the_shipped_templates_are_loaded_and_valid() -> None:
    keys = set(LetterTemplate.objects.filter(shipped=True).values_list("key", flat=True))
    assert keys == {
        "warning-letter",
        "acceptable-behaviour-contract",
        "invitation-to-interview",
        "closure-letter-reporter",
        "outcome-letter-reporter",
        # Case Review letters to applicants (issue 17 part 5), with Welsh translations ("-cy")
        "case-review-decision-met",
        "case-review-decision-not-met",
        "case-review-outcome",
        "case-review-appeal-outcome",
        "case-review-decision-met-cy",
        "case-review-decision-not-met-cy",
        "case-review-outcome-cy",
    }
    for template in LetterTemplate.objects.all():
        merge.validate(template.body, template.audience)
