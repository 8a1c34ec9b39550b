"""Writes of the closings desk: statuses (with their history), approvals, PINs, imports.

Every write that readers could see moves the board version inside the same transaction
(board_version_bump), so cached boards, feeds and the header mark go stale at its commit.
"""

from __future__ import annotations

import html
import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from newscast.closings.clock import MAX_DAYS_AHEAD, station_today
from newscast.closings.models import (
    BoardVersion,
    ChangeOutcome,
    FormAttempt,
    Organization,
    Status,
    StatusChange,
    StatusKind,
    Via,
)
from newscast.core.sanitize import clean_text

NOTE_MAX_LENGTH = 200
# Longest delay we accept: beyond half a day, a "delay" is a closing or an early dismissal.
MAX_DELAY_MINUTES = 6 * 60
PIN_PATTERN = re.compile(r"^\d{4,8}$")
_PIN_SALT = "newscast.closings.pin"


class StatusRefused(ValueError):
    """A status that cannot be applied; the message says what to fix."""


# --- PINs --------------------------------------------------------------------------------
# A keyed HMAC with a per-organization salt rather than Django's password hashers: a PIN
# is checked on every form submission and set for thousands of organizations in one import,
# and PBKDF2's deliberate slowness would cost seconds there while adding little to a secret
# of 4-8 digits; the rate limit is what protects a PIN (docs/decisions/closings-self-service.md).


def _pin_digest(salt: str, pin: str) -> str:
    return salted_hmac(_PIN_SALT, f"{salt}:{pin}", algorithm="sha256").hexdigest()


def pin_set(organization: Organization, pin: str) -> None:
    """Give the organization a new PIN (4 to 8 digits); the old one stops working."""
    if not PIN_PATTERN.match(pin or ""):
        raise StatusRefused("A PIN is 4 to 8 digits.")
    salt = secrets.token_hex(8)
    organization.pin_hash = f"{salt}${_pin_digest(salt, pin)}"


def pin_generate() -> str:
    """A random 6-digit PIN for a new organization."""
    return f"{secrets.randbelow(10**6):06d}"


def pin_matches(organization: Organization | None, pin: str) -> bool:
    """True when the PIN is the organization's. Costs the same when there is no organization,
    so the answer's timing says nothing about which codes exist."""
    stored = organization.pin_hash if organization else ""
    salt, _, digest = stored.partition("$")
    candidate = _pin_digest(salt or "no-such-organization", pin or "")
    return bool(digest) and constant_time_compare(candidate, digest)


# --- the board version -------------------------------------------------------------------


def board_version_bump() -> None:
    """Move the board version: cached boards, feeds and the mark are stale from this commit."""
    now = timezone.now()
    moved = BoardVersion.objects.filter(pk=1).update(number=F("number") + 1, changed_at=now)
    if not moved:
        BoardVersion.objects.get_or_create(pk=1, defaults={"number": 1, "changed_at": now})


# --- statuses ----------------------------------------------------------------------------


def note_clean(note: str) -> str:
    """A note as plain text: tags removed, entities decoded, spaces collapsed, cut to size."""
    text = html.unescape(clean_text(note or ""))
    return " ".join(text.split())[:NOTE_MAX_LENGTH]


@dataclass(frozen=True)
class StatusRequest:
    """What someone asked for: a status for an organization on a date."""

    organization: Organization
    date: date
    kind: str
    delay_minutes: int | None = None
    note: str = ""


def status_check(request: StatusRequest, today: date | None = None) -> StatusRequest:
    """The request with its note cleaned, or StatusRefused saying what is wrong."""
    today = today or station_today()
    if request.kind not in StatusKind.values:
        raise StatusRefused(f"Unknown status {request.kind!r}; use one of {StatusKind.values}.")
    if request.date < today:
        raise StatusRefused(f"{request.date} has passed; statuses are for today or later.")
    if request.date > today + timedelta(days=MAX_DAYS_AHEAD):
        raise StatusRefused(f"{request.date} is more than {MAX_DAYS_AHEAD} days ahead.")
    delay = request.delay_minutes
    if request.kind == StatusKind.DELAYED:
        if not delay or not 0 < delay <= MAX_DELAY_MINUTES:
            raise StatusRefused(
                f"A delay needs its length in minutes (1 to {MAX_DELAY_MINUTES}), e.g. 120."
            )
    else:
        delay = None
    return StatusRequest(request.organization, request.date, request.kind, delay,
                         note_clean(request.note))  # fmt: skip


def status_set(
    request: StatusRequest,
    *,
    via: str,
    user=None,
    address: str | None = None,
    hold: bool = False,
    today: date | None = None,
) -> StatusChange:
    """Apply a status (or hold it for an editor) and record the change.

    The latest applied change wins: a repeated or conflicting submission replaces the
    status and both stay in the history.
    """
    request = status_check(request, today)
    now = timezone.now()
    with transaction.atomic():
        change = StatusChange.objects.create(
            organization=request.organization,
            date=request.date,
            kind=request.kind,
            delay_minutes=request.delay_minutes,
            note=request.note,
            outcome=ChangeOutcome.HELD if hold else ChangeOutcome.APPLIED,
            via=via,
            changed_at=now,
            changed_by=user,
            submitted_from=address,
        )
        if not hold:
            _status_write(change, now)
    return change


def _status_write(change: StatusChange, now) -> None:
    values = {
        "kind": change.kind,
        "delay_minutes": change.delay_minutes,
        "note": change.note,
        "updated_at": now,
        "updated_via": change.via,
    }
    key = {"organization_id": change.organization_id, "date": change.date}
    if not Status.objects.filter(**key).update(**values):
        try:
            with transaction.atomic():
                Status.objects.create(**key, **values)
        except IntegrityError:
            # Another writer created it between our update and create: ours is later.
            Status.objects.filter(**key).update(**values)
    board_version_bump()


def status_remove(organization: Organization, day: date, *, via: str, user=None) -> bool:
    """Take an organization's status for a date off the board; False if it had none."""
    with transaction.atomic():
        removed, _ = Status.objects.filter(organization=organization, date=day).delete()
        if not removed:
            return False
        StatusChange.objects.create(
            organization=organization,
            date=day,
            outcome=ChangeOutcome.REMOVED,
            via=via,
            changed_at=timezone.now(),
            changed_by=user,
        )
        board_version_bump()
    return True


def change_approve(change: StatusChange, user) -> bool:
    """Apply a held submission. False (and it is marked rejected) when a later change to the
    same organization and date was applied meanwhile: the latest word stands."""
    with transaction.atomic():
        change = StatusChange.objects.select_for_update().get(pk=change.pk)
        if change.outcome != ChangeOutcome.HELD:
            return False
        now = timezone.now()
        later = StatusChange.objects.filter(
            organization_id=change.organization_id,
            date=change.date,
            changed_at__gt=change.changed_at,
            outcome__in=[ChangeOutcome.APPLIED, ChangeOutcome.APPROVED, ChangeOutcome.REMOVED],
        ).exists()
        is_past = change.date < station_today(now)
        change.outcome = ChangeOutcome.REJECTED if later or is_past else ChangeOutcome.APPROVED
        change.reviewed_by, change.reviewed_at = user, now
        change.save(update_fields=["outcome", "reviewed_by", "reviewed_at"])
        if change.outcome == ChangeOutcome.APPROVED:
            _status_write(change, now)
    return change.outcome == ChangeOutcome.APPROVED


def change_reject(change: StatusChange, user) -> None:
    """Turn down a held submission; the board stays as it was."""
    StatusChange.objects.filter(pk=change.pk, outcome=ChangeOutcome.HELD).update(
        outcome=ChangeOutcome.REJECTED, reviewed_by=user, reviewed_at=timezone.now()
    )


def statuses_expire(today: date | None = None) -> int:
    """Delete statuses of dates that have ended (their history stays); returns how many.

    Readers never see them anyway (selectors read today and tomorrow only); this keeps the
    table the board reads small after a long winter.
    """
    removed, _ = Status.objects.filter(date__lt=today or station_today()).delete()
    return removed


# --- the organizations' own form ---------------------------------------------------------
# Limits per address: wrong codes are what a guesser makes, so they are few; right ones are
# capped too, so a leaked PIN cannot flood the history.
FORM_WINDOW = timedelta(minutes=15)
FORM_FAILURE_LIMIT = 5
FORM_ATTEMPT_LIMIT = 30
REFUSAL = "That organization number and PIN do not match. Check them, or call the newsroom."
LIMITED = "Too many tries from this address. Wait 15 minutes, or call the newsroom."


@dataclass(frozen=True)
class FormAnswer:
    """What the form tells the submitter: never which organizations exist."""

    accepted: bool
    message: str
    change: StatusChange | None = None


def form_is_limited(address: str, now=None) -> bool:
    """True when this address has used up its tries for now."""
    since = (now or timezone.now()) - FORM_WINDOW
    attempts = FormAttempt.objects.filter(address=address, at__gte=since)
    return (
        attempts.filter(succeeded=False).count() >= FORM_FAILURE_LIMIT
        or attempts.count() >= FORM_ATTEMPT_LIMIT
    )


def form_submit(
    *, address: str, code: str, pin: str, day: date, kind: str, delay_minutes=None, note=""
) -> FormAnswer:
    """An organization reports its status with its number and PIN; every try is logged.

    A wrong number and a wrong PIN get the same refusal in the same time, and both count
    toward the limit. Raises StatusRefused for a right code with an impossible status.
    """
    now = timezone.now()
    code = (code or "").strip().upper()[:20]
    if form_is_limited(address, now):
        FormAttempt.objects.create(at=now, address=address, code_typed=code, succeeded=False)
        return FormAnswer(False, LIMITED)
    organization = Organization.objects.filter(code=code).first() if code else None
    if not pin_matches(organization, pin):
        FormAttempt.objects.create(at=now, address=address, code_typed=code, succeeded=False)
        return FormAnswer(False, REFUSAL)
    FormAttempt.objects.create(
        at=now, address=address, code_typed=code, succeeded=True, organization=organization
    )
    request = StatusRequest(organization, day, kind, delay_minutes, note)
    hold = organization.needs_approval
    change = status_set(request, via=Via.SELF_SERVICE, address=address, hold=hold)
    if hold:
        return FormAnswer(
            True, "Thank you. The newsroom will check it before it goes on the board.", change
        )
    return FormAnswer(True, "Thank you. Your status is on the board.", change)
