"""Cases and everything recorded on them: parties, incidents, evidence, contacts, notes, actions, contact plans,
closure and the satisfaction survey (DESIGN.md §2 and §3). Rules live in `rules.py`, writes in `services/`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from saferhomes.cases.storage import evidence_storage, evidence_upload_to
from saferhomes.housing.models import ContactMethod, Estate, Person, Property, validate_contact_avoid


class CaseType(models.TextChoices):
    ASB = "asb", "Anti-social behaviour"
    HATE = "hate", "Hate incident or crime"
    DA = "da", "Domestic abuse"


# Reference prefix per case type: ASB-2026-000123, HATE-2026-000007, DA-2026-000042.
REFERENCE_PREFIX: dict[str, str] = {CaseType.ASB: "ASB", CaseType.HATE: "HATE", CaseType.DA: "DA"}


class Category(models.TextChoices):
    """NSIR-style split of ASB by who or what it affects."""

    PERSONAL = "personal", "Personal"
    NUISANCE = "nuisance", "Nuisance"
    ENVIRONMENTAL = "environmental", "Environmental"


class SubType(models.TextChoices):
    NOISE = "noise", "Noise"
    VERBAL_ABUSE = "verbal_abuse", "Verbal abuse, harassment or intimidation"
    THREATS = "threats", "Threats of violence"
    VIOLENCE = "violence", "Physical violence"
    DRUGS = "drugs", "Drugs or substance misuse"
    ALCOHOL = "alcohol", "Alcohol-related"
    VANDALISM = "vandalism", "Vandalism or criminal damage"
    GRAFFITI = "graffiti", "Graffiti"
    RUBBISH = "rubbish", "Rubbish, fly-tipping or litter"
    PETS = "pets", "Pets and animal nuisance"
    VEHICLES = "vehicles", "Vehicles or parking nuisance"
    COMMUNAL = "communal", "Misuse of communal areas"
    GARDEN = "garden", "Garden nuisance"
    SEXUAL = "sexual", "Sexual acts or exploitation"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    OTHER = "other", "Other"


class HateStrand(models.TextChoices):
    DISABILITY = "disability", "Disability"
    RACE = "race", "Race or ethnicity"
    RELIGION = "religion", "Religion or belief"
    SEXUAL_ORIENTATION = "sexual_orientation", "Sexual orientation"
    TRANSGENDER = "transgender", "Transgender identity"
    OTHER = "other", "Other"


class Status(models.TextChoices):
    """DESIGN.md §3: new → triaged → open → closing → closed, with reopened. Allowed moves are in rules.py."""

    NEW = "new", "New"
    TRIAGED = "triaged", "Triaged"
    OPEN = "open", "Open"
    CLOSING = "closing", "Closing"
    CLOSED = "closed", "Closed"
    REOPENED = "reopened", "Reopened"


class Stage(models.TextChoices):
    """What an open case is doing now."""

    INVESTIGATING = "investigating", "Investigating"
    ACTION = "action", "Taking action"


class Priority(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"


class Sensitivity(models.TextChoices):
    """DESIGN.md §6: who may open a case."""

    NORMAL = "normal", "Normal"
    RESTRICTED = "restricted", "Restricted (named staff only)"
    DA = "da", "Domestic abuse (DA-trained staff and those assigned)"


class Outcome(models.TextChoices):
    RESOLVED = "resolved", "Resolved"
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    REFERRED_ON = "referred_on", "Referred to another agency"
    LEGAL_ACTION_CONCLUDED = "legal_action_concluded", "Legal action concluded"
    REPORTER_WITHDREW = "reporter_withdrew", "Reporter withdrew"
    UNABLE_TO_CONTACT = "unable_to_contact", "Unable to contact the reporter"
    MERGED = "merged", "Merged into another case"


class Case(models.Model):
    """One problem and everything done about it. Later reports about the same problem are linked, not new cases."""

    reference = models.CharField(max_length=20, unique=True, editable=False)
    case_type = models.CharField(max_length=10, choices=CaseType.choices)
    category = models.CharField(max_length=20, choices=Category.choices, blank=True)
    sub_types = models.JSONField(default=list, blank=True, help_text="SubType values.")
    hate_strands = models.JSONField(default=list, blank=True, help_text="HateStrand values; hate cases need one.")
    summary = models.CharField(max_length=200, help_text="One line an officer recognises the case by.")
    description = models.TextField(blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW, db_index=True)
    stage = models.CharField(max_length=15, choices=Stage.choices, blank=True)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    sensitivity = models.CharField(max_length=12, choices=Sensitivity.choices, default=Sensitivity.NORMAL)
    urgent = models.BooleanField(default=False, help_text="Urgent reports get 24 working hours, not 5 working days.")
    urgent_reason = models.TextField(blank=True, help_text="Why urgency was set or overridden at triage.")
    criminal = models.BooleanField(default=False, help_text="Criminal ASB or hate crime: prompts a police referral.")

    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="assigned_cases"
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="cases")
    restricted_to = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="restricted_cases", help_text="Named staff (restricted)."
    )
    properties = models.ManyToManyField(Property, blank=True, related_name="cases")
    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, null=True, blank=True, related_name="cases")
    location_text = models.CharField(max_length=250, blank=True, help_text="Where, when it is not one of our homes.")

    received_at = models.DateTimeField(help_text="When the first report reached us (may be back-dated by staff).")
    response_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    responded_at = models.DateTimeField(null=True, blank=True, help_text="First-response contact: stops the clock.")
    triaged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    outcome_summary = models.TextField(blank=True)
    outcome_shareable = models.TextField(
        blank=True,
        help_text="The outcome in the words staff chose for the reporter: shown on their status page once closed.",
    )
    closure_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closure_approved_at = models.DateTimeField(null=True, blank=True)
    closure_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closure_requested_at = models.DateTimeField(null=True, blank=True)
    outcome_not_discussed_reason = models.TextField(
        blank=True, help_text="Why the outcome could not be discussed with the reporter (anonymous or unreachable)."
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, help_text="Optimistic lock: bumped on every change.")
    search_text = models.TextField(
        blank=True,
        default="",
        editable=False,
        help_text="What a search matches, lower-cased: written by cases.search, never by hand.",
    )
    anonymised_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        editable=False,
        help_text="When the retention job anonymised the case (issue 19): figures kept, people and free text gone.",
    )
    legacy_reference = models.CharField(
        max_length=60,
        blank=True,
        default="",
        help_text="The case's reference in the spreadsheet or system it was imported from (issue 20: case-log "
        "import); empty for cases opened here.",
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        permissions = [
            ("triage_case", "Can triage cases"),
            ("assign_case", "Can assign and reassign cases"),
            ("work_case", "Can record incidents, contacts, notes and actions"),
            ("close_case", "Can close and reopen cases"),
            ("approve_closure", "Can approve closure of high-risk and DA cases"),
            ("view_all_cases", "Can see every non-restricted case"),
            ("view_da_cases", "Can see domestic abuse cases (DA-trained)"),
            ("break_glass", "Can open a restricted case with a recorded reason"),
        ]
        indexes = [
            # Lists are newest first: each index ends with the list order, so a filtered page is read in index
            # order and stops after 25 rows instead of sorting every match (SQLite cannot do otherwise).
            # Search indexes: migration 0005 (PostgreSQL).
            models.Index(fields=["assigned_officer", "status", "-received_at", "-id"], name="case_officer_status_idx"),
            models.Index(fields=["team", "status", "-received_at", "-id"], name="case_team_status_idx"),
            models.Index(fields=["case_type", "status", "-received_at", "-id"], name="case_type_status_idx"),
            models.Index(fields=["-received_at", "-id"], name="case_received_idx"),
        ]
        constraints = [
            # An imported case's original reference is unique, so importing the same file again creates nothing.
            models.UniqueConstraint(
                fields=["legacy_reference"], condition=~Q(legacy_reference=""), name="case_legacy_reference_unique"
            ),
            models.CheckConstraint(condition=Q(case_type__in=CaseType.values), name="case_type_valid"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="case_status_valid"),
            models.CheckConstraint(condition=Q(sensitivity__in=Sensitivity.values), name="case_sensitivity_valid"),
            # Domestic abuse cases are always DA-sensitive (DESIGN.md §1: restricted by default).
            models.CheckConstraint(
                condition=~Q(case_type=CaseType.DA) | Q(sensitivity=Sensitivity.DA), name="case_da_is_da_sensitive"
            ),
            # A closed case has a closing time and an outcome; an unclosed case has neither.
            models.CheckConstraint(
                condition=(Q(status=Status.CLOSED) & Q(closed_at__isnull=False) & ~Q(outcome=""))
                | (~Q(status=Status.CLOSED) & Q(closed_at__isnull=True)),
                name="case_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(responded_at__isnull=True) | Q(responded_at__gte=models.F("received_at")),
                name="case_response_after_receipt",
            ),
            # Every case past new has been triaged (DESIGN.md §3). Which moves are allowed is enforced by a trigger
            # (migration 0004) as well as by the services (rules.TRANSITIONS).
            models.CheckConstraint(
                condition=Q(status=Status.NEW) | Q(triaged_at__isnull=False), name="case_triaged_unless_new"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.summary}"


class ReferenceCounter(models.Model):
    """Gap-free case numbers per prefix and year, incremented under a row lock inside the creating transaction."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="reference_counter_unique")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_number}"


class LinkReason(models.TextChoices):
    SAME_PERPETRATOR = "same_perpetrator", "Same alleged perpetrator"
    SAME_LOCATION = "same_location", "Same location"
    SAME_VICTIM = "same_victim", "Same victim"
    OTHER = "other", "Other"


class CaseLink(models.Model):
    """Two cases that belong together; stored once, shown from both sides."""

    from_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_from")
    to_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_to")
    reason = models.CharField(max_length=20, choices=LinkReason.choices)
    note = models.CharField(max_length=250, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_case", "to_case"], name="case_link_unique"),
            models.CheckConstraint(condition=~Q(from_case=models.F("to_case")), name="case_link_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.from_case_id} ↔ {self.to_case_id} ({self.reason})"


class PartyRole(models.TextChoices):
    REPORTER = "reporter", "Reporter"
    VICTIM = "victim", "Victim"
    ALLEGED_PERPETRATOR = "alleged_perpetrator", "Alleged perpetrator"
    WITNESS = "witness", "Witness"
    HOUSEHOLD_MEMBER = "household_member", "Household member"
    PROFESSIONAL = "professional", "Professional"


class Party(models.Model):
    """A person on a case in a role: from the housing register (`person`) or entered here (ad hoc)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(max_length=20, choices=PartyRole.choices)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="case_parties")
    # Ad hoc details (used when `person` is empty; when it is set, the register is the source).
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    address = models.CharField(max_length=250, blank=True)
    organisation = models.CharField(max_length=150, blank=True, help_text="For professionals.")
    anonymous = models.BooleanField(default=False, help_text="A reporter who did not give their name.")
    safe_contact_notes = models.TextField(blank=True)
    safe_times = models.CharField(max_length=250, blank=True, help_text="When it is safe to contact them.")
    contact_methods = models.JSONField(
        default=list, blank=True, help_text="ContactMethod values they chose as safe to use (empty: not said)."
    )
    contact_avoid = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_contact_avoid],
        help_text="ContactMethod values they asked us never to use on this case (the register's apply as well).",
    )
    preferred_language = models.CharField(max_length=60, blank=True)
    preferred_format = models.CharField(max_length=20, blank=True, help_text="housing.PreferredFormat value.")
    vulnerabilities = models.TextField(blank=True)
    reasonable_adjustments = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=PartyRole.values), name="party_role_valid"),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(anonymous=True) | ~Q(last_name="") | ~Q(first_name=""),
                name="party_is_identified_or_anonymous",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_role_display()})"

    @property
    def display_name(self) -> str:
        if self.person_id is not None:
            return str(self.person)
        if self.anonymous:
            return "Anonymous"
        return f"{self.first_name} {self.last_name}".strip()


class IncidentSource(models.TextChoices):
    REPORTER_DIARY = "reporter_diary", "Reporter's diary"
    REPORT = "report", "Report"
    OFFICER = "officer", "Officer"
    PARTNER = "partner", "Partner agency"


class Incident(models.Model):
    """A dated occurrence on a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="incidents")
    occurred_at = models.DateTimeField(db_index=True)
    occurred_until = models.DateTimeField(null=True, blank=True)
    property = models.ForeignKey(Property, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    location_text = models.CharField(max_length=250, blank=True)
    description = models.TextField()
    source = models.CharField(max_length=20, choices=IncidentSource.choices, default=IncidentSource.OFFICER)
    parties_involved = models.ManyToManyField(Party, blank=True, related_name="incidents_involved")
    witnesses = models.ManyToManyField(Party, blank=True, related_name="incidents_witnessed")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(occurred_until__isnull=True) | Q(occurred_until__gte=models.F("occurred_at")),
                name="incident_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"Incident {self.occurred_at:%Y-%m-%d %H:%M} on {self.case_id}"


class EvidenceFile(models.Model):
    """A file attached to a case; stored outside the web root, served only through a permission-checked view."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    incident = models.ForeignKey(Incident, on_delete=models.SET_NULL, null=True, blank=True, related_name="evidence")
    file = models.FileField(upload_to=evidence_upload_to, storage=evidence_storage, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, help_text="Detected from the content, not the name.")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(max_length=250, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.original_name


class Direction(models.TextChoices):
    INBOUND = "inbound", "From them to us"
    OUTBOUND = "outbound", "From us to them"


class ContactPurpose(models.TextChoices):
    GENERAL = "general", "Update or general contact"
    FIRST_RESPONSE = "first_response", "First response (stops the response clock)"
    INITIAL_ASSESSMENT = "initial_assessment", "Initial assessment (anonymous report: stops the response clock)"
    CONTACT_PLAN = "contact_plan", "Agreed contact under the contact plan"
    OUTCOME_DISCUSSION = "outcome_discussion", "Outcome discussed before closure"


class Contact(models.Model):
    """One communication with a party (or an attempt: `successful` False)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts")
    method = models.CharField(max_length=15, choices=ContactMethod.choices)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.OUTBOUND)
    purpose = models.CharField(max_length=20, choices=ContactPurpose.choices, default=ContactPurpose.GENERAL)
    successful = models.BooleanField(default=True, help_text="False when we tried and could not reach them.")
    override_reason = models.TextField(
        blank=True, help_text="Why we contacted them in a way their safe-contact instructions rule out (ADR 0009)."
    )
    occurred_at = models.DateTimeField(db_index=True)
    summary = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.occurred_at:%Y-%m-%d} on {self.case_id}"


class Note(models.Model):
    """A free-text note; `shareable` notes may appear on the reporter's status page."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()
    shareable = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Note on {self.case_id} at {self.created_at:%Y-%m-%d %H:%M}"


class ActionKind(models.TextChoices):
    ACTION_PLAN = "action_plan", "Action plan item"
    TASK = "task", "Task"


class ActionItem(models.Model):
    """An action plan item or a task: owner, due date, done."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=15, choices=ActionKind.choices, default=ActionKind.TASK)
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="case_actions"
    )
    due_date = models.DateField(null=True, blank=True, db_index=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_note = models.CharField(max_length=300, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["done_at", "due_date", "id"]

    def __str__(self) -> str:
        return self.description


class ContactPlan(models.Model):
    """Frequency and method of contact agreed with the reporter (policy: 'Agree frequency and method of contact')."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="contact_plan")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="contact_plans")
    frequency_days = models.PositiveSmallIntegerField(help_text="Contact at least every this many days.")
    method = models.CharField(max_length=15, choices=ContactMethod.choices)
    safe_times = models.CharField(max_length=250, blank=True, help_text="When it is safe to contact them.")
    language = models.CharField(max_length=60, blank=True)
    format = models.CharField(max_length=60, blank=True)
    agreed_at = models.DateTimeField()
    next_due_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(frequency_days__gte=1), name="contact_plan_frequency")]

    def __str__(self) -> str:
        return f"Every {self.frequency_days} days by {self.get_method_display()}"


class ContactPlanReminder(models.Model):
    """A reminder to the officer that a contact under the plan is due: one per plan and due time (DESIGN.md §7)."""

    plan = models.ForeignKey(ContactPlan, on_delete=models.CASCADE, related_name="reminders")
    due_at = models.DateTimeField(help_text="The plan's next contact time this reminder was about.")
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "due_at"], name="contact_plan_reminder_once")]

    def __str__(self) -> str:
        return f"Contact reminder for plan {self.plan_id} due {self.due_at:%Y-%m-%d %H:%M}"


class AccessGrant(models.Model):
    """Break-glass access: a manager opened a case they are not otherwise entitled to see, with a reason."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="access_grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.case_id} until {self.expires_at:%Y-%m-%d %H:%M}"


# Claims of the worker's response alerts live in their own module; importing them here registers them with the app
# and keeps `from saferhomes.cases.models import ResponseAlert` working.
from saferhomes.cases.alert_models import ResponseAlert as ResponseAlert  # noqa: E402
from saferhomes.cases.alert_models import ResponseAlertKind as ResponseAlertKind  # noqa: E402

# The closure survey lives in its own module (as above); `cases.models.survey_expiry_default` stays importable for
# migration 0002.
from saferhomes.cases.survey_models import SURVEY_VALID_FOR as SURVEY_VALID_FOR  # noqa: E402
from saferhomes.cases.survey_models import SatisfactionScore as SatisfactionScore  # noqa: E402
from saferhomes.cases.survey_models import SurveyDelivery as SurveyDelivery  # noqa: E402
from saferhomes.cases.survey_models import SurveyInvitation as SurveyInvitation  # noqa: E402
from saferhomes.cases.survey_models import survey_expiry_default as survey_expiry_default  # noqa: E402
