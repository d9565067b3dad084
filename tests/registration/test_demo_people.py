"""The full demo: programme plus ~770 attendees, deterministic and within every booking invariant."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from registration.models import Booking, Registration
from sessions.models import Conference


@pytest.fixture
def demo(db):
    out = StringIO()
    call_command("load_demo", "--force", stdout=out)  # tests run with DEBUG off
    return Conference.objects.get(slug="mvt2016"), out.getvalue()


def booking_snapshot():
    return sorted(Booking.objects.values_list("registration__email", "seminar__uid", "status"))


def test_demo_looks_like_mvt2015(demo):
    conference, output = demo
    registrations = Registration.objects.filter(conference=conference)
    assert registrations.count() == 770
    places = registrations.exclude(municipality=None).values("municipality").distinct().count() + \
        registrations.exclude(region=None).values("region").distinct().count()
    assert places >= 110
    assert conference.delegations.count() >= 5
    assert Booking.objects.filter(status="waitlisted").exists()
    assert "organisator@demo.mvt.example" in output and "mvt-demo-2016" in output


def test_demo_never_overbooks_or_double_books(demo):
    conference, _output = demo
    over = (
        conference.seminars.annotate(n=Count("bookings", filter=Q(bookings__status="confirmed")))
        .values_list("title", "n", "capacity")
    )
    assert all(n <= capacity for _title, n, capacity in over)
    full = [title for title, n, capacity in over if n == capacity]
    assert len(full) >= 3
    for registration in Registration.objects.prefetch_related("bookings__seminar"):
        held = [b.seminar for b in registration.bookings.all() if b.status in ("confirmed", "waitlisted")]
        for i, a in enumerate(held):
            for b in held[i + 1:]:
                assert not (a.start < b.end and b.start < a.end), (registration, a, b)


def test_demo_is_deterministic_and_safe_to_run_twice(demo):
    first = booking_snapshot()
    call_command("load_demo", "--force", stdout=StringIO())
    assert booking_snapshot() == first
    assert Registration.objects.count() == 770


def test_demo_logins_work(client, demo):
    assert client.login(username="deltagare@demo.mvt.example", password="mvt-demo-2016") or client.post(
        "/accounts/login/", {"login": "deltagare@demo.mvt.example", "password": "mvt-demo-2016"}
    ).status_code == 302
    assert client.get("/mvt2016/me/").status_code == 200


def test_demo_can_move_to_another_day(db):
    from datetime import date

    call_command("load_demo", "--force", "--attendees", "20", "--first-day", "2030-05-06", stdout=StringIO())
    conference = Conference.objects.get(slug="mvt2016")
    assert (conference.first_day, conference.last_day) == (date(2030, 5, 6), date(2030, 5, 7))
    assert conference.seminars.filter(start__date__lt=date(2030, 5, 6)).count() == 0


def test_first_day_accepts_today_and_days_ahead():
    from datetime import timedelta

    from django.utils import timezone

    from sessions.demo import parse_day

    today = timezone.localdate()
    assert parse_day("today") == today
    assert parse_day("+21") == today + timedelta(days=21)
    assert str(parse_day("2016-02-03")) == "2016-02-03"


def test_demo_refuses_to_run_in_production_without_force(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", stdout=StringIO())
    assert not Conference.objects.exists()


@pytest.mark.django_db
def test_reloading_the_demo_keeps_staff_logged_in(client):
    """Issue 11 item 11: load_demo used to set the demo password again (a new salt, a new hash), which
    changes the session hash and logged every demo account out."""
    from django.contrib.auth import get_user_model

    call_command("load_demo", "--force", "--attendees", "5", "--seminars", "10", stdout=StringIO())
    organiser = get_user_model().objects.get(username="organisator")
    before = (organiser.pk, organiser.password)
    client.force_login(organiser)
    assert client.get("/staff/door/").wsgi_request.user.is_authenticated

    call_command("load_demo", "--force", "--attendees", "5", "--seminars", "10", stdout=StringIO())

    organiser.refresh_from_db()
    assert (organiser.pk, organiser.password) == before
    assert organiser.check_password("mvt-demo-2016")
    assert client.get("/staff/door/").wsgi_request.user == organiser
