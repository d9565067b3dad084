"""A deterministic demo of people for the demo programme, shaped like MVT2015: about 770 attendees from
110+ municipalities and regions, delegations, bookings that fill a few seminars and put people in line,
and three demo accounts (organiser, door staff, attendee) with printed logins.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from sessions.demo import FIRST_NAMES, LAST_NAMES
from sessions.models import Conference, Seminar, SeminarStatus

from .models import (
    Booking,
    BookingStatus,
    Delegation,
    Municipality,
    OrganisationType,
    Region,
    Registration,
    TicketCategory,
)
from .roles import DOOR_STAFF, ORGANISERS

DEMO_PASSWORD = "mvt-demo-2016"  # noqa: S105 - printed for the local demo only
# A fixed TOTP secret for the demo staff, so a newcomer can log in: `manage.py demo_totp` prints the code.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105
DEMO_DOMAIN = "demo.mvt.example"
COMPANIES = ["Tunstall Nordic AB", "Phoniro Systems AB", "Doro Care AB", "Tieto Sweden AB", "Sensio AS",
             "Careium AB", "Abilia AB", "Appva AB", "Tellu AS", "Evondos Oy"]
USER_ORGS = ["Anhörigas Riksförbund", "Funktionsrätt Sverige", "PRO", "SPF Seniorerna", "Autism- och Aspergerförbundet",
             "DHR – Delaktighet Handlingskraft Rörelsefrihet"]
TITLES = ["Undersköterska", "Enhetschef", "Sjuksköterska", "Arbetsterapeut", "Verksamhetsutvecklare",
          "Biståndshandläggare", "Socialsekreterare", "IT-samordnare", "Projektledare", "Förvaltningschef"]


@dataclass
class DemoLogins:
    organiser: str
    door_staff: str
    attendee: str
    password: str = DEMO_PASSWORD
    totp_secret: str = DEMO_TOTP_SECRET


def _demo_user(email: str, *, staff: bool = False, group: str | None = None, mfa: bool = False):
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    User = get_user_model()
    user, _created = User.objects.update_or_create(
        username=email.split("@")[0], defaults={"email": email, "is_staff": staff, "is_active": True}
    )
    # A new hash (new salt) would change the session hash and log the account out everywhere: keep it when
    # the password is already the demo's, so reloading the demo keeps staff logged in.
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    if group:
        user.groups.add(Group.objects.get(name=group))
    if mfa and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


def clear_demo_people(slug: str) -> None:
    """Remove the demo conference's people (scans, bookings, badges, registrations), so it can be rebuilt."""
    from .models import Scan

    Scan.objects.filter(conference__slug=slug).delete()
    Registration.objects.filter(conference__slug=slug).delete()
    Delegation.objects.filter(conference__slug=slug).delete()


@transaction.atomic
def build_demo_people(conference: Conference, *, attendees: int = 770, seed: int = 2015) -> DemoLogins:
    """(Re)create the demo people for `conference`. Same arguments, same people and bookings."""
    rng = random.Random(seed)  # noqa: S311 - demo data
    User = get_user_model()
    clear_demo_people(conference.slug)
    User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}", is_staff=False).exclude(
        username__in=["organisator", "dorrvard", "deltagare"]
    ).delete()

    organiser = _demo_user(f"organisator@{DEMO_DOMAIN}", staff=True, group=ORGANISERS, mfa=True)
    door = _demo_user(f"dorrvard@{DEMO_DOMAIN}", group=DOOR_STAFF, mfa=True)
    attendee_user = _demo_user(f"deltagare@{DEMO_DOMAIN}")

    municipalities = list(Municipality.objects.order_by("code"))
    regions = list(Region.objects.order_by("county_code"))
    # 120 municipalities send people, a few of them big delegations.
    sending = rng.sample(municipalities, k=min(120, len(municipalities)))
    unusable = make_password(None)
    people = []
    for i in range(attendees - 1):
        roll = rng.random()
        fields = {"organisation_type": OrganisationType.MUNICIPALITY, "municipality": sending[i % len(sending)],
                  "category": TicketCategory.STAFF}
        if roll < 0.12:
            fields = {"organisation_type": OrganisationType.REGION, "region": rng.choice(regions),
                      "category": TicketCategory.STAFF}
        elif roll < 0.22:
            fields = {"organisation_type": OrganisationType.COMPANY, "organisation_name": rng.choice(COMPANIES),
                      "category": rng.choice([TicketCategory.EXHIBITOR, TicketCategory.STAFF])}
        elif roll < 0.28:
            fields = {"organisation_type": OrganisationType.USER_ORGANISATION,
                      "organisation_name": rng.choice(USER_ORGS), "category": TicketCategory.USER_OR_RELATIVE}
        elif roll < 0.29:
            fields = {"organisation_type": OrganisationType.OTHER, "organisation_name": "Dagens Samhälle",
                      "category": TicketCategory.PRESS}
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        people.append((name, f"deltagare{i + 1}@{DEMO_DOMAIN}", fields))

    users = User.objects.bulk_create([
        User(username=f"demo{i + 1}", email=email, password=unusable) for i, (_n, email, _f) in enumerate(people)
    ])
    registrations = [
        Registration(conference=conference, user=user, email=email, name=name, job_title=rng.choice(TITLES),
                     accessibility_needs="Hörslinga" if rng.random() < 0.03 else "", **fields)
        for user, (name, email, fields) in zip(users, people, strict=True)
    ]
    registrations.append(Registration(
        conference=conference, user=attendee_user, email=attendee_user.email, name="Demo Deltagare",
        organisation_type=OrganisationType.MUNICIPALITY, municipality=Municipality.objects.get(code="1980"),
        job_title="Verksamhetsutvecklare", category=TicketCategory.STAFF,
    ))
    registrations = Registration.objects.bulk_create(registrations)
    _make_delegations(conference, registrations[:-1], organiser_pool=users, rng=rng)
    _make_bookings(conference, registrations, rng=rng)
    return DemoLogins(organiser=organiser.email, door_staff=door.email, attendee=attendee_user.email)


def _make_delegations(conference, registrations, *, organiser_pool, rng) -> None:
    """Group the people of some municipalities into delegations of 3 to 20, coordinated by one of them."""
    by_municipality: dict = {}
    for registration in registrations:
        if registration.municipality_id:
            by_municipality.setdefault(registration.municipality_id, []).append(registration)
    groups = [members for members in by_municipality.values() if len(members) >= 3][:12]
    for members in groups:
        members = members[:20]
        delegation = Delegation.objects.create(
            conference=conference, coordinator=members[0].user, organisation_name=members[0].municipality.name,
        )
        Registration.objects.filter(pk__in=[m.pk for m in members]).update(delegation=delegation)


def _make_bookings(conference, registrations, *, rng) -> None:
    """Up to three non-overlapping seminars each; a few popular ones fill up and get lines."""
    seminars = list(Seminar.objects.filter(conference=conference).select_related("room").order_by("start", "id"))
    bookable = [s for s in seminars if s.status == SeminarStatus.PUBLISHED and s.is_bookable]
    small = [s.pk for s in bookable if s.capacity <= 100]
    popular = set(rng.sample(small, k=min(5, len(small))))
    weights = [12 if s.pk in popular else 1 for s in bookable]
    confirmed: dict[int, int] = {}
    start = conference.booking_opens_at
    rows = []
    for index, registration in enumerate(registrations):
        wanted = rng.randint(1, 3)
        chosen: list[Seminar] = []
        for seminar in rng.choices(bookable, weights=weights, k=wanted * 3):
            if len(chosen) == wanted:
                break
            if any(seminar.start < other.end and other.start < seminar.end for other in chosen):
                continue
            chosen.append(seminar)
        for seminar in chosen:
            has_seat = confirmed.get(seminar.pk, 0) < seminar.capacity
            if has_seat:
                confirmed[seminar.pk] = confirmed.get(seminar.pk, 0) + 1
            at = start + timedelta(seconds=index * 7 + len(rows) % 5)
            rows.append(Booking(registration=registration, seminar=seminar, queued_at=at,
                                status=BookingStatus.CONFIRMED if has_seat else BookingStatus.WAITLISTED,
                                confirmed_at=at if has_seat else None))
    cancelled = [s for s in seminars if s.status == SeminarStatus.CANCELLED]
    if cancelled:
        # People who had booked the seminar before it was cancelled keep a cancelled booking.
        for registration in registrations[-20:]:
            if not any(r.registration is registration and _overlaps(r.seminar, cancelled[0]) for r in rows):
                rows.append(Booking(registration=registration, seminar=cancelled[0], queued_at=start,
                                    status=BookingStatus.CANCELLED, cancelled_at=start + timedelta(days=10)))
    Booking.objects.bulk_create(rows)


def _overlaps(a: Seminar, b: Seminar) -> bool:
    return a.start < b.end and b.start < a.end
