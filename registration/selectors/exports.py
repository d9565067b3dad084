"""Lists for the organisers' exports: who is booked and in line per seminar, all registrations, check-ins and
speakers per seminar. Each does its queries once, whatever the size; the big ones yield rows as they read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf

from sessions.models import Conference, Seminar, SeminarSpeaker

from ..models import ERASED_DOMAIN, Booking, BookingStatus, Registration, Scan, Verdict

CHUNK = 1000
REGISTRATION_ORDERS = ("name", "municipality", "delegation")


@dataclass(frozen=True)
class ListedPerson:
    """One line of a seminar's list. `position` is the place in line (1 = next), None for a confirmed seat."""

    name: str
    organisation: str
    category: str
    accessibility_needs: str
    email: str
    asked_at: datetime
    position: int | None = None


@dataclass(frozen=True)
class SeminarList:
    seminar: Seminar
    booked: list[ListedPerson]
    line: list[ListedPerson]
    speakers: list

    @property
    def needs_count(self) -> int:
        return sum(1 for p in self.booked if p.accessibility_needs)


def _organisation():
    # Registration.organisation in SQL: the municipality's or region's name, else the organisation's own.
    return Coalesce(F("municipality__name"), F("region__name"), NullIf(F("organisation_name"), Value("")),
                    Value(""))


def seminar_list(seminar: Seminar) -> SeminarList:
    """Confirmed seats (by name) and the line (in its order) of one seminar, with its speakers. Two queries."""
    from common.text import swedish_key

    bookings = (
        Booking.objects.filter(seminar=seminar, status__in=[BookingStatus.CONFIRMED, BookingStatus.WAITLISTED])
        .select_related("registration__municipality", "registration__region").order_by("queued_at", "id")
    )
    booked, line = [], []
    for booking in bookings:
        reg = booking.registration
        person = dict(name=reg.name, organisation=reg.organisation or "", category=str(reg.get_category_display()),
                      accessibility_needs=reg.accessibility_needs.strip(), email=reg.email,
                      asked_at=booking.queued_at)
        if booking.status == BookingStatus.CONFIRMED:
            booked.append(ListedPerson(**person))
        else:
            line.append(ListedPerson(**person, position=len(line) + 1))
    booked.sort(key=lambda p: swedish_key(p.name))
    speakers = [s.speaker for s in seminar.seminar_speakers.select_related("speaker").order_by("order", "id")]
    return SeminarList(seminar=seminar, booked=booked, line=line, speakers=speakers)


def registration_rows(conference: Conference, *, order: str = "name") -> Iterator[dict]:
    """Every registration of the conference (active and cancelled, not erased ones: nobody is left to
    list) as dicts, read in chunks. One query.

    `order`: "name"; "municipality" (grouped by county, then municipality, region or organisation); or
    "delegation" (delegations together, people on their own last). Anything else orders by name.
    """
    orderings = {
        "municipality": [F("municipality__county").asc(nulls_last=True), "org", "name", "pk"],
        "delegation": [F("delegation__organisation_name").asc(nulls_last=True), "delegation_id", "name", "pk"],
    }
    return (
        Registration.objects.filter(conference=conference).exclude(email__endswith=f"@{ERASED_DOMAIN}")
        .annotate(org=_organisation()).order_by(*orderings.get(order, ["name", "pk"]))
        .values("name", "email", "org", "organisation_type", "municipality__name", "municipality__county",
                "region__name", "delegation__organisation_name", "category", "job_title", "accessibility_needs",
                "language", "status", "created_at", "badge_printed_at")
        .iterator(chunk_size=CHUNK)
    )


def check_in_rows(conference: Conference) -> Iterator[dict]:
    """Every admitted scan (a check-in) of the conference in time order, attendees' and speakers'. One query."""
    return (
        Scan.objects.filter(conference=conference, verdict=Verdict.ADMITTED).order_by("at", "pk")
        .annotate(org=Coalesce(F("registration__municipality__name"), F("registration__region__name"),
                               NullIf(F("registration__organisation_name"), Value("")),
                               NullIf(F("speaker_badge__speaker__organisation"), Value("")), Value("")))
        .values("at", "checkpoint", "seminar__code", "seminar__title", "registration__name", "registration__category",
                "speaker_badge__speaker__name", "org", "walk_in")
        .iterator(chunk_size=CHUNK)
    )


def speaker_rows(conference: Conference) -> list[dict]:
    """Each seminar's speakers with their contact details, drafts included (organisers only), by start. One query."""
    return list(
        SeminarSpeaker.objects.filter(seminar__conference=conference)
        .order_by("seminar__start", "seminar__room__order", "seminar__room__name", "seminar_id", "order", "id")
        .values("seminar__code", "seminar__title", "seminar__status", "seminar__start", "seminar__room__name",
                "speaker__name", "speaker__title", "speaker__organisation", "speaker__email")
    )
