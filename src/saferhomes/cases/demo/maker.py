"""Makes one demo case at a time, consistent with its state (`CaseMaker.make`)."""

from __future__ import annotations

import datetime as dt

from saferhomes.cases.demo.cast import block_or_street, short_address, weighted
from saferhomes.cases.demo.record import RecordMaker
from saferhomes.cases.demo.stories import (
    AGE_DAYS,
    ASB_STORIES,
    DA_STORY,
    HATE_STORIES,
    HATE_STRAND_WEIGHTS,
    NOTES,
    STATUS_WEIGHTS,
)
from saferhomes.cases.models import (
    Case,
    CaseType,
    Incident,
    IncidentSource,
    Note,
    Priority,
    Sensitivity,
    Stage,
    Status,
)
from saferhomes.core.calendar import response_deadline


class CaseMaker(RecordMaker):
    """Makes one case at a time, consistent with its state, from one random stream."""

    def make(self) -> None:
        rng = self.rng
        status = weighted(rng, STATUS_WEIGHTS)
        kind = weighted(rng, [(CaseType.ASB, 75.0), (CaseType.HATE, 12.0), (CaseType.DA, 13.0)])
        shortest, longest = AGE_DAYS[status]
        received = self.now - dt.timedelta(minutes=int(rng.uniform(shortest, longest) * 24 * 60))
        home = rng.choice(self.register.homes)
        reporter_person = rng.choice(home.adults)
        neighbour = self.register.neighbour(rng, home)

        strands: list[str] = []
        relationship = ""
        if kind == CaseType.DA:
            story = DA_STORY
            relationship = rng.choice(["her ex-partner", "her partner", "her son's father", "his ex-partner"])
        elif kind == CaseType.HATE:
            strand = weighted(rng, HATE_STRAND_WEIGHTS)
            strands = [strand]
            story = HATE_STORIES[strand]
        else:
            story = weighted(rng, ASB_STORIES)
        where = short_address(neighbour.property) if story.place == "home" else block_or_street(home.property)
        fill = {
            "where": where,
            "relationship": relationship,
            "relationship_cap": relationship[:1].upper() + relationship[1:],
        }

        sensitivity = Sensitivity.NORMAL
        if kind == CaseType.DA:
            sensitivity = Sensitivity.DA
        elif rng.random() < 0.05:
            sensitivity = Sensitivity.RESTRICTED
        urgent = story.urgent or kind == CaseType.HATE or bool(reporter_person.vulnerability_categories)
        priority = weighted(
            rng,
            [(Priority.HIGH, 45.0), (Priority.NORMAL, 50.0), (Priority.LOW, 5.0)]
            if urgent
            else [(Priority.HIGH, 6.0), (Priority.NORMAL, 74.0), (Priority.LOW, 20.0)],
        )
        if status == Status.CLOSING and (not self.approval_waiting or rng.random() < 0.3):
            priority = Priority.HIGH  # high-risk closures wait for a manager: the approvals list is never empty
        officer = self.staff.da_specialist if kind == CaseType.DA else self.staff.officer(rng)
        untriaged = status == Status.NEW
        triaged_at = None if untriaged else min(self.now, received + self._hours(1, 30))
        due = response_deadline(received, urgent=urgent, calendar=self.calendar)
        responded = self._response_time(status, received, due)
        closed_at, closure_requested_at, reopened_at = self._closure_times(status, received)

        case = Case(
            case_type=kind,
            category=story.category,
            sub_types=list(story.sub_types),
            hate_strands=strands,
            summary=story.summary.format(**fill)[:200],
            description=story.incidents[0].format(**fill),
            status=status,
            stage=(weighted(rng, [(Stage.INVESTIGATING, 65.0), (Stage.ACTION, 35.0)]) if status == Status.OPEN else ""),
            priority=priority,
            sensitivity=sensitivity,
            urgent=urgent,
            urgent_reason="Urgent at triage: risk to the reporter's safety." if urgent and not untriaged else "",
            criminal=story.criminal or (kind == CaseType.HATE and rng.random() < 0.6),
            assigned_officer=None if untriaged else officer,
            team=None if untriaged else (self.da_team if kind == CaseType.DA else officer.team),
            estate=home.property.estate,
            location_text="" if story.place == "home" else f"Communal areas at {where}",
            received_at=received,
            response_due_at=due,
            responded_at=responded,
            triaged_at=triaged_at,
            created_by=self.staff.coordinator if untriaged else officer,
            created_at=received + dt.timedelta(minutes=rng.randint(2, 90)),
        )
        self.built.cases.append(case)
        self.built.case_properties.append((case, home.property))
        if sensitivity == Sensitivity.RESTRICTED:
            self.built.restricted_to.append((case, officer))
            self.built.restricted_to.append((case, self.staff.manager))

        reporter, perpetrator, witnesses = self._parties(case, kind, home, neighbour, reporter_person, relationship)
        end = closed_at or closure_requested_at or self.now
        if reopened_at is not None:
            end = self.now
        self._incidents(case, story, fill, received, end, reporter, perpetrator, witnesses)
        if untriaged:
            return
        self._contacts(case, reporter, responded, triaged_at or received, end, status)
        self._actions(case, story, fill, officer, triaged_at or received, end, status)
        if rng.random() < 0.4:
            self.built.notes.append(
                Note(
                    case=case,
                    text=rng.choice(NOTES),
                    created_by=officer,
                    created_at=self._between(triaged_at or received, end),
                )
            )
        if status in (Status.CLOSING, Status.CLOSED):
            self._closure(case, reporter, officer, closure_requested_at, closed_at)
        if status == Status.REOPENED:
            # It was closed once, then more happened: the incident after closure is why it is open again.
            assert reopened_at is not None
            self.built.incidents.append(
                Incident(
                    case=case,
                    occurred_at=reopened_at - dt.timedelta(days=1),
                    description="It started again after the case was closed. " + story.incidents[-1].format(**fill),
                    source=IncidentSource.REPORT,
                    created_by=officer,
                    created_at=reopened_at,
                )
            )

    def _response_time(self, status: str, received: dt.datetime, due: dt.datetime) -> dt.datetime | None:
        rng = self.rng
        if status == Status.NEW:
            return None
        if status == Status.TRIAGED and rng.random() < 0.5:
            return None  # still waiting: on the dashboard as due soon or overdue
        # Responses are phone calls and visits by staff: in office hours on a working day.
        earliest = received + dt.timedelta(minutes=40)
        if rng.random() < 0.12:
            responded = self._office_time(due + dt.timedelta(hours=2), min(due + dt.timedelta(hours=72), self.now))
        else:
            responded = self._office_time(earliest, min(due, self.now))
        if responded is None:
            return self._office_time(earliest, self.now) if status != Status.TRIAGED else None
        return responded

    def _closure_times(
        self, status: str, received: dt.datetime
    ) -> tuple[dt.datetime | None, dt.datetime | None, dt.datetime | None]:
        """(closed_at, closure requested at, reopened at) for the state."""
        rng = self.rng
        latest = self.now - dt.timedelta(days=1)
        if status == Status.CLOSING:
            earliest = max(received + dt.timedelta(days=21), self.now - dt.timedelta(days=10))
            requested = self._working_hours(self._between(earliest, latest), not_before=earliest, not_after=latest)
            return None, requested, None
        if status in (Status.CLOSED, Status.REOPENED):
            last_close = latest - dt.timedelta(days=14) if status == Status.REOPENED else latest
            earliest = received + dt.timedelta(days=14)
            span = dt.timedelta(days=rng.uniform(21, 150))
            closed = self._working_hours(
                self._between(earliest, min(received + span, last_close)), not_before=earliest, not_after=last_close
            )
            requested = closed - dt.timedelta(minutes=int(rng.uniform(0.1, 4) * 24 * 60))
            if status == Status.REOPENED:
                reopened = self._between(closed + dt.timedelta(days=7), latest)
                return None, None, reopened
            return closed, requested, None
        return None, None, None
