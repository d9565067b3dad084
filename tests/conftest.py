"""Shared builders for tests: small functions that make valid objects with overridable fields."""

import itertools
from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from registration.roles import DOOR_STAFF, ORGANISERS
from sessions.models import LOCAL_TZ, Conference, Room, Seminar, SeminarSpeaker, SeminarStatus, Speaker, Track

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many users; a slow hash buys nothing here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def local(day: int, hour: int, minute: int = 0, month: int = 2, year: int = 2016) -> datetime:
    """An aware Europe/Stockholm datetime, by default in February 2016 (MVT2016 ran 3–4 February)."""
    return datetime(year, month, day, hour, minute, tzinfo=LOCAL_TZ)


@pytest.fixture
def conference(db):
    return Conference.objects.create(
        name="MVT2016", slug="mvt2016", venue="Kistamässan", first_day=date(2016, 2, 3), last_day=date(2016, 2, 4),
        is_published=True, booking_opens_at=local(1, 9, month=1),
    )


@pytest.fixture
def today_conference(conference):
    """The conference moved to today and tomorrow, so door pages (which use the real clock) are open."""
    from django.utils import timezone

    today = timezone.localtime(timezone.now(), LOCAL_TZ).date()
    conference.first_day, conference.last_day = today, today + timedelta(days=1)
    conference.save()
    return conference


@pytest.fixture
def track(conference):
    return Track.objects.create(conference=conference, name="Äldreomsorg", slug="aldreomsorg", colour="#1f5f8b")


@pytest.fixture
def room(conference):
    return Room.objects.create(conference=conference, name="Sal Kista", capacity=100)


@pytest.fixture
def make_room(conference):
    def make(**fields):
        n = next(_counter)
        fields.setdefault("conference", conference)
        fields.setdefault("name", f"Rum {n}")
        fields.setdefault("capacity", 50)
        return Room.objects.create(**fields)

    return make


@pytest.fixture
def make_speaker(conference):
    def make(**fields):
        n = next(_counter)
        fields.setdefault("conference", conference)
        fields.setdefault("name", f"Talare {n}")
        fields.setdefault("slug", f"talare-{n}")
        return Speaker.objects.create(**fields)

    return make


@pytest.fixture
def make_seminar(conference, track, room):
    """Build a saved seminar directly (no conflict check): tests that need the check call the service."""

    def make(*, speakers=(), **fields):
        n = next(_counter)
        fields.setdefault("conference", conference)
        fields.setdefault("title", f"Seminarium {n}")
        fields.setdefault("track", track)
        fields.setdefault("room", room)
        fields.setdefault("start", local(3, 10))
        fields.setdefault("end", local(3, 11))
        fields.setdefault("status", SeminarStatus.PUBLISHED)
        seminar = Seminar.objects.create(**fields)
        for order, speaker in enumerate(speakers):
            SeminarSpeaker.objects.create(seminar=seminar, speaker=speaker, order=order)
        return seminar

    return make


@pytest.fixture
def make_user(db):
    def make(email=None, password="correct horse battery staple", **fields):
        n = next(_counter)
        email = email or f"user{n}@example.org"
        user = get_user_model().objects.create_user(username=fields.pop("username", f"user{n}"), email=email,
                                                    password=password, **fields)
        return user

    return make


def give_mfa(user):
    """Mark a user as having set up TOTP, as staff pages require (the secret is never used in tests)."""
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "test-only"})
    return user


@pytest.fixture
def organiser(make_user):
    """An organiser with MFA set up; log in with client.force_login(organiser)."""
    user = make_user(is_staff=True)
    user.groups.add(Group.objects.get(name=ORGANISERS))
    return give_mfa(user)


@pytest.fixture
def door_staff(make_user):
    """A door-staff member with MFA set up."""
    user = make_user()
    user.groups.add(Group.objects.get(name=DOOR_STAFF))
    return give_mfa(user)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rendered programme pages are cached per process: every test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _booking_clock(monkeypatch):
    """Booking closes when a seminar starts; the tests' conference is in February 2016, so their
    bookings are made on 20 January 2016 unless a test passes `now`."""
    monkeypatch.setattr("registration.services.booking.current_time", lambda: local(20, 12, month=1))


@pytest.fixture
def reference_data(db):
    """Sweden's municipalities and regions. A migration loads them, but transactional tests (live server,
    races) empty every table afterwards, so tests that need them after such a test load them again."""
    from importlib import import_module

    from django.apps import apps

    import_module("registration.migrations.0002_load_municipalities_regions").load(apps, None)
