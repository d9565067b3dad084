"""Registration data: who comes to which conference, which seats they hold, their badges and door scans."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.text import validate_single_line
from sessions.models import Conference, Seminar, SeminarKind, Speaker

from .badge_codes import derive_code, hash_code, recover_code


class Municipality(models.Model):
    """One of Sweden's 290 municipalities (SCB kommunkod), loaded from registration/data/."""

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    county_code = models.CharField(max_length=2)
    county = models.CharField(_("county"), max_length=100)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Region(models.Model):
    """One of Sweden's 21 regions, keyed by county code."""

    county_code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    county = models.CharField(_("county"), max_length=100)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class OrganisationType(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    REGION = "region", _("Region")
    COMPANY = "company", _("Company")
    USER_ORGANISATION = "user_org", _("User or relatives' organisation")
    OTHER = "other", _("Other")


class TicketCategory(models.TextChoices):
    STAFF = "staff", _("Staff")
    USER_OR_RELATIVE = "user", _("User of welfare technology or relative")
    SPEAKER = "speaker", _("Speaker")
    EXHIBITOR = "exhibitor", _("Exhibitor")
    PRESS = "press", _("Press")
    DIGITAL = "digital", _("Digital participant")


class RegistrationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")


class Delegation(models.Model):
    """Colleagues from one organisation registered together by a coordinator."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="delegations",
                                   verbose_name=_("conference"))
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coordinated_delegations",
        verbose_name=_("coordinator"),
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, validators=[validate_single_line])
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-created_at"]

    def __str__(self):
        return self.organisation_name


# An erased registration keeps its row (counts, seats and delegations stay right) with this address's
# domain in place of the person's email (registration.services.privacy).
ERASED_DOMAIN = "erased.invalid"


class Registration(models.Model):
    """One person's registration for one conference edition."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="registrations",
                                   verbose_name=_("conference"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="registrations",
        help_text=_("Empty until a delegation member claims the registration."),
    )
    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=150, validators=[validate_single_line])
    organisation_type = models.CharField(_("type of organisation"), max_length=20, choices=OrganisationType.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("municipality"),
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("region"))
    organisation_name = models.CharField(
        _("organisation"), max_length=200, blank=True, validators=[validate_single_line],
        help_text=_("For companies and other organisations; municipalities and regions come from the list."),
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True, validators=[validate_single_line])
    category = models.CharField(_("ticket category"), max_length=20, choices=TicketCategory.choices,
                                default=TicketCategory.STAFF)
    accessibility_needs = models.TextField(
        _("accessibility needs"), blank=True,
        help_text=_("Optional. Only the organisers see this, to plan seating, interpretation and access."),
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="sv")
    status = models.CharField(_("status"), max_length=10, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.ACTIVE)
    delegation = models.ForeignKey(
        Delegation, on_delete=models.SET_NULL, null=True, blank=True, related_name="members",
        verbose_name=_("delegation"),
    )
    claim_token = models.CharField(max_length=64, blank=True, default="", editable=False)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    badge_printed_at = models.DateTimeField(_("badge printed"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # Moved by every change an organiser's system may want to pick up (the API's changed_since): saves,
    # and the services' update_fields name it too.
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["conference", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "conference"], condition=Q(status="active"), name="one_active_registration_per_user",
            ),
            models.UniqueConstraint(
                Lower("email"), "conference", condition=Q(status="active"), name="one_active_registration_per_email",
            ),
            models.CheckConstraint(
                condition=~Q(organisation_type="municipality") | Q(municipality__isnull=False),
                name="municipality_registration_names_municipality",
            ),
            models.CheckConstraint(
                condition=~Q(organisation_type="region") | Q(region__isnull=False),
                name="region_registration_names_region",
            ),
        ]
        indexes = [models.Index(fields=["claim_token"])]

    def __str__(self):
        return f"{self.name} ({self.conference})"

    @property
    def organisation(self) -> str:
        if self.municipality_id:
            return self.municipality.name
        if self.region_id:
            return self.region.name
        return self.organisation_name

    @property
    def is_active(self) -> bool:
        return self.status == RegistrationStatus.ACTIVE


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    # A digital participant's place: follows the stream, takes no room seat and opens no door.
    WATCHING = "watching", _("Watch place (digital)")
    CANCELLED = "cancelled", pgettext_lazy("booking status", "Cancelled")


class ReleaseReason(models.TextChoices):
    """Why the system (not the person) gave up a seat: shown in My programme."""

    CLASH = "clash", _("The seminar moved and overlapped another seat of yours")
    FALLBACK = "fallback", _("You got a seat you queued for at the same time")


class Booking(models.Model):
    """A seat (or a place in line, or a digital watch place) for one registration in one seminar. One row per
    pair, ever. Only `confirmed` rows are room seats: counts, lines and doors never look at `watching`."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="bookings",
                                     verbose_name=_("registration"))
    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("seminar"))
    status = models.CharField(_("status"), max_length=12, choices=BookingStatus.choices)
    queued_at = models.DateTimeField(
        _("asked for"), help_text=_("When the seat or the place in line was asked for; the line's order."),
    )
    confirmed_at = models.DateTimeField(_("seat confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    released_reason = models.CharField(_("released because"), max_length=10, choices=ReleaseReason.choices,
                                       blank=True)
    released_for = models.ForeignKey(
        Seminar, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("kept instead"), help_text=_("The seminar whose seat the person kept instead."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["queued_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "seminar"], name="one_booking_per_registration_seminar"),
        ]
        indexes = [models.Index(fields=["seminar", "status", "queued_at"])]

    def __str__(self):
        return f"{self.registration.name} – {self.seminar.title} ({self.get_status_display()})"


# What attendees are asked to rate: seminars and plenaries, not coffee, lunch or the exhibition hall.
FEEDBACK_KINDS = (SeminarKind.SEMINAR, SeminarKind.PLENARY)


class Feedback(models.Model):
    """One person's rating (1–5) and optional comment for one seminar they attended. Once per pair.

    Never shown with a name: organisers see answers per seminar and track, speakers only aggregates.
    """

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="feedback",
                                     verbose_name=_("registration"))
    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("seminar"))
    rating = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("given"), auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["seminar", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "seminar"], name="feedback_once_per_registration_seminar"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5",
                                   violation_error_message=_("A rating is from 1 to 5.")),
        ]

    def __str__(self):
        return f"{self.seminar} – {self.rating}"


def new_badge_code() -> str:
    """Historical: migration 0001 names it as the old plain `code` column's default. Not used since
    codes are derived and hashed (registration/badge_codes.py)."""
    return secrets.token_hex(16)


def new_badge_seed() -> str:
    """128 random bits (hex) from which a badge's code is derived; on its own it opens no door."""
    return secrets.token_hex(16)


class DerivedBadgeCode(models.Model):
    """A badge code kept as a random seed and the code's SHA-256, never the code (registration/badge_codes.py):
    the code is an HMAC of the seed under a server key (BADGE_CODE_KEY, by default derived from SECRET_KEY),
    so a copy of the database alone cannot print or forge a badge, scans look up the hash, and a badge can
    still be printed again with the same code."""

    seed = models.CharField(max_length=32, null=True, editable=False)
    code_hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        abstract = True

    @classmethod
    def new(cls, **fields):
        """An unsaved badge with a fresh seed and the hash of the code derived from it."""
        seed = new_badge_seed()
        return cls(seed=seed, code_hash=hash_code(derive_code(seed)), **fields)

    @property
    def code(self) -> str | None:
        """The code printed on the badge, or None when it cannot be derived any more (see badge_codes)."""
        return recover_code(self.seed, self.code_hash)


class Badge(DerivedBadgeCode):
    """A badge code for one registration. Reissuing revokes the old code; only one is valid at a time.

    Badges issued before codes were hashed have no seed: they keep scanning, and printing one issues a
    new code (registration/services/badges.py).
    """

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="badges")
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        constraints = [
            models.UniqueConstraint(
                fields=["registration"], condition=Q(revoked_at__isnull=True), name="one_valid_badge_per_registration",
            ),
        ]

    def __str__(self):
        return f"{self.registration.name} ({'revoked' if self.revoked_at else 'valid'})"


class SpeakerBadge(DerivedBadgeCode):
    """A badge code for one programme speaker, who is not a registration: it lets them through the entrance
    and the door of any published seminar. Same code format as Badge; reissuing revokes the old code."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="speaker_badges",
                                verbose_name=_("speaker"))
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    printed_at = models.DateTimeField(_("badge printed"), null=True, blank=True)

    class Meta:
        verbose_name = _("speaker badge")
        verbose_name_plural = _("speaker badges")
        constraints = [
            models.UniqueConstraint(
                fields=["speaker"], condition=Q(revoked_at__isnull=True), name="one_valid_badge_per_speaker",
            ),
        ]

    def __str__(self):
        return f"{self.speaker.name} ({'revoked' if self.revoked_at else 'valid'})"


class CalendarToken(models.Model):
    """The secret behind one attendee's personal calendar feed. Rotating replaces the row's secret."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="calendar_token")
    lookup = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar token")
        verbose_name_plural = _("calendar tokens")

    def __str__(self):
        return f"{self.registration.name}: {self.lookup}…"


class Verdict(models.TextChoices):
    ADMITTED = "admitted", _("Admitted")
    ALREADY_SCANNED = "already_scanned", _("Already scanned here")
    NO_BOOKING = "no_booking", _("No seat booked")
    ROOM_FULL = "room_full", _("Room full")
    UNKNOWN = "unknown", _("Unknown code")
    REVOKED = "revoked", _("Badge revoked")
    NOT_TODAY = "not_today", _("Not today")
    CANCELLED = "cancelled", _("Seminar cancelled")
    TOO_EARLY = "too_early", _("Too early")


class ScanQuerySet(models.QuerySet):
    def attendees_let_in(self):
        """Admitted scans of attendees: what door counts, room seats and feedback go by. Speakers' scans
        (speaker badges, no registration) are recorded too but never count as the audience."""
        return self.filter(verdict=Verdict.ADMITTED, registration__isnull=False)


class Scan(models.Model):
    """One scan at a door, whatever its verdict. Append-only: never updated or deleted by the app."""

    nonce = models.CharField(_("nonce"), max_length=64, unique=True,
                             help_text=_("Sent by the scanner; a retry reuses it."))
    checkpoint = models.CharField(_("door"), max_length=64, help_text=_("'entrance-YYYY-MM-DD' or 'seminar-<code>'."))
    seminar = models.ForeignKey(Seminar, on_delete=models.PROTECT, null=True, blank=True, related_name="scans",
                                verbose_name=_("seminar"))
    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="scans",
                                   verbose_name=_("conference"))
    badge = models.ForeignKey(Badge, on_delete=models.PROTECT, null=True, blank=True, related_name="scans")
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, null=True, blank=True, related_name="scans",
        verbose_name=_("registration"),
    )
    # A speaker's scan: kept when the programme deletes the speaker (then it no longer names anyone).
    speaker_badge = models.ForeignKey(
        SpeakerBadge, on_delete=models.SET_NULL, null=True, blank=True, related_name="scans",
        verbose_name=_("speaker badge"),
    )
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scans",
                              verbose_name=_("door staff"))
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)
    raw_code = models.CharField(_("code as read"), max_length=200, blank=True,
                                help_text=_("Kept only for unknown codes."))
    walk_in = models.BooleanField(_("walk-in"), default=False)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    objects = ScanQuerySet.as_manager()

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "checkpoint"], condition=Q(verdict="admitted"),
                name="admitted_once_per_checkpoint",
            ),
            models.UniqueConstraint(
                fields=["speaker_badge", "checkpoint"], condition=Q(verdict="admitted"),
                name="speaker_admitted_once_per_checkpoint",
            ),
        ]
        indexes = [models.Index(fields=["checkpoint", "verdict"])]

    def __str__(self):
        return f"{self.checkpoint} {self.verdict} {self.at:%Y-%m-%d %H:%M:%S}"


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutgoingEmail(models.Model):
    """One promised email (the outbox). Written in the transaction of the change that promises it; a
    worker renders it in the recipient's language, sends it and records the outcome here.

    `key` is (kind, recipient, object, revision): enqueueing the same promise twice keeps one row, and the
    Message-ID is derived from it, so the only duplicate a crash can cause carries the same Message-ID.
    """

    key = models.CharField(max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=40)
    to = models.CharField(_("recipient"), max_length=320)
    language = models.CharField(_("language"), max_length=5, default="sv")
    params = models.JSONField(default=dict, blank=True)
    registration = models.ForeignKey(
        Registration, on_delete=models.SET_NULL, null=True, blank=True, related_name="emails",
        verbose_name=_("registration"),
    )
    organiser_message = models.ForeignKey(
        "Message", on_delete=models.CASCADE, null=True, blank=True, related_name="emails",
        verbose_name=_("message"), help_text=_("The organisers' message this email carries, if any."),
    )
    status = models.CharField(_("status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.kind} → {self.to} ({self.status})"


class Audience(models.TextChoices):
    """Who an organisers' message goes to."""

    SEMINAR_ALL = "seminar_all", _("Everyone booked on a seminar or in its line")
    SEMINAR_BOOKED = "seminar_booked", _("People with a seat or a watch place in a seminar")
    SEMINAR_WAITLISTED = "seminar_waitlisted", _("People in line for a seminar")
    REGISTERED = "registered", _("Everyone registered for the conference")
    COORDINATORS = "coordinators", _("Delegation coordinators")

    @classmethod
    def for_seminar(cls) -> frozenset:
        return frozenset({cls.SEMINAR_ALL, cls.SEMINAR_BOOKED, cls.SEMINAR_WAITLISTED})


MAX_MESSAGE_SUBJECT = 150
MAX_MESSAGE_BODY = 5000


class Message(models.Model):
    """An organisers' message to a group of people; one OutgoingEmail per recipient carries it.

    `token` is the send form's idempotency token: the same form posted twice makes one message.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="messages",
                                   verbose_name=_("conference"))
    audience = models.CharField(_("recipients"), max_length=20, choices=Audience.choices)
    seminar = models.ForeignKey(Seminar, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages",
                                verbose_name=_("seminar"))
    subject = models.CharField(_("subject"), max_length=MAX_MESSAGE_SUBJECT, validators=[validate_single_line])
    body = models.TextField(_("text"), max_length=MAX_MESSAGE_BODY)
    subject_en = models.CharField(_("subject in English"), max_length=MAX_MESSAGE_SUBJECT, blank=True,
                                  validators=[validate_single_line])
    body_en = models.TextField(_("text in English"), max_length=MAX_MESSAGE_BODY, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("written by"))
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True,
                                   help_text=_("When its emails were handed to the outbox."))
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.subject
