"""Partnership (issue 15): the agency directory, referrals from a case to an agency (police, MARAC, safeguarding,
support, mediation), support offers, information-sharing agreements, every disclosure, and partner access to
shared parts of a case.

Policy: "criminal ASB and hate crime is reported quickly to the relevant authorities", "promptly referring cases to
other agencies for action or support", "offering support to those involved ... and encouraging them to accept the
support offered", "sharing information only with other organisations that can help with the problem whilst observing
data protection laws, GDPR and information sharing principles". Invariants are database constraints as well.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from saferhomes.cases.models import Case, Party
from saferhomes.cases.storage import evidence_storage, evidence_upload_to


class AgencyKind(models.TextChoices):
    POLICE = "police", "Police"
    COUNCIL = "council", "Council (ASB team, environmental health)"
    CSP = "csp", "Community safety partnership"
    MARAC = "marac", "MARAC coordinator"
    IDVA = "idva", "IDVA service"
    SOCIAL_CARE = "social_care", "Children's or adult social care"
    HEALTH = "health", "Health or mental health"
    DRUG_ALCOHOL = "drug_alcohol", "Drug and alcohol service"
    VICTIM_SUPPORT = "victim_support", "Victim support"
    MEDIATION = "mediation", "Mediation"
    YOT = "yot", "Youth offending team"
    OTHER = "other", "Other"


class Agency(models.Model):
    """An organisation we refer to and share with: Open Referral UK-style fields (name, description, contact, area
    served, eligibility, how to refer), and whether it is entitled to domestic abuse information."""

    code = models.SlugField(max_length=30, unique=True, help_text="Short stable key, e.g. WYP-LEEDS-NPT.")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=AgencyKind.choices)
    description = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    secure_email = models.EmailField(blank=True, help_text="For personal information (e.g. a .pnn or .gcsx address).")
    phone = models.CharField(max_length=30, blank=True)
    website = models.URLField(blank=True)
    address = models.CharField(max_length=250, blank=True)
    area_served = models.CharField(max_length=250, blank=True)
    eligibility = models.TextField(blank=True, help_text="Who the service is for.")
    how_to_refer = models.TextField(blank=True)
    handles_da = models.BooleanField(
        default=False, help_text="Entitled to domestic abuse information (MARAC, IDVA, police public protection)."
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "agencies"
        permissions = [("manage_agencies", "Can change the agency directory")]
        constraints = [models.CheckConstraint(condition=Q(kind__in=AgencyKind.values), name="agency_kind_valid")]

    def __str__(self) -> str:
        return self.name


class PartnerMembership(models.Model):
    """Which agency a partner user works for (a partner sees only what is shared with their agency)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_membership")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="members")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        permissions = [("view_shared_cases", "Partner: can see the parts of cases shared with their agency")]

    def __str__(self) -> str:
        return f"{self.user} at {self.agency}"


class LawfulBasis(models.TextChoices):
    """UK GDPR Article 6(1) bases a landlord relies on to share personal data with partners."""

    CONSENT = "consent", "Consent (Article 6(1)(a))"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation (6(1)(c))"
    VITAL_INTERESTS = "vital_interests", "Vital interests (6(1)(d))"
    PUBLIC_TASK = "public_task", "Public task (6(1)(e))"
    LEGITIMATE_INTERESTS = "legitimate_interests", "Legitimate interests (6(1)(f))"


class Consent(models.TextChoices):
    """The consent position when we refer: asked and given, asked and refused, or not sought (with why)."""

    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"
    NOT_SOUGHT = "not_sought", "Not sought"


class ReferralKind(models.TextChoices):
    POLICE = "police", "Police (crime or incident report)"
    MARAC = "marac", "MARAC"
    SAFEGUARDING = "safeguarding", "Safeguarding (children's or adult social care)"
    SUPPORT = "support", "Support service"
    MEDIATION = "mediation", "Mediation"
    OTHER = "other", "Other"


class Referral(models.Model):
    """A case referred to an agency: why, what was shared and on what basis, and what came of it.

    Outstanding until an outcome is recorded or it is withdrawn; an outstanding referral blocks closure. A police
    referral holds the crime or incident reference and is timed from `clock_started_at` (when the police-referral
    prompt was shown at triage, else the report's receipt) to `sent_at`."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals")
    kind = models.CharField(max_length=15, choices=ReferralKind.choices)
    reason = models.TextField()
    information_shared = models.TextField(help_text="What was sent to the agency, in words.")
    lawful_basis = models.CharField(max_length=25, choices=LawfulBasis.choices)
    consent = models.CharField(max_length=12, choices=Consent.choices)
    consent_note = models.TextField(blank=True, help_text="Who gave or refused consent, or why it was not sought.")
    crime_reference = models.CharField(max_length=40, blank=True, help_text="Police: crime or incident number.")
    clock_started_at = models.DateTimeField(help_text="When the time to refer began (prompt at triage, or receipt).")
    sent_at = models.DateTimeField(db_index=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-sent_at", "-id"]
        permissions = [("refer_case", "Can refer a case to an agency and record what came of it")]
        indexes = [
            models.Index(
                fields=["sent_at"],
                name="referral_unacknowledged_idx",
                condition=Q(acknowledged_at__isnull=True, outcome_at__isnull=True, withdrawn_at__isnull=True),
            )
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ReferralKind.values), name="referral_kind_valid"),
            models.CheckConstraint(condition=Q(lawful_basis__in=LawfulBasis.values), name="referral_basis_valid"),
            models.CheckConstraint(condition=Q(consent__in=Consent.values), name="referral_consent_valid"),
            models.CheckConstraint(condition=Q(sent_at__gte=models.F("clock_started_at")), name="referral_after_clock"),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(acknowledged_at__gte=models.F("sent_at")),
                name="referral_acknowledged_after_sent",
            ),
            models.CheckConstraint(
                condition=Q(outcome_at__isnull=True) | ~Q(outcome=""), name="referral_outcome_has_words"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""), name="referral_withdrawn_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(kind="police") | ~Q(crime_reference=""), name="referral_police_has_crime_reference"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} referral of {self.case_id} to {self.agency_id}"

    @property
    def outstanding(self) -> bool:
        """Neither an outcome nor withdrawn: the case waits on it."""
        return self.outcome_at is None and self.withdrawn_at is None


class ReferralChase(models.Model):
    """A reminder to the officer that a referral has not been acknowledged: one per referral and step."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="chases")
    step = models.PositiveSmallIntegerField(help_text="1 for the first chase, 2 for the second...")
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["referral", "step"], name="referral_chase_once_per_step")]

    def __str__(self) -> str:
        return f"Chase {self.step} of referral {self.referral_id}"


class SupportKind(models.TextChoices):
    TENANCY_SUSTAINMENT = "tenancy_sustainment", "Tenancy sustainment"
    MENTAL_HEALTH = "mental_health", "Mental health"
    DRUG_ALCOHOL = "drug_alcohol", "Drug and alcohol"
    VICTIM_SUPPORT = "victim_support", "Victim support"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse support (IDVA, refuge)"
    DEBT_ADVICE = "debt_advice", "Money and debt advice"
    MEDIATION = "mediation", "Mediation"
    YOUTH = "youth", "Youth services"
    OTHER = "other", "Other"


class SupportStatus(models.TextChoices):
    OFFERED = "offered", "Offered, waiting for an answer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class SupportOffer(models.Model):
    """Support offered to someone on a case (victim, witness or perpetrator): accepted, or declined with a reason and
    a date to offer again."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="support_offers")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="support_offers")
    kind = models.CharField(max_length=25, choices=SupportKind.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="support_offers")
    offered_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=SupportStatus.choices, default=SupportStatus.OFFERED)
    decided_at = models.DateTimeField(null=True, blank=True)
    declined_reason = models.TextField(blank=True)
    offer_again_on = models.DateField(null=True, blank=True, help_text="When to offer again after a refusal.")
    outcome = models.TextField(blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-offered_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SupportKind.values), name="support_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=SupportStatus.values), name="support_status_valid"),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(declined_reason=""), name="support_declined_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(status="offered") | Q(decided_at__isnull=False), name="support_decision_dated"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} offered on {self.case_id}"


class SharingAgreement(models.Model):
    """An information-sharing agreement (ISA): who shares what, why, from when, reviewed when."""

    name = models.CharField(max_length=200)
    agencies = models.ManyToManyField(Agency, related_name="agreements")
    purpose = models.TextField()
    data_shared = models.TextField(help_text="The kinds of personal data the agreement covers.")
    lawful_basis = models.CharField(max_length=25, choices=LawfulBasis.choices)
    starts_on = models.DateField()
    review_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    document = models.FileField(storage=evidence_storage, upload_to=evidence_upload_to, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["review_on", "name"]
        permissions = [("manage_agreements", "Can record information-sharing agreements")]
        constraints = [
            models.CheckConstraint(condition=Q(review_on__gte=models.F("starts_on")), name="agreement_review_after"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")), name="agreement_ends_after"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AgreementReviewReminder(models.Model):
    """A reminder that an agreement is due for review: one per agreement and review date."""

    agreement = models.ForeignKey(SharingAgreement, on_delete=models.CASCADE, related_name="review_reminders")
    review_on = models.DateField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "review_on"], name="agreement_review_reminded_once")
        ]

    def __str__(self) -> str:
        return f"Review reminder for agreement {self.agreement_id} due {self.review_on}"


class SharePart(models.TextChoices):
    SUMMARY = "summary", "Summary (type, status, what has been happening)"
    INCIDENTS = "incidents", "Incidents"
    RISK = "risk", "Risk result"
    DOCUMENTS = "documents", "Documents (evidence files)"


class CaseShare(models.Model):
    """Named parts of a case shared with an agency until `ends_on` (or until withdrawn). The partner sees exactly
    those parts and nothing else; every read is audited."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="shares")
    parts = models.JSONField(help_text="SharePart values.")
    lawful_basis = models.CharField(max_length=25, choices=LawfulBasis.choices)
    agreement = models.ForeignKey(
        SharingAgreement, on_delete=models.PROTECT, null=True, blank=True, related_name="shares"
    )
    reason = models.TextField()
    starts_at = models.DateTimeField(default=timezone.now)
    ends_on = models.DateField(help_text="The last day the partner may see it.")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_at", "-id"]
        permissions = [("share_case", "Can share parts of a case with a partner agency")]
        indexes = [models.Index(fields=["agency", "ends_on"], name="share_agency_ends_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(lawful_basis__in=LawfulBasis.values), name="share_basis_valid"),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""), name="share_withdrawn_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"Case {self.case_id} shared with {self.agency_id} until {self.ends_on}"


class PartnerUpdate(models.Model):
    """An update a partner adds to a case shared with them, with an optional document: on the case timeline, marked
    as from the partner."""

    share = models.ForeignKey(CaseShare, on_delete=models.PROTECT, related_name="updates")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="partner_updates")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="updates")
    text = models.TextField()
    file = models.FileField(storage=evidence_storage, upload_to=evidence_upload_to, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Update from {self.agency_id} on {self.case_id}"


class DisclosureSource(models.TextChoices):
    REFERRAL = "referral", "Referral"
    MARAC_FORM = "marac_form", "MARAC referral form"
    SHARE = "share", "Case shared with a partner"
    PARTNER_READ = "partner_read", "Partner read a shared case"
    OTHER = "other", "Other disclosure"


class Disclosure(models.Model):
    """Personal data disclosed outside the landlord: what, to whom, when, why, under which agreement or lawful basis,
    by whom. Written by the services that disclose (referrals, the MARAC form, shares), never edited."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="disclosures")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="disclosures")
    source = models.CharField(max_length=15, choices=DisclosureSource.choices)
    what = models.TextField()
    reason = models.TextField()
    lawful_basis = models.CharField(max_length=25, choices=LawfulBasis.choices)
    agreement = models.ForeignKey(
        SharingAgreement, on_delete=models.PROTECT, null=True, blank=True, related_name="disclosures"
    )
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    share = models.ForeignKey(CaseShare, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    disclosed_at = models.DateTimeField(default=timezone.now, db_index=True)
    disclosed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-disclosed_at", "-id"]
        permissions = [("view_disclosure_log", "Can read the disclosure log")]
        constraints = [
            models.CheckConstraint(condition=Q(source__in=DisclosureSource.values), name="disclosure_source_valid"),
            models.CheckConstraint(condition=Q(lawful_basis__in=LawfulBasis.values), name="disclosure_basis_valid"),
        ]

    def __str__(self) -> str:
        return f"Disclosure to {self.agency_id} at {self.disclosed_at:%Y-%m-%d %H:%M}"


class CaseConference(models.Model):
    """A multi-agency case conference: when, who came, what was decided, and the actions agreed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conferences")
    held_on = models.DateField()
    agencies = models.ManyToManyField(Agency, related_name="conferences", blank=True)
    attendees = models.TextField(help_text="Who attended, one per line (name, role, organisation).")
    decisions = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Case conference on {self.case_id}, {self.held_on}"


class ConferenceAction(models.Model):
    """An action agreed at a case conference, owned by an agency (or by us) and named person."""

    conference = models.ForeignKey(CaseConference, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    owner_name = models.CharField(max_length=150, help_text="Who will do it (blank agency: the landlord).")
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["done_at", "due_on", "id"]

    def __str__(self) -> str:
        return self.description


class MaracForm(models.Model):
    """The MARAC referral form produced for a required MARAC decision (issue 15 item 3): the PDF as sent, kept in
    private storage and opened only by staff in the DA permission set (audited), with the officer's own words. One per
    decision; its referral is the Referral (kind marac) to the MARAC coordinator."""

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="marac_form")
    # CASCADE, not PROTECT: the decision and the referral are deleted with their case (retention) in one cascade.
    decision = models.ForeignKey("risk.MaracDecision", on_delete=models.CASCADE, related_name="+")
    file = models.FileField(storage=evidence_storage, upload_to=evidence_upload_to)
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the PDF as produced.")
    size = models.PositiveIntegerField()
    reason = models.TextField(help_text="Why the case is referred, in the officer's words.")
    victim_wants = models.TextField(blank=True, help_text="What the victim wants to happen, in their words if known.")
    safety_actions = models.TextField(help_text="Immediate safety actions taken or planned.")
    produced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    produced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-produced_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["decision"], name="marac_form_once_per_decision"),
            models.CheckConstraint(condition=~Q(reason="") & ~Q(safety_actions=""), name="marac_form_has_words"),
        ]

    def __str__(self) -> str:
        return f"MARAC referral form {self.pk} (referral {self.referral_id})"
