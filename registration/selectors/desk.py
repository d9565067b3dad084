"""The organisers' desk: the numbers funders ask for, one aggregate query per block whatever the size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import CharField, Count, Exists, OuterRef, Q, Value
from django.db.models.functions import Concat, TruncDate

from sessions.models import LOCAL_TZ, Conference, Seminar, SeminarStatus

from ..models import (
    Booking,
    BookingStatus,
    OrganisationType,
    Registration,
    RegistrationStatus,
    Scan,
    TicketCategory,
    Verdict,
)

SORTS = ("start", "fill", "line", "cancelled")


@dataclass(frozen=True)
class RegistrationNumbers:
    active: int
    cancelled: int
    per_day: list[tuple[date, int]]
    by_category: list[tuple[str, int]]
    by_organisation_type: list[tuple[str, int]]


@dataclass(frozen=True)
class Place:
    """A municipality or a region that sends people, with the county (or the region itself) it counts under."""

    name: str
    area: str
    is_region: bool
    people: int


@dataclass(frozen=True)
class PlaceNumbers:
    places: list[Place]
    municipalities: int
    regions: int
    by_area: list[tuple[str, int]]


@dataclass(frozen=True)
class SeminarRow:
    seminar: Seminar
    confirmed: int
    line: int
    cancelled: int
    checked_in: int
    no_shows: int

    @property
    def fill(self) -> float:
        return self.confirmed / self.seminar.capacity

    @property
    def is_full(self) -> bool:
        return self.confirmed >= self.seminar.capacity

    @property
    def is_nearly_full(self) -> bool:
        """At least 90 % of the seats taken, but not all."""
        return not self.is_full and self.confirmed * 10 >= self.seminar.capacity * 9


def registration_numbers(conference: Conference) -> RegistrationNumbers:
    """Active and cancelled totals, and the active ones per day registered (Swedish days), per ticket category
    and per type of organisation. Four queries."""
    registrations = Registration.objects.filter(conference=conference)
    totals = registrations.aggregate(
        active=Count("id", filter=Q(status=RegistrationStatus.ACTIVE)),
        cancelled=Count("id", filter=Q(status=RegistrationStatus.CANCELLED)),
    )
    active = registrations.filter(status=RegistrationStatus.ACTIVE)
    per_day = list(
        active.annotate(day=TruncDate("created_at", tzinfo=LOCAL_TZ)).values("day")
        .annotate(n=Count("id")).order_by("day").values_list("day", "n")
    )
    categories = dict(active.values("category").annotate(n=Count("id")).order_by().values_list("category", "n"))
    types = dict(active.values("organisation_type").annotate(n=Count("id")).order_by()
                 .values_list("organisation_type", "n"))
    return RegistrationNumbers(
        active=totals["active"], cancelled=totals["cancelled"], per_day=per_day,
        by_category=[(label, categories[value]) for value, label in TicketCategory.choices if value in categories],
        by_organisation_type=[(label, types[value]) for value, label in OrganisationType.choices if value in types],
    )


def place_numbers(conference: Conference) -> PlaceNumbers:
    """Municipalities and regions represented by active registrations. A region's registration counts its
    region (under the region's own name), never the county of a municipality. Two queries."""
    active = Registration.objects.filter(conference=conference, status=RegistrationStatus.ACTIVE)
    municipalities = (
        active.filter(organisation_type=OrganisationType.MUNICIPALITY)
        .values("municipality_id", "municipality__name", "municipality__county").annotate(n=Count("id")).order_by()
        .values_list("municipality__name", "municipality__county", "n")
    )
    regions = (
        active.filter(organisation_type=OrganisationType.REGION)
        .values("region_id", "region__name").annotate(n=Count("id")).order_by().values_list("region__name", "n")
    )
    places = [Place(name=name, area=county, is_region=False, people=n) for name, county, n in municipalities]
    places += [Place(name=name, area=name, is_region=True, people=n) for name, n in regions]
    places.sort(key=lambda p: (-p.people, p.name))
    by_area: dict[str, int] = {}
    for place in places:
        by_area[place.area] = by_area.get(place.area, 0) + place.people
    return PlaceNumbers(
        places=places,
        municipalities=sum(not p.is_region for p in places),
        regions=sum(p.is_region for p in places),
        by_area=sorted(by_area.items(), key=lambda item: (-item[1], item[0])),
    )


def entrance_check_ins(conference: Conference, day: date) -> int:
    """Attendees let in at the entrance on `day` (a re-entry counts once; speakers are not attendees, as at
    the door display). One query."""
    return Scan.objects.attendees_let_in().filter(conference=conference,
                                                  checkpoint=f"entrance-{day.isoformat()}").count()


def seminar_rows(conference: Conference, *, sort: str = "start") -> list[SeminarRow]:
    """Every bookable seminar with a door (published or cancelled; no plenaries, breaks or exhibition hours)
    with its confirmed seats, line, cancelled bookings,
    admitted scans and no-shows (confirmed seats whose holder was never admitted at that seminar's door).

    `sort` is one of SORTS (anything else sorts by start); fill, line and cancelled sort largest first.
    Three queries.
    """
    # Organisers see the seminars' numbers also while the conference itself is not yet published.
    seminars = list(Seminar.objects.filter(
        conference=conference, status__in=[SeminarStatus.PUBLISHED, SeminarStatus.CANCELLED],
    ).bookable().select_related("room", "conference").order_by("start", "room__order", "room__name").annotate(
        n_confirmed=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED)),
        n_line=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITLISTED)),
        n_cancelled=Count("bookings", filter=Q(bookings__status=BookingStatus.CANCELLED)),
    ))
    checked_in = dict(
        Scan.objects.attendees_let_in().filter(conference=conference, checkpoint__startswith="seminar-")
        .values("checkpoint").annotate(n=Count("id")).order_by().values_list("checkpoint", "n")
    )
    admitted_here = Scan.objects.filter(
        registration_id=OuterRef("registration_id"), verdict=Verdict.ADMITTED,
        checkpoint=Concat(Value("seminar-"), OuterRef("seminar__code"), output_field=CharField()),
    )
    no_shows = dict(
        Booking.objects.filter(seminar__conference=conference, status=BookingStatus.CONFIRMED)
        .filter(~Exists(admitted_here)).values("seminar_id").annotate(n=Count("id")).order_by()
        .values_list("seminar_id", "n")
    )
    rows = [
        SeminarRow(seminar=s, confirmed=s.n_confirmed, line=s.n_line, cancelled=s.n_cancelled,
                   checked_in=checked_in.get(f"seminar-{s.code}", 0), no_shows=no_shows.get(s.pk, 0))
        for s in seminars
    ]
    keys = {
        "fill": lambda r: -r.fill,
        "line": lambda r: -r.line,
        "cancelled": lambda r: -r.cancelled,
    }
    if sort in keys:
        rows.sort(key=keys[sort])  # stable: ties keep the order by start
    return rows
