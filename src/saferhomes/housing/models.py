"""The housing register: areas, estates, homes, tenancies and the people in them (imported from the housing system)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from saferhomes.housing import rules

UPRN_MAX = 999_999_999_999


def validate_postcode(value: str) -> None:
    """Model-field validator: a UK postcode in its canonical form."""
    try:
        canonical = rules.normalise_postcode(value)
    except rules.InvalidPostcodeError as exc:
        raise ValidationError(str(exc), code="invalid_postcode") from None
    if canonical != value:
        raise ValidationError(f"Write the postcode as {canonical}.", code="postcode_format")


class Area(models.Model):
    """A management area or patch that groups estates."""

    name = models.CharField(max_length=100)
    code = models.CharField(max_length=20, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Estate(models.Model):
    """An estate or scheme: a group of homes managed together."""

    name = models.CharField(max_length=100)
    code = models.CharField(max_length=20, unique=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="estates")
    # Where the estate is (WGS84), when the register has it: drawn on the hotspot map (issue 18 part 3).
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__isnull=False)
                    & Q(longitude__isnull=False)
                    & Q(latitude__gte=-90)
                    & Q(latitude__lte=90)
                    & Q(longitude__gte=-180)
                    & Q(longitude__lte=180)
                ),
                name="estate_coordinates_both_and_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PropertyType(models.TextChoices):
    HOUSE = "house", "House"
    FLAT = "flat", "Flat"
    MAISONETTE = "maisonette", "Maisonette"
    BUNGALOW = "bungalow", "Bungalow"
    BEDSIT = "bedsit", "Bedsit"
    OTHER = "other", "Other"


class Property(models.Model):
    """A home the landlord owns or manages, keyed by the housing management system's reference."""

    reference = models.CharField(max_length=40, unique=True, help_text="The housing management system's key.")
    address_line_1 = models.CharField(max_length=150)
    address_line_2 = models.CharField(max_length=150, blank=True)
    address_line_3 = models.CharField(max_length=150, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=8, db_index=True, validators=[validate_postcode])
    uprn = models.PositiveBigIntegerField(
        "UPRN",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(UPRN_MAX)],
        help_text="Unique Property Reference Number (1 to 12 digits), if known.",
    )
    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, null=True, blank=True, related_name="properties")
    property_type = models.CharField(max_length=20, choices=PropertyType.choices, default=PropertyType.OTHER)
    bedrooms = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(20)])
    is_owned = models.BooleanField(
        "owned by the landlord",
        default=True,
        help_text="Owned, rather than managed for another owner (TSM NM01 counts homes owned).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["postcode", "address_line_1", "reference"]
        verbose_name_plural = "properties"
        permissions = [("import_register", "Can import the housing register")]
        constraints = [
            models.UniqueConstraint(
                fields=["uprn"], condition=Q(uprn__isnull=False), name="housing_property_uprn_uniq"
            ),
            models.CheckConstraint(
                condition=Q(uprn__isnull=True) | Q(uprn__gte=1, uprn__lte=UPRN_MAX), name="housing_property_uprn_range"
            ),
            models.CheckConstraint(
                condition=Q(property_type__in=PropertyType.values), name="housing_property_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(bedrooms__isnull=True) | Q(bedrooms__lte=20), name="housing_property_bedrooms_range"
            ),
            models.CheckConstraint(condition=~Q(reference=""), name="housing_property_reference_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.address_line_1}, {self.postcode}"

    @property
    def address_lines(self) -> list[str]:
        """The non-blank lines of the address, town and postcode last."""
        lines = [self.address_line_1, self.address_line_2, self.address_line_3, self.town, self.postcode]
        return [line for line in lines if line]

    def clean_fields(self, exclude: Any = None) -> None:
        # Accept any spacing or case in forms; store the canonical form.
        if self.postcode and rules.is_uk_postcode(self.postcode):
            self.postcode = rules.normalise_postcode(self.postcode)
        super().clean_fields(exclude=exclude)


class TenancyType(models.TextChoices):
    SECURE = "secure", "Secure"
    ASSURED = "assured", "Assured"
    STARTER = "starter", "Starter or introductory"
    FIXED_TERM = "fixed_term", "Fixed-term"
    LEASEHOLD = "leasehold", "Leasehold"
    LICENCE = "licence", "Licence"


class TenancyRelationship(models.TextChoices):
    LEAD_TENANT = "lead_tenant", "Lead tenant"
    JOINT_TENANT = "joint_tenant", "Joint tenant"
    HOUSEHOLD_MEMBER = "household_member", "Household member"


class Tenancy(models.Model):
    """A tenancy, lease or licence of one home, with the people who hold it or live there."""

    reference = models.CharField(max_length=40, unique=True, help_text="The housing management system's key.")
    property = models.ForeignKey(Property, on_delete=models.PROTECT, related_name="tenancies")
    tenancy_type = models.CharField(max_length=20, choices=TenancyType.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    people: models.ManyToManyField[Person, TenancyMember] = models.ManyToManyField(
        "Person", through="TenancyMember", related_name="tenancies"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "reference"]
        verbose_name_plural = "tenancies"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="housing_tenancy_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(tenancy_type__in=TenancyType.values), name="housing_tenancy_type_valid"),
            models.CheckConstraint(condition=~Q(reference=""), name="housing_tenancy_reference_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_tenancy_type_display()})"

    def is_current_on(self, on_date: dt.date) -> bool:
        """Whether the tenancy had started and not ended on a date."""
        return self.start_date <= on_date and (self.end_date is None or self.end_date >= on_date)


class TenancyMember(models.Model):
    """A person's place in a tenancy: lead tenant, joint tenant or household member."""

    tenancy = models.ForeignKey(Tenancy, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("Person", on_delete=models.PROTECT, related_name="tenancy_memberships")
    relationship = models.CharField(max_length=20, choices=TenancyRelationship.choices)

    class Meta:
        ordering = ["tenancy", "relationship", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenancy", "person"], name="housing_member_once_per_tenancy"),
            models.UniqueConstraint(
                fields=["tenancy"],
                condition=Q(relationship=TenancyRelationship.LEAD_TENANT),
                name="housing_one_lead_tenant_per_tenancy",
            ),
            models.CheckConstraint(
                condition=Q(relationship__in=TenancyRelationship.values), name="housing_member_relationship_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_relationship_display()} of {self.tenancy.reference}"


class VulnerabilityCategory(models.TextChoices):
    PHYSICAL_DISABILITY = "physical_disability", "Physical disability"
    LEARNING_DISABILITY = "learning_disability", "Learning disability"
    MENTAL_HEALTH = "mental_health", "Mental health"
    NEURODIVERGENCE = "neurodivergence", "Autism or other neurodivergence"
    SENSORY_IMPAIRMENT = "sensory_impairment", "Sight or hearing impairment"
    LONG_TERM_ILLNESS = "long_term_illness", "Long-term illness"
    OLDER_PERSON = "older_person", "Older person"
    SUBSTANCE_MISUSE = "substance_misuse", "Drug or alcohol dependency"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse (current or past)"
    CARE_LEAVER = "care_leaver", "Care leaver"
    LANGUAGE_BARRIER = "language_barrier", "Language barrier"
    SOCIAL_ISOLATION = "social_isolation", "Social isolation"
    OTHER = "other", "Other"


def validate_vulnerability_categories(value: Any) -> None:
    """Model-field validator: a list of distinct VulnerabilityCategory values."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError("Vulnerability categories must be a list of category codes.", code="invalid")
    unknown = [item for item in value if item not in VulnerabilityCategory.values]
    if unknown:
        raise ValidationError(f"Unknown vulnerability categories: {', '.join(unknown)}.", code="invalid_choice")
    if len(set(value)) != len(value):
        raise ValidationError("Each vulnerability category may appear only once.", code="duplicate")


class PreferredFormat(models.TextChoices):
    STANDARD = "standard", "Standard"
    LARGE_PRINT = "large_print", "Large print"
    EASY_READ = "easy_read", "Easy read"
    BRAILLE = "braille", "Braille"
    AUDIO = "audio", "Audio"
    BSL = "bsl", "British Sign Language"
    EMAIL_ONLY = "email_only", "Email only"


class ContactMethod(models.TextChoices):
    """Ways of contacting someone: what they chose as safe, what they asked us never to use, what we did."""

    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    VISIT = "visit", "Home visit"
    IN_PERSON = "in_person", "In person at an office"
    TEXT = "text", "Text message"
    VIDEO = "video", "Video call"


def validate_contact_avoid(value: Any) -> None:
    """Model-field validator: a list of distinct ContactMethod values (the ways never to use)."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError("Ways never to use must be a list of contact methods.", code="invalid")
    unknown = [item for item in value if item not in ContactMethod.values]
    if unknown:
        raise ValidationError(f"Unknown ways of contact: {', '.join(unknown)}.", code="invalid_choice")
    if len(set(value)) != len(value):
        raise ValidationError("Each way of contact may appear only once.", code="duplicate")


class Person(models.Model):
    """A tenant or household member: contact details, safe-contact instructions, vulnerabilities and adjustments."""

    reference = models.CharField(
        max_length=40, blank=True, help_text="The housing management system's key, if the person has one."
    )
    title = models.CharField(max_length=20, blank=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    mobile = models.CharField(max_length=30, blank=True)
    safe_contact_notes = models.TextField(
        blank=True, help_text="How and when it is safe to contact this person, e.g. 'do not call before 6pm'."
    )
    contact_avoid = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_contact_avoid],
        help_text="ContactMethod values they asked us never to use (e.g. 'phone' for 'do not phone'), on every case.",
    )
    vulnerabilities = models.TextField(blank=True, help_text="What staff should know, in plain words.")
    vulnerability_categories = models.JSONField(
        default=list, blank=True, validators=[validate_vulnerability_categories]
    )
    reasonable_adjustments = models.TextField(blank=True)
    preferred_language = models.CharField(max_length=60, default="English")
    preferred_format = models.CharField(
        max_length=20, choices=PreferredFormat.choices, default=PreferredFormat.STANDARD
    )
    needs_interpreter = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["last_name", "first_name"], name="housing_person_name_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["reference"], condition=~Q(reference=""), name="housing_person_reference_uniq"
            ),
            models.CheckConstraint(
                condition=Q(preferred_format__in=PreferredFormat.values), name="housing_person_format_valid"
            ),
            models.CheckConstraint(condition=~Q(last_name=""), name="housing_person_last_name_not_blank"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        """Title, first and last name, as written on letters."""
        return " ".join(part for part in (self.title, self.first_name, self.last_name) if part)

    @property
    def vulnerability_category_labels(self) -> list[str]:
        """The human labels of the vulnerability categories, in stored order."""
        labels = dict(VulnerabilityCategory.choices)
        return [str(labels.get(code, code)) for code in self.vulnerability_categories or []]

    @property
    def contact_avoid_labels(self) -> list[str]:
        """The ways never to use to contact them, in words, in stored order."""
        labels = dict(ContactMethod.choices)
        return [str(labels.get(code, code)) for code in self.contact_avoid or []]

    def age_on(self, on_date: dt.date) -> int | None:
        """Age in completed years on a date, or None when the date of birth is not recorded."""
        return rules.age_on(self.date_of_birth, on_date) if self.date_of_birth else None

    def is_minor_on(self, on_date: dt.date) -> bool:
        """Whether this person is under 18 on a date (derived, never stored)."""
        return rules.is_minor_on(self.date_of_birth, on_date)
