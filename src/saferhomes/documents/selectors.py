"""Reads of the documents app: the letters on a case, templates to choose from, one sent letter."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from saferhomes.cases.models import Case
from saferhomes.documents.models import Audience, Letter, LetterTemplate


def case_letters(*, case: Case) -> QuerySet[Letter]:
    """The letters sent on a case (already visible to the reader), newest first, in two queries' worth of joins."""
    return Letter.objects.filter(case=case).select_related("party__person", "template", "sent_by")


def letter_for_case(*, case: Case, pk: int) -> Letter:
    letter = case_letters(case=case).filter(pk=pk).first()
    if letter is None:
        raise Http404("No letter found")
    return letter


def templates_in_use() -> list[LetterTemplate]:
    """Templates for letters on a case (Case Review applicants' letters are sent from the application)."""
    return list(LetterTemplate.objects.filter(active=True).exclude(audience=Audience.APPLICANT).order_by("name"))


def templates_all() -> QuerySet[LetterTemplate]:
    return LetterTemplate.objects.select_related("updated_by").order_by("name")
