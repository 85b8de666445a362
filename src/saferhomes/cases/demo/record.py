"""What is recorded on a demo case: parties, incidents, contacts, actions, closure and the survey."""

from __future__ import annotations

import datetime as dt
import hashlib

from saferhomes.accounts.models import User
from saferhomes.cases.demo.base import MakerBase
from saferhomes.cases.demo.cast import LONDON, Home, letters, weighted
from saferhomes.cases.demo.stories import (
    DA_PLAN_UPDATES,
    DA_SAFE_CONTACT,
    DO_BETTER,
    NOT_DISCUSSED_REASON,
    OUTCOME_SUMMARIES,
    OUTCOMES,
    PLAN_UPDATES,
    SATISFACTION,
    Story,
)
from saferhomes.cases.models import (
    SURVEY_VALID_FOR,
    ActionItem,
    ActionKind,
    Case,
    CaseType,
    Category,
    Contact,
    ContactPlan,
    ContactPurpose,
    Direction,
    Incident,
    IncidentSource,
    Outcome,
    Party,
    PartyRole,
    Priority,
    Status,
    SurveyDelivery,
    SurveyInvitation,
)
from saferhomes.cases.selectors.case import contact_conflict
from saferhomes.housing.models import ContactMethod, Person


class RecordMaker(MakerBase):
    """Records on a case what happened to it, consistent with its state."""

    # --- parties -----------------------------------------------------------------------------------------------

    def _parties(
        self,
        case: Case,
        kind: str,
        home: Home,
        neighbour: Home,
        reporter_person: Person,
        relationship: str,
    ) -> tuple[Party, Party | None, list[Party]]:
        rng = self.rng
        fake = self.fake
        parties = self.built.parties
        at = case.received_at
        if kind != CaseType.DA and rng.random() < 0.07:
            reporter = Party(case=case, role=PartyRole.REPORTER, anonymous=True, created_at=at)
            if rng.random() < 0.5:
                reporter.phone = f"07700 900{rng.randint(0, 999):03d}"
        elif kind != CaseType.DA and rng.random() < 0.06:
            first, last = fake.first_name(), fake.last_name()
            reporter = Party(
                case=case,
                role=PartyRole.REPORTER,
                first_name=first,
                last_name=last,
                phone=f"07700 900{rng.randint(0, 999):03d}",
                email=f"{letters(first)}.{letters(last)}{rng.randint(1, 99)}@example.com",
                address=f"{rng.randint(1, 120)} {fake.street_name()}, {home.property.town}",
                notes="Visits a relative on the estate; not a tenant.",
                created_at=at,
            )
        else:
            reporter = Party(case=case, role=PartyRole.REPORTER, person=reporter_person, created_at=at)
            if kind == CaseType.DA and not reporter_person.safe_contact_notes:
                note, avoid = rng.choice(DA_SAFE_CONTACT)
                reporter.safe_contact_notes, reporter.contact_avoid = note, list(avoid)
        parties.append(reporter)
        # The reporter is the person harmed in most personal cases; they are a party in both roles.
        if reporter.person_id is not None and (case.category == Category.PERSONAL or kind == CaseType.DA):
            parties.append(
                Party(
                    case=case,
                    role=PartyRole.VICTIM,
                    person=reporter_person,
                    safe_contact_notes=reporter.safe_contact_notes,
                    contact_avoid=list(reporter.contact_avoid),
                    created_at=at,
                )
            )
        perpetrator: Party | None = None
        if kind == CaseType.DA:
            if rng.random() < 0.5 and len(home.adults) > 1:
                other = next(p for p in home.adults if p is not reporter_person)
                perpetrator = Party(
                    case=case, role=PartyRole.ALLEGED_PERPETRATOR, person=other, created_at=at, notes=relationship
                )
            else:
                perpetrator = Party(
                    case=case,
                    role=PartyRole.ALLEGED_PERPETRATOR,
                    first_name=fake.first_name_male(),
                    last_name=fake.last_name(),
                    notes=f"{relationship[:1].upper()}{relationship[1:]}; does not live at the address.",
                    created_at=at,
                )
        elif case.location_text and rng.random() < 0.6:
            perpetrator = None  # communal nuisance by people not yet identified
        elif neighbour.children and rng.random() < 0.25:
            perpetrator = Party(
                case=case, role=PartyRole.ALLEGED_PERPETRATOR, person=rng.choice(neighbour.children), created_at=at
            )
        else:
            perpetrator = Party(
                case=case, role=PartyRole.ALLEGED_PERPETRATOR, person=rng.choice(neighbour.adults), created_at=at
            )
        if perpetrator is not None:
            parties.append(perpetrator)
        witnesses: list[Party] = []
        if kind != CaseType.DA:
            for _ in range(weighted(self.rng, [(0, 60.0), (1, 30.0), (2, 10.0)])):
                nearby = self.register.neighbour(rng, home)
                pool = nearby.adults + (nearby.children if rng.random() < 0.1 else [])
                seen = rng.choice(pool)
                if any(p.person is seen for p in witnesses) or seen is reporter_person:
                    continue
                witness = Party(case=case, role=PartyRole.WITNESS, person=seen, created_at=at)
                witnesses.append(witness)
                parties.append(witness)
        if kind == CaseType.DA and rng.random() < 0.5:
            parties.append(
                Party(
                    case=case,
                    role=PartyRole.PROFESSIONAL,
                    first_name=fake.first_name_female(),
                    last_name=fake.last_name(),
                    organisation="Independent domestic violence advisers service",
                    phone=f"0115 496 0{rng.randint(0, 999):03d}",
                    created_at=at,
                )
            )
        return reporter, perpetrator, witnesses

    # --- incidents, contacts, actions --------------------------------------------------------------------------

    def _incidents(
        self,
        case: Case,
        story: Story,
        fill: dict[str, str],
        received: dt.datetime,
        end: dt.datetime,
        reporter: Party,
        perpetrator: Party | None,
        witnesses: list[Party],
    ) -> None:
        rng = self.rng
        count = rng.choice((1, 1, 2, 2, 3, 4, 5))
        texts = list(story.incidents)
        rng.shuffle(texts)
        for index in range(count):
            if index == 0:
                occurred = received - self._hours(1, 72)
                source = IncidentSource.REPORT
            else:
                occurred = self._between(received, end)
                source = IncidentSource.REPORTER_DIARY if rng.random() < 0.6 else IncidentSource.OFFICER
            incident = Incident(
                case=case,
                occurred_at=occurred,
                occurred_until=occurred + dt.timedelta(hours=rng.choice((0.5, 1, 2, 3)))
                if rng.random() < 0.5
                else None,
                description=texts[index % len(texts)].format(**fill),
                location_text=case.location_text,
                source=source,
                created_by=case.created_by,
                created_at=max(occurred, received) + self._hours(0.2, 20),
            )
            if incident.created_at > self.now:
                incident.created_at = self.now
            self.built.incidents.append(incident)
            if perpetrator is not None:
                self.built.involved.append((incident, perpetrator))
            for witness in witnesses:
                if rng.random() < 0.7:
                    self.built.witnessed.append((incident, witness))

    def _method_for(self, party: Party) -> str:
        """A way an officer would contact them: never one their safe-contact instructions rule out."""
        options = self._ways(party)
        # Drawn from every way they can be reached, then put right: the same draws as ever, so the rest of the demo
        # (and the stories other seed steps tell with it) stays as it was.
        return self._or_allowed(party, weighted(self.rng, options))

    @staticmethod
    def _ways(party: Party) -> list[tuple[str, float]]:
        person = party.person
        mobile = person.mobile if person else party.phone
        email = person.email if person else party.email
        options: list[tuple[str, float]] = [(ContactMethod.VISIT, 2.0)]
        if mobile:
            options += [(ContactMethod.PHONE, 6.0), (ContactMethod.TEXT, 1.0)]
        if email:
            options.append((ContactMethod.EMAIL, 2.0))
        return options

    def _or_allowed(self, party: Party, method: str) -> str:
        """`method`, or the first other way they can be reached that their instructions allow (as an officer reading
        them would choose): a text, an email, a visit, else a meeting at the office."""
        if not contact_conflict(party=party, method=method):
            return method
        reachable = {way for way, _weight in self._ways(party)}
        for way in (ContactMethod.TEXT, ContactMethod.EMAIL, ContactMethod.VISIT):
            if way in reachable and not contact_conflict(party=party, method=way):
                return way
        return ContactMethod.IN_PERSON

    def _contacts(
        self,
        case: Case,
        reporter: Party,
        responded: dt.datetime | None,
        start: dt.datetime,
        end: dt.datetime,
        status: str,
    ) -> None:
        rng = self.rng
        officer = case.assigned_officer
        name = reporter.display_name if not reporter.anonymous else "the reporter"
        contacts = self.built.contacts
        if responded is not None:
            anonymous_unreachable = reporter.anonymous and not reporter.phone
            contacts.append(
                Contact(
                    case=case,
                    party=reporter,
                    method=self._or_allowed(reporter, ContactMethod.PHONE)
                    if not anonymous_unreachable
                    else ContactMethod.IN_PERSON,
                    purpose=ContactPurpose.INITIAL_ASSESSMENT
                    if anonymous_unreachable
                    else ContactPurpose.FIRST_RESPONSE,
                    direction=Direction.OUTBOUND,
                    occurred_at=responded,
                    summary=(
                        "Assessed the anonymous report: no contact details, so reviewed the location and history."
                        if anonymous_unreachable
                        else f"Contacted {name} to acknowledge the report and talk through what happened; agreed next "
                        "steps and explained how to keep a diary."
                    ),
                    created_by=officer,
                    created_at=responded,
                )
            )
        if reporter.anonymous or status == Status.TRIAGED or responded is None:
            return
        frequency = weighted(rng, [(7, 40.0), (14, 45.0), (28, 15.0)])
        if case.case_type == CaseType.DA:
            frequency = 7
        method = self._method_for(reporter)
        person = reporter.person
        plan = ContactPlan(
            case=case,
            party=reporter,
            frequency_days=frequency,
            method=method,
            safe_times=reporter.safe_contact_notes or (person.safe_contact_notes if person else "") or "",
            language=person.preferred_language if person and person.preferred_language != "English" else "",
            format=person.get_preferred_format_display() if person and person.preferred_format != "standard" else "",
            agreed_at=responded,
            next_due_at=responded + dt.timedelta(days=frequency),
        )
        # Contacts under the plan, now and then late or missed; the last one sets when the next is due.
        moment = responded
        last = responded
        plan_end = min(end, self.now)
        while True:
            moment = moment + dt.timedelta(days=frequency + rng.choice((-1, 0, 0, 0, 1, 2, 4)))
            if moment >= plan_end:
                break
            if rng.random() < 0.12:
                continue  # missed
            when = self._working_hours(moment, not_before=last + dt.timedelta(hours=1), not_after=plan_end)
            if when >= plan_end:
                break
            if not self._in_office_hours(when):
                continue  # no office time left before the plan ends: this one was missed
            reached = rng.random() > 0.08
            updates = DA_PLAN_UPDATES if case.case_type == CaseType.DA else PLAN_UPDATES
            summary = rng.choice(updates) if reached else "Tried at the agreed time: no answer. Will try again."
            contacts.append(
                Contact(
                    case=case,
                    party=reporter,
                    method=method,
                    purpose=ContactPurpose.CONTACT_PLAN,
                    occurred_at=when,
                    summary=summary,
                    successful=reached,
                    created_by=officer,
                    created_at=when,
                )
            )
            last = when
        plan.next_due_at = last + dt.timedelta(days=frequency)
        if status in (Status.OPEN, Status.REOPENED) and rng.random() < 0.15:
            plan.next_due_at = self.now - dt.timedelta(days=rng.randint(1, 6))  # missed: flagged on the dashboard
        self.built.plans.append(plan)

    def _actions(
        self,
        case: Case,
        story: Story,
        fill: dict[str, str],
        officer: User,
        start: dt.datetime,
        end: dt.datetime,
        status: str,
    ) -> None:
        rng = self.rng
        texts = list(story.actions)
        rng.shuffle(texts)
        count = min(len(texts), rng.choice((1, 1, 2, 2, 3)))
        finished = status in (Status.CLOSING, Status.CLOSED)
        for index in range(count):
            created = self._between(start, min(end, start + dt.timedelta(days=14)))
            due_date = (created + dt.timedelta(days=rng.choice((5, 7, 10, 14, 21, 28)))).astimezone(LONDON).date()
            done_at: dt.datetime | None = None
            if finished or (due_date < self.ctx.today and rng.random() < 0.7) or rng.random() < 0.3:
                latest = min(end, self.now)
                done_at = self._working_hours(self._between(created, latest), not_before=created, not_after=latest)
            action = ActionItem(
                case=case,
                kind=ActionKind.ACTION_PLAN if index == 0 else ActionKind.TASK,
                description=texts[index].format(**fill)[:300],
                owner=officer if rng.random() < 0.9 else self.staff.coordinator,
                due_date=due_date,
                done_at=done_at,
                done_note="Done." if done_at else "",
                created_by=officer,
                created_at=created,
            )
            if done_at is not None:
                action.done_by = action.owner
            self.built.actions.append(action)

    # --- closure -----------------------------------------------------------------------------------------------

    def _closure(
        self,
        case: Case,
        reporter: Party,
        officer: User,
        requested: dt.datetime | None,
        closed: dt.datetime | None,
    ) -> None:
        rng = self.rng
        assert requested is not None
        outcome = weighted(rng, OUTCOMES)
        unreachable = outcome == Outcome.UNABLE_TO_CONTACT or (reporter.anonymous and not reporter.phone)
        if unreachable:
            outcome = Outcome.UNABLE_TO_CONTACT
        elif case.case_type == CaseType.DA and outcome == Outcome.LEGAL_ACTION_CONCLUDED:
            outcome = Outcome.REFERRED_ON
        case.outcome = outcome
        case.outcome_summary = OUTCOME_SUMMARIES[outcome]
        case.closure_requested_by = officer
        case.closure_requested_at = requested
        discussion_at = self._working_hours(
            requested - dt.timedelta(days=rng.uniform(0.2, 3)),
            not_before=case.received_at + dt.timedelta(hours=1),
            not_after=requested - dt.timedelta(minutes=30),
        )
        if unreachable:
            case.outcome_not_discussed_reason = NOT_DISCUSSED_REASON
            for attempt in range(3):
                at = self._working_hours(
                    discussion_at - dt.timedelta(days=2 * (2 - attempt)),
                    not_before=case.received_at + dt.timedelta(hours=1),
                    not_after=discussion_at,
                )
                self.built.contacts.append(
                    Contact(
                        case=case,
                        party=reporter,
                        method=self._or_allowed(reporter, ContactMethod.PHONE if attempt < 2 else ContactMethod.LETTER),
                        purpose=ContactPurpose.OUTCOME_DISCUSSION,
                        successful=False,
                        occurred_at=at,
                        summary="Tried to discuss the outcome: no answer."
                        if attempt < 2
                        else "Wrote asking them to call us about closing the case.",
                        created_by=officer,
                        created_at=at,
                    )
                )
        else:
            name = reporter.display_name
            self.built.contacts.append(
                Contact(
                    case=case,
                    party=reporter,
                    method=self._method_for(reporter),
                    purpose=ContactPurpose.OUTCOME_DISCUSSION,
                    occurred_at=discussion_at,
                    summary=(
                        f"Explained the outcome to {name} ({Outcome(outcome).label.lower()}) and why we are closing "
                        "the case. They know to report again if it starts again."
                    ),
                    created_by=officer,
                    created_at=discussion_at,
                )
            )
        needs_approval = case.priority == Priority.HIGH or case.case_type == CaseType.DA
        pending = closed is None
        if needs_approval and (not pending or (self.approval_waiting and rng.random() < 0.3)):
            case.closure_approved_by = self.staff.manager
            case.closure_approved_at = min(requested + self._hours(1, 40), closed or self.now)
        if closed is None:
            self.approval_waiting += int(needs_approval and case.closure_approved_at is None)
            return
        case.closed_at = closed
        if reporter.anonymous and not reporter.email:
            return
        self._survey(case, reporter, closed)

    def _survey(self, case: Case, reporter: Party, closed: dt.datetime) -> None:
        rng = self.rng
        person = reporter.person
        safe = reporter.safe_contact_notes or (person.safe_contact_notes if person else "")
        email = person.email if person else reporter.email
        if case.case_type == CaseType.DA:
            delivery, note = SurveyDelivery.OFFICER, "Domestic abuse case: give the link only when it is safe to"
        elif safe:
            delivery, note = SurveyDelivery.OFFICER, "The reporter has safe-contact instructions: follow them"
        elif not email:
            delivery, note = SurveyDelivery.OFFICER, "The reporter has no email address: give them the link another way"
        else:
            delivery, note = SurveyDelivery.EMAIL, ""
        sent = closed + dt.timedelta(seconds=5)
        # The tokens themselves are never kept: demo invitations can only be answered in these figures.
        token_hash = hashlib.sha256(
            f"{self.ctx.seed}:{case.received_at.isoformat()}:{rng.random()}".encode()
        ).hexdigest()
        invitation = SurveyInvitation(
            case=case,
            party=reporter,
            token_hash=token_hash,
            sent_at=sent,
            expires_at=sent + SURVEY_VALID_FOR,
            delivery=delivery,
            delivery_note=note,
        )
        answer_rate = 0.5 if delivery == SurveyDelivery.EMAIL else 0.25
        if rng.random() < answer_rate:
            answered = min(sent + self._hours(2, 480), self.now)
            if answered < invitation.expires_at:
                invitation.answered_at = answered
                invitation.satisfaction = weighted(rng, SATISFACTION)
                invitation.could_do_better = rng.choice(DO_BETTER)
        self.built.surveys.append(invitation)
