"""Badge codes: issuing, reissuing (which revokes the old code), the QR payload, and reading a scanned code;
attendees' badges (Badge) and speakers' (SpeakerBadge), in one code format.

A badge code is 128 bits in 26 base32 characters, derived from a random seed under a server key and
stored only as its hash (registration/badge_codes.py): nothing about the person is in it, it cannot be
guessed, a copy of the database cannot print it, and reissuing revokes the old one.
"""

from __future__ import annotations

import re
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from common.locking import lock
from sessions.models import Conference, Speaker

from ..badge_codes import hash_code
from ..models import Badge, Registration, SpeakerBadge
from ..selectors.badges import badge_speakers_of

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
        badge = Badge.new(registration=registration)
        badge.save(force_insert=True)
        return badge


def current_badge(registration: Registration) -> Badge:
    """The registration's valid, printable badge, issued now if it has none.

    A valid badge whose code cannot be derived (issued before codes were hashed, or under a key that is
    no longer configured) is reissued: printing it needs the code, and only a new one can be printed.
    """
    badge = Badge.objects.filter(registration=registration, revoked_at__isnull=True).first()
    if badge is not None and badge.code is not None:
        return badge
    if badge is not None:
        return issue_badge(registration)
    try:
        with transaction.atomic():
            badge = Badge.new(registration=registration)
            badge.save(force_insert=True)
            return badge
    except IntegrityError:
        # Another request issued it first: the partial unique constraint lets only one through.
        return Badge.objects.get(registration=registration, revoked_at__isnull=True)


def current_badges(registrations) -> dict[int, Badge]:
    """Valid, printable badges for many registrations in a few queries, issuing the missing ones in bulk
    (and reissuing, one by one, the rare badge whose code cannot be derived; see current_badge)."""
    return _current_badges(Badge, "registration", registrations, issue_badge)


def _current_badges(model, owner: str, owners, reissue) -> dict:
    """Valid, printable badges of `model` (Badge or SpeakerBadge) for `owners`, by the owner's pk."""
    owners = list(owners)
    ids = [o.pk for o in owners]
    key = f"{owner}_id"

    def valid(pks):
        return {getattr(b, key): b for b in model.objects.filter(**{f"{key}__in": pks, "revoked_at__isnull": True})}

    badges = valid(ids)
    for person in owners:
        badge = badges.get(person.pk)
        if badge is not None and badge.code is None:
            badges[person.pk] = reissue(person)
    missing = [pk for pk in ids if pk not in badges]
    if missing:
        model.objects.bulk_create([model.new(**{key: pk}) for pk in missing], ignore_conflicts=True)
        badges.update(valid(missing))
    return badges


def find_badge(code: str):
    """Badges whose code is `code` (a normalised code; an empty queryset for anything else)."""
    return Badge.objects.filter(code_hash=hash_code(code)) if CODE_RE.match(code) else Badge.objects.none()


def issue_speaker_badge(speaker: Speaker, *, now: datetime | None = None) -> SpeakerBadge:
    """Revoke the speaker's valid badge (if any) and issue a new one, atomically (a lost badge).

    Locks the speaker row so two reissues cannot both leave a valid badge.
    """
    now = now or timezone.now()
    with transaction.atomic():
        lock(Speaker.objects.filter(pk=speaker.pk))
        SpeakerBadge.objects.filter(speaker=speaker, revoked_at__isnull=True).update(revoked_at=now)
        badge = SpeakerBadge.new(speaker=speaker)
        badge.save(force_insert=True)
        return badge


def badge_speakers(conference: Conference) -> list[Speaker]:
    """badge_speakers_of, by name, for a print batch."""
    return list(badge_speakers_of(conference).select_related("conference").order_by("name", "pk"))


def current_speaker_badges(speakers) -> dict[int, SpeakerBadge]:
    """Valid, printable badges for many speakers in a few queries, as current_badges does for attendees."""
    return _current_badges(SpeakerBadge, "speaker", speakers, issue_speaker_badge)


def find_speaker_badge(code: str, conference: Conference) -> SpeakerBadge | None:
    """The speaker badge (valid or revoked) the scanned `code` names in this conference, or None.

    The one place speaker badge codes are looked up; attendees' codes are looked up in services.door.
    """
    normalised = normalise_code(code)
    if not CODE_RE.match(normalised):
        return None
    return (SpeakerBadge.objects.filter(code_hash=hash_code(normalised), speaker__conference=conference)
            .select_related("speaker").first())


def qr_payload(badge: Badge | SpeakerBadge) -> str:
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
