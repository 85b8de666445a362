"""Letters and evidence bundles (issue 16 parts 4 and 5).

A `LetterTemplate` is text an administrator edits with merge fields from a fixed list (`documents.merge`); every
saved change is kept as a `LetterTemplateVersion`, so a sent `Letter` points at the exact words it was merged from.
A `Letter` keeps the merged text as sent, its PDF in private storage (the evidence storage: no URL, downloads are
permission-checked and audited) and the PDF's SHA-256.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from saferhomes.cases.storage import evidence_storage


class Audience(models.TextChoices):
    """Who a template is written to: decides which merge fields it may use (`documents.merge`)."""

    REPORTER = "reporter", "Reporter"
    VICTIM = "victim", "Victim"
    WITNESS = "witness", "Witness"
    ALLEGED_PERPETRATOR = "alleged_perpetrator", "Alleged perpetrator"
    OTHER = "other", "Other party"
    APPLICANT = "applicant", "Case Review applicant"  # not a party to a case: case_review sends these (ADR 0014)


class Variant(models.TextChoices):
    """The letter's format, a reasonable adjustment: the party's preferred format chooses the default."""

    STANDARD = "standard", "Standard"
    LARGE_PRINT = "large_print", "Large print"
    EASY_READ = "easy_read", "Plain English (easy read)"


class SentBy(models.TextChoices):
    POST = "post", "Post"
    EMAIL = "email", "Email"
    HAND = "hand", "By hand"


class LetterTemplate(models.Model):
    """The current words of one kind of letter; older words are in `versions`."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=150)
    audience = models.CharField(max_length=25, choices=Audience.choices)
    body = models.TextField(help_text="Plain text with {{ merge.fields }} from the listed set only.")
    version = models.PositiveIntegerField(default=1)
    active = models.BooleanField(default=True)
    shipped = models.BooleanField(default=False, help_text="Loaded from the shipped file (documents/template_files).")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        permissions = [("manage_templates", "Can edit letter templates")]
        constraints = [
            models.CheckConstraint(condition=Q(audience__in=Audience.values), name="lettertemplate_audience")
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"


class LetterTemplateVersion(models.Model):
    """One saved version of a template, never changed afterwards."""

    template = models.ForeignKey(LetterTemplate, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    name = models.CharField(max_length=150)
    audience = models.CharField(max_length=25, choices=Audience.choices)
    body = models.TextField()
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["template", "-version"]
        constraints = [models.UniqueConstraint(fields=["template", "version"], name="lettertemplateversion_uniq")]

    def __str__(self) -> str:
        return f"{self.name} version {self.version}"


def letter_upload_to(instance: Letter, filename: str) -> str:
    return f"letters/{timezone.now():%Y/%m}/{instance.sha256[:32] or 'letter'}.pdf"


class Letter(models.Model):
    """A letter as sent: to whom, from which template version, the merged words and the PDF."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="letters")
    # SET_NULL: a case erased with its parties takes its letters with it (case CASCADE); the name as sent stays.
    party = models.ForeignKey("cases.Party", on_delete=models.SET_NULL, null=True, related_name="letters")
    recipient_name = models.CharField(max_length=250, help_text="Who it was addressed to, as sent.")
    template = models.ForeignKey(LetterTemplate, on_delete=models.PROTECT, related_name="letters")
    template_version = models.ForeignKey(LetterTemplateVersion, on_delete=models.PROTECT, related_name="letters")
    variant = models.CharField(max_length=15, choices=Variant.choices, default=Variant.STANDARD)
    text = models.TextField(help_text="The merged text as sent.")
    pdf = models.FileField(upload_to=letter_upload_to, storage=evidence_storage, max_length=200)
    sha256 = models.CharField(max_length=64)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_how = models.CharField(max_length=10, choices=SentBy.choices, default=SentBy.POST)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.template.name} to {self.recipient_name}"
