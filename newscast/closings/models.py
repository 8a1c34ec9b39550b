"""Closings and delays: organizations, their status for a date, and every change to it.

An organization has at most one status per date (`Status`), the one readers see; every change
that led to it, every submission held for an editor and every refusal is a `StatusChange` row
that is never edited, so "who said what, when, and how" can always be answered.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from newscast.core.models import County


class OrganizationKind(models.TextChoices):
    PUBLIC_SCHOOLS = "public_schools", "Public school district"
    PRIVATE_SCHOOL = "private_school", "Private school"
    COLLEGE = "college", "College"
    GOVERNMENT = "government", "Government office"
    BUSINESS = "business", "Business"
    CHURCH = "church", "Church"
    OTHER = "other", "Other"


class StatusKind(models.TextChoices):
    CLOSED = "closed", "Closed"
    DELAYED = "delayed", "Delayed"
    EARLY_DISMISSAL = "early_dismissal", "Early dismissal"
    REMOTE = "remote", "Remote / virtual"
    OPEN = "open", "Open / normal schedule"


# Statuses that count as "closings and delays" in the header mark and the board's counts; an
# organization reporting a normal schedule is listed but not counted.
COUNTED_KINDS = [k for k in StatusKind.values if k != StatusKind.OPEN]


class Via(models.TextChoices):
    ADMIN = "admin", "Admin"
    QUICK_ENTRY = "quick_entry", "Quick entry"
    SELF_SERVICE = "self_service", "Organization's form"
    CSV = "csv", "CSV import"
    DRILL = "drill", "Drill"
    COMMAND = "command", "Command"


# An organization's number: capitals, digits and hyphens, typed first on the quick entry line.
CODE_PATTERN = r"^[A-Z0-9][A-Z0-9-]*$"


class Organization(models.Model):
    """A school, office, church or business in a covered county whose status readers follow."""

    name = models.CharField(max_length=150)
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Reference county (data desk geography); the board groups by it.",
    )
    kind = models.CharField(max_length=20, choices=OrganizationKind.choices)
    contact = models.CharField(
        max_length=200, blank=True, help_text="Who calls in, and how to call back. Never shown."
    )
    code = models.CharField(
        max_length=20,
        unique=True,
        validators=[RegexValidator(CODE_PATTERN, "Capital letters, digits and hyphens only.")],
        help_text="The organization's number on the public form (with its PIN), e.g. LEE-0042.",
    )
    pin_hash = models.CharField(max_length=100, blank=True, editable=False)
    needs_approval = models.BooleanField(
        default=False,
        help_text="Hold this organization's own submissions until an editor approves them.",
    )
    is_sample = models.BooleanField(default=False, help_text="Demo organization (fictional).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "county"], name="unique_org_in_county")
        ]

    def __str__(self):
        return f"{self.name} ({self.county.name})"


class Status(models.Model):
    """What an organization does on one date: the latest applied change wins."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="statuses"
    )
    date = models.DateField(help_text="Station date; the status stops showing after it ends.")
    kind = models.CharField(max_length=20, choices=StatusKind.choices)
    delay_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True, help_text="Plain text; tags are removed.")
    updated_at = models.DateTimeField()
    updated_via = models.CharField(max_length=20, choices=Via.choices)

    class Meta:
        verbose_name_plural = "statuses"
        constraints = [
            models.UniqueConstraint(fields=["organization", "date"], name="unique_status_per_date")
        ]
        indexes = [models.Index(fields=["date", "kind"])]

    def __str__(self):
        return f"{self.organization.name}: {self.get_kind_display()} on {self.date}"


class ChangeOutcome(models.TextChoices):
    APPLIED = "applied", "Applied"
    HELD = "held", "Held for approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    REMOVED = "removed", "Removed"


class StatusChange(models.Model):
    """One change asked for, with who, when and how; never edited after it is written."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="changes")
    date = models.DateField()
    kind = models.CharField(max_length=20, choices=StatusKind.choices, blank=True)
    delay_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=10, choices=ChangeOutcome.choices)
    via = models.CharField(max_length=20, choices=Via.choices)
    changed_at = models.DateTimeField(db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_from = models.GenericIPAddressField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.organization.name} {self.date}: {self.kind or 'removed'} ({self.outcome})"


class FormAttempt(models.Model):
    """One use of the public form, right or wrong: the log and the rate limit's memory."""

    at = models.DateTimeField(db_index=True)
    address = models.GenericIPAddressField()
    code_typed = models.CharField(max_length=20, blank=True)
    succeeded = models.BooleanField()
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["address", "at"])]

    def __str__(self):
        return f"{self.address} {self.at:%Y-%m-%d %H:%M} {'ok' if self.succeeded else 'refused'}"


class BoardVersion(models.Model):
    """One row whose number moves with every change readers could see.

    The board, its feeds and the header mark are cached under this number (and the station
    date), so a change shows on the next request in every process, as the news desk's
    content version does for pages (docs/decisions/closings-board-caching.md).
    """

    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True)

    def __str__(self):
        return f"Closings board version {self.number}"
