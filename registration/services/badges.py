"""Badge codes: issuing, reissuing (which revokes the old code), the QR payload, and reading a scanned code.

A badge code is 128 random bits in 26 base32 characters, looked up in the database: nothing about
the person is in it, it cannot be guessed, and reissuing revokes the old one.
"""

from __future__ import annotations

import re
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from common.locking import lock

from ..models import Badge, Registration

QR_PREFIX = "MVT:"
LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})
CODE_RE = re.compile(r"^[A-Z2-7]{26}$")


def issue_badge(registration: Registration, *, now: datetime | None = None) -> Badge:
    """Revoke the registration's valid badge (if any) and issue a new one, atomically.

    Locks the registration row so two reissues cannot both leave a valid badge.
    """
    now = now or timezone.now()
    with transaction.atomic():
        lock(Registration.objects.filter(pk=registration.pk))
        Badge.objects.filter(registration=registration, revoked_at__isnull=True).update(revoked_at=now)
        return Badge.objects.create(registration=registration)


def current_badge(registration: Registration) -> Badge:
    """The registration's valid badge, issued now if it has none."""
    badge = Badge.objects.filter(registration=registration, revoked_at__isnull=True).first()
    if badge is not None:
        return badge
    try:
        with transaction.atomic():
            return Badge.objects.create(registration=registration)
    except IntegrityError:
        # Another request issued it first: the partial unique constraint lets only one through.
        return Badge.objects.get(registration=registration, revoked_at__isnull=True)


def current_badges(registrations) -> dict[int, Badge]:
    """Valid badges for many registrations in a few queries, issuing the missing ones in bulk."""
    ids = [r.pk for r in registrations]
    badges = {b.registration_id: b for b in Badge.objects.filter(registration_id__in=ids, revoked_at__isnull=True)}
    missing = [pk for pk in ids if pk not in badges]
    if missing:
        Badge.objects.bulk_create([Badge(registration_id=pk) for pk in missing], ignore_conflicts=True)
        badges.update(
            {b.registration_id: b for b in Badge.objects.filter(registration_id__in=missing, revoked_at__isnull=True)}
        )
    return badges


def qr_payload(badge: Badge) -> str:
    """What the QR code holds: a short prefix and the code, nothing else."""
    return f"{QR_PREFIX}{badge.code}"


def normalise_code(raw: str) -> str:
    """Turn what a scanner typed or a camera read into a bare code (may still be invalid).

    Accepts the QR payload ("MVT:CODE"), a bare code in any case with spaces or dashes, or a URL whose
    last path segment is the code.
    """
    text = (raw or "").strip().upper()
    if text.startswith(QR_PREFIX):
        text = text[len(QR_PREFIX):]
    text = text.rstrip("/").rsplit("/", 1)[-1]
    # Codes are base32 (A-Z, 2-7): digits someone may type for look-alike letters can only mean those.
    return re.sub(r"[\s-]", "", text).translate(LOOKALIKES)
