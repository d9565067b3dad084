"""Programme data: what happens where and when. Rules that span rows live in services.py."""

import secrets
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.text import validate_single_line

LOCAL_TZ = ZoneInfo(settings.TIME_ZONE)
# Unambiguous characters for short public codes (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_public_code(length: int = 6) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


RESERVED_SLUGS = {"admin", "accounts", "i18n", "static", "media", "staff", "me", "api", "cal", "claim", "bookings"}


def validate_conference_slug(value: str) -> None:
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(_("“%(slug)s” is reserved for the site itself."), params={"slug": value})


class ProgrammeQuerySet(models.QuerySet):
    """Bulk writes to programme rows move their conferences' programme stamp, as saves do through signals.

    `update()` (and `bulk_update()`, which calls it) and `bulk_create()` send no model signals, yet cached
    pages and feed ETags are keyed by the programme's version (sessions.selectors.programme_version).
    """

    conference_path = "conference_id"

    def update(self, **kwargs):
        conference_ids = set(self.values_list(self.conference_path, flat=True).distinct())
        rows = super().update(**kwargs)
        if rows:
            touch_conferences(conference_ids)
        return rows

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        created = super().bulk_create(objs, *args, **kwargs)
        if self.conference_path == "conference_id":
            touch_conferences({obj.conference_id for obj in objs})
        else:
            touch_conferences(set(Seminar.objects.filter(pk__in={obj.seminar_id for obj in objs})
                                  .values_list("conference_id", flat=True)))
        return created

    bulk_create.alters_data = True


class SeminarSpeakerQuerySet(ProgrammeQuerySet):
    conference_path = "seminar__conference_id"


def touch_conferences(conference_ids) -> None:
    """Move the programme stamp of these conferences to now (cached pages and feed ETags follow)."""
    conference_ids = {pk for pk in conference_ids if pk is not None}
    if conference_ids:
        Conference.objects.filter(pk__in=conference_ids).update(programme_changed_at=timezone.now())


class Conference(models.Model):
    name = models.CharField(_("name"), max_length=100, help_text=_("The edition's name, e.g. MVT2016."),
                            validators=[validate_single_line])
    slug = models.SlugField(_("slug"), unique=True, validators=[validate_conference_slug])
    venue = models.CharField(_("venue"), max_length=200, validators=[validate_single_line])
    venue_address = models.CharField(_("venue address"), max_length=300, blank=True,
                                     validators=[validate_single_line])
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    is_published = models.BooleanField(_("published"), default=False)
    programme_changed_at = models.DateTimeField(
        _("programme last changed"), default=timezone.now, editable=False,
        help_text=_("Moves whenever a room, track, speaker or seminar of the conference changes (feeds' ETags)."),
    )
    booking_opens_at = models.DateTimeField(
        _("seat booking opens"), null=True, blank=True,
        help_text=_("Attendees can book seminar seats from this moment. Empty: booking is closed."),
    )

    class Meta:
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")
        ordering = ["-first_day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="conference_last_day_not_before_first",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programme:conference", kwargs={"conference": self.slug})

    @property
    def days(self) -> list[date]:
        return [self.first_day + timedelta(days=i) for i in range((self.last_day - self.first_day).days + 1)]

    def local_bounds(self) -> tuple[datetime, datetime]:
        """The conference's span as aware datetimes: first day 00:00 to the day after the last, local time."""
        start = datetime.combine(self.first_day, time.min, tzinfo=LOCAL_TZ)
        end = datetime.combine(self.last_day + timedelta(days=1), time.min, tzinfo=LOCAL_TZ)
        return start, end


colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB."))


class Track(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="tracks",
                                   verbose_name=_("conference"))
    name = models.CharField(_("name"), max_length=100, validators=[validate_single_line])
    slug = models.SlugField(_("slug"))
    colour = models.CharField(_("colour"), max_length=7, default="#1f5f8b", validators=[colour_validator])
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        ordering = ["conference", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "slug"], name="track_slug_unique_per_conference"),
        ]

    def __str__(self):
        return self.name


class Room(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="rooms",
                                   verbose_name=_("conference"))
    name = models.CharField(_("name"), max_length=100, validators=[validate_single_line])
    capacity = models.PositiveIntegerField(_("seats"), validators=[MinValueValidator(1)])
    accessibility_notes = models.TextField(
        _("accessibility notes"), blank=True,
        help_text=_("Step-free access, hearing loop, wheelchair places and the like."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["conference", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "name"], name="room_name_unique_per_conference"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="room_capacity_at_least_one",
                                   violation_error_message=_("A room has at least one seat.")),
        ]

    def __str__(self):
        return self.name


class Speaker(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="speakers",
                                   verbose_name=_("conference"))
    name = models.CharField(_("name"), max_length=150, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=160)
    title = models.CharField(_("job title"), max_length=150, blank=True, validators=[validate_single_line])
    organisation = models.CharField(_("organisation"), max_length=200, blank=True,
                                    validators=[validate_single_line])
    bio = models.TextField(_("short bio"), blank=True)
    email = models.EmailField(_("email"), blank=True, help_text=_("Private: only organisers see it."))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="speaker_profiles", verbose_name=_("user account"),
    )

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["conference", "name"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "slug"], name="speaker_slug_unique_per_conference"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programme:speaker", kwargs={"conference": self.conference.slug, "slug": self.slug})


class SeminarStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class SeminarKind(models.TextChoices):
    """What a programme item is. Only seminars have seats to book; the others are for everyone there."""

    SEMINAR = "seminar", _("Seminar")
    PLENARY = "plenary", _("Plenary")
    BREAK = "break", _("Break")
    EXHIBITION = "exhibition", _("Exhibition")


# What the public sees of a published conference: never drafts.
PUBLIC_STATUSES = (SeminarStatus.PUBLISHED, SeminarStatus.CANCELLED)


class SeminarQuerySet(ProgrammeQuerySet):
    def public(self):
        """What anyone may see: published and cancelled seminars of published conferences, never drafts."""
        return self.filter(status__in=PUBLIC_STATUSES, conference__is_published=True)

    def active(self):
        """Seminars that take up a room and their speakers' time: everything not cancelled."""
        return self.exclude(status=SeminarStatus.CANCELLED)

    def bookable(self):
        """Items with seats to book: seminars, never plenaries, breaks or exhibition hours."""
        return self.filter(kind=SeminarKind.SEMINAR)

    def overlapping(self, start: datetime, end: datetime):
        """Seminars that share time with [start, end); back to back does not overlap."""
        return self.filter(start__lt=end, end__gt=start)


class ItemState:
    """What a seminar's or programme item's `status` and `kind` say; shared by Seminar and the day pages'
    plain ProgrammeItem (sessions.selectors)."""

    __slots__ = ()

    @property
    def is_cancelled(self) -> bool:
        return self.status == SeminarStatus.CANCELLED

    @property
    def is_bookable(self) -> bool:
        """Whether the item has seats to book at all (a seminar); says nothing about free seats or status."""
        return self.kind == SeminarKind.SEMINAR


class Seminar(ItemState, models.Model):
    class Language(models.TextChoices):
        SWEDISH = "sv", _("Swedish")
        ENGLISH = "en", _("English")

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="seminars",
                                   verbose_name=_("conference"))
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("public code"), max_length=12, unique=True, default=new_public_code, editable=False)
    kind = models.CharField(
        _("kind"), max_length=12, choices=SeminarKind.choices, default=SeminarKind.SEMINAR,
        help_text=_("Only seminars have seats to book. Plenaries, breaks and exhibition hours are open to "
                    "everyone registered and show without seats."),
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    abstract = models.TextField(_("abstract"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.SWEDISH)
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="seminars", verbose_name=_("track"),
                              null=True, blank=True, help_text=_("Every seminar has one; other items may have none."))
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="seminars", verbose_name=_("room"))
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    capacity = models.PositiveIntegerField(
        _("seats"), blank=True, validators=[MinValueValidator(1)],
        help_text=_("Leave empty to use all of the room's seats. Never more than the room holds."),
    )
    status = models.CharField(_("status"), max_length=10, choices=SeminarStatus.choices, default=SeminarStatus.DRAFT)
    cancellation_reason = models.TextField(
        _("reason for cancelling"), blank=True,
        help_text=_("Shown on the seminar's page and in the email to everyone who booked."),
    )
    stream_url = models.URLField(
        _("stream or meeting link"), max_length=500, blank=True,
        help_text=_("Optional. Shown only to people registered for the conference (My programme, and this "
                    "seminar's page when they are logged in); never in public pages, feeds or exports. "
                    "Digital participants can book a watch place in a seminar that has one."),
    )
    stream_in_personal_feed = models.BooleanField(
        _("link in personal calendar feeds"), default=False,
        help_text=_("Also put the link in the personal calendar feed of each attendee who booked the seminar."),
    )
    revision = models.PositiveIntegerField(
        _("revision"), default=0, editable=False,
        help_text=_("Grows by one with every change of time, room or status."),
    )
    speakers = models.ManyToManyField(Speaker, through="SeminarSpeaker", related_name="seminars", blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = SeminarQuerySet.as_manager()

    class Meta:
        verbose_name = _("seminar")
        verbose_name_plural = _("seminars")
        ordering = ["start", "room__order", "room__name"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="seminar_ends_after_start",
                                   violation_error_message=_("The seminar must end after it starts.")),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="seminar_capacity_positive",
                                   violation_error_message=_("A seminar has at least one seat.")),
            models.CheckConstraint(condition=~Q(kind=SeminarKind.SEMINAR) | Q(track__isnull=False),
                                   name="seminar_has_track",
                                   violation_error_message=_("A seminar needs a track.")),
        ]
        indexes = [models.Index(fields=["conference", "start"]), models.Index(fields=["room", "start"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.capacity is None and self.room_id is not None:
            self.capacity = self.room.capacity
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("programme:seminar", kwargs={"conference": self.conference.slug, "code": self.code})

    @property
    def is_published(self) -> bool:
        return self.status == SeminarStatus.PUBLISHED

    @property
    def is_streamed(self) -> bool:
        return bool(self.stream_url)

    @property
    def local_day(self) -> date:
        return timezone.localtime(self.start, LOCAL_TZ).date()

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


class SeminarSpeaker(models.Model):
    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="seminar_speakers")
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="seminar_speakers",
                                verbose_name=_("speaker"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = SeminarSpeakerQuerySet.as_manager()

    class Meta:
        verbose_name = _("seminar speaker")
        verbose_name_plural = _("seminar speakers")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["seminar", "speaker"], name="seminar_speaker_once"),
        ]

    def __str__(self):
        return f"{self.speaker} – {self.seminar}"


class Release(models.Model):
    """A numbered, published version of a conference's programme, with what was public at that moment.

    `snapshot` maps each public seminar's code to its state at release time (title, room, start, end,
    status, revision, speakers); drafts never enter it. The changelog compares two snapshots
    (sessions.releases).
    """

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="releases",
                                   verbose_name=_("conference"))
    number = models.PositiveIntegerField(_("number"))
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("published by"),
    )
    note = models.TextField(_("note"), blank=True, help_text=_("Shown with the release's changes."))
    snapshot = models.JSONField(_("programme at release"), default=dict, editable=False)

    class Meta:
        verbose_name = _("programme release")
        verbose_name_plural = _("programme releases")
        ordering = ["conference", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "number"], name="release_number_unique_per_conference"),
            models.CheckConstraint(condition=Q(number__gte=1), name="release_number_positive"),
        ]

    def __str__(self):
        return _("Release %(number)d") % {"number": self.number}
