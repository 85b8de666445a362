"""Case search by one document per case (issue 5: search by reference, party name, address or postcode).

`Case.search_text` holds, lower-cased and space-separated, everything a search may match: the reference (and an
imported case's original reference, `legacy_reference`), the free
location, every party's name and typed address (and the register's name for a party linked to a person), and every
linked home's address lines and postcode (with and without its space). A search is one condition per word on that
one column — `search_text LIKE '%word%'` — answered on PostgreSQL by one trigram GIN index (migration 0008).

Why a document rather than a UNION over parties and homes: a common surname ("smith") matches tens of thousands of
cases at national scale, and a UNION of id lists had to be built in full before the newest 25 could be picked
(1.4 s at 1,000,000 cases). With one column the database can walk the newest-first index and stop at 25 matches.

The document is written by one SQL statement (`refresh_search_documents`), used by the services whenever a party,
a linked home or the location changes, by the migration that adds the column and by the benchmark's generator, so
there is exactly one definition of what is searchable.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Q

from saferhomes.cases.references import looks_like_reference
from saferhomes.housing.rules import is_uk_postcode, normalise_postcode

SEARCH_WORDS_MAX = 8


def _aggregate(expression: str) -> str:
    """A space-joined aggregate of `expression` over a subquery's rows, in the connection's dialect."""
    if connection.vendor == "postgresql":
        return f"string_agg({expression}, ' ')"
    return f"group_concat({expression}, ' ')"


# What goes into a case's document, as SQL expressions over the case (c / cases_case), a party (p) with its register
# person (hp), and a linked home (h): the per-case and the bulk statements below share them.
_PARTY_TEXT = (
    "COALESCE(p.first_name, '') || ' ' || COALESCE(p.last_name, '') || ' ' || COALESCE(p.address, '') || ' ' || "
    "COALESCE(hp.first_name, '') || ' ' || COALESCE(hp.preferred_name, '') || ' ' || COALESCE(hp.last_name, '')"
)
_HOME_TEXT = (
    "COALESCE(h.address_line_1, '') || ' ' || COALESCE(h.address_line_2, '') || ' ' || "
    "COALESCE(h.postcode, '') || ' ' || REPLACE(COALESCE(h.postcode, ''), ' ', '')"
)
_PARTIES_FROM = "FROM cases_party p LEFT JOIN housing_person hp ON hp.id = p.person_id"
_HOMES_FROM = "FROM cases_case_properties cp JOIN housing_property h ON h.id = cp.property_id"


def _document(case: str, parties: str, homes: str) -> str:
    return (
        f"LOWER({case}.reference || ' ' || COALESCE({case}.legacy_reference, '') || ' ' || "
        f"COALESCE({case}.location_text, '') || ' ' || "
        f"COALESCE({parties}, '') || ' ' || COALESCE({homes}, ''))"
    )


def search_document_sql() -> str:
    """The UPDATE that rewrites `search_text` for the cases chosen by a trailing WHERE clause (added by callers):
    one correlated lookup of parties and homes per case, by index."""
    parties = f"(SELECT {_aggregate(_PARTY_TEXT)} {_PARTIES_FROM} WHERE p.case_id = cases_case.id)"
    homes = f"(SELECT {_aggregate(_HOME_TEXT)} {_HOMES_FROM} WHERE cp.case_id = cases_case.id)"
    return f"UPDATE cases_case SET search_text = {_document('cases_case', parties, homes)}"  # noqa: S608


def search_document_bulk_sql() -> str:
    """The UPDATE that rewrites every case's `search_text` at once: parties and homes grouped by case in one pass
    each and joined (what the benchmark's generator uses for a million cases; the same text as the per-case form)."""
    parties = f"SELECT p.case_id, {_aggregate(_PARTY_TEXT)} AS text {_PARTIES_FROM} GROUP BY p.case_id"
    homes = f"SELECT cp.case_id, {_aggregate(_HOME_TEXT)} AS text {_HOMES_FROM} GROUP BY cp.case_id"
    return (
        f"UPDATE cases_case SET search_text = {_document('d', 'd.parties', 'd.homes')} "  # noqa: S608
        "FROM (SELECT c.id, c.reference, c.legacy_reference, c.location_text, pa.text AS parties, ho.text AS homes "
        "FROM cases_case c "
        f"LEFT JOIN ({parties}) pa ON pa.case_id = c.id LEFT JOIN ({homes}) ho ON ho.case_id = c.id) d "
        "WHERE d.id = cases_case.id"
    )


def refresh_search_documents(*, case_ids: Iterable[int] | None = None) -> None:
    """Rewrite the search document of `case_ids` (every case when None, in one set-based statement), in the current
    transaction."""
    with connection.cursor() as cursor:
        if case_ids is None:
            cursor.execute(search_document_bulk_sql())
            return
        sql = search_document_sql()
        ids = sorted(set(case_ids))
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            cursor.execute(f"{sql} WHERE id IN ({', '.join(['%s'] * len(chunk))})", chunk)


def refresh_for_register(*, person_ids: Iterable[int] = (), property_ids: Iterable[int] = ()) -> None:
    """Rewrite the documents of cases naming these people or homes (the register changed under them)."""
    from saferhomes.cases.models import Case

    people, homes = list(person_ids), list(property_ids)
    if not people and not homes:
        return
    match = Q(pk__in=[])
    if people:
        match |= Q(parties__person_id__in=people)
    if homes:
        match |= Q(properties__in=homes)
    refresh_search_documents(case_ids=Case.objects.filter(match).values_list("pk", flat=True).distinct())


def search_words(text: str) -> list[str]:
    """The lower-case words a search looks for: a postcode is kept whole (with its space), at most 8 words."""
    text = " ".join(text.split())
    if is_uk_postcode(text):
        return [normalise_postcode(text).lower()]
    return list(dict.fromkeys(text.lower().split(" ")))[:SEARCH_WORDS_MAX]


def case_search_q(text: str) -> Q:
    """Cases matching free text: an exact reference, or every word found in the case's search document."""
    text = " ".join(text.split())
    if not text:
        return Q()
    if looks_like_reference(text):
        return Q(reference=text.upper())
    condition = Q()
    for word in search_words(text):
        condition &= Q(search_text__contains=word)
    return condition
