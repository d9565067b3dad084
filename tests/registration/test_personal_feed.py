"""The personal calendar feed: secret rotatable URL, only the owner's seminars, statuses, conditional GET."""

import hashlib

import pytest
import vobject
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from registration.models import Booking, BookingStatus, CalendarToken, Registration
from registration.services import calendar as calendar_service
from sessions import ics
from sessions.demo import build_demo_programme
from sessions.models import Seminar, SeminarStatus
from sessions.services import cancel_seminar, move_seminar
from tests.conftest import local


def feed_path(token: str) -> str:
    return reverse("registration:calendar_feed", kwargs={"token": token})


def uids(content: bytes) -> dict:
    return {str(event["UID"]): event for event in Calendar.from_ical(content).walk("VEVENT")}


@pytest.fixture
def booked(make_registration, make_booking, make_seminar, make_room):
    """Karin's bookings in every state, and Olle's one seat; returns the pieces by name."""
    karin = make_registration(name="Karin Öst", language="sv")
    olle = make_registration(name="Olle Berg")
    confirmed = make_seminar(title="Bokad", start=local(3, 9), end=local(3, 10))
    waiting = make_seminar(title="Väntelista", start=local(3, 10), end=local(3, 11))
    given_up = make_seminar(title="Avbokad", start=local(3, 11), end=local(3, 12))
    called_off = make_seminar(title="Ställs in", start=local(3, 13), end=local(3, 14))
    draft = make_seminar(title="Utkast", start=local(3, 14), end=local(3, 15), status=SeminarStatus.DRAFT)
    olles = make_seminar(title="Olles seminarium", start=local(4, 9), end=local(4, 10))
    make_booking(karin, confirmed)
    make_booking(karin, waiting, status=BookingStatus.WAITLISTED)
    make_booking(karin, given_up, status=BookingStatus.CANCELLED, cancelled_at=timezone.now())
    make_booking(karin, called_off)
    make_booking(karin, draft)
    make_booking(olle, olles)
    cancel_seminar(seminar=called_off)
    Booking.objects.filter(seminar=called_off).update(status=BookingStatus.CANCELLED)  # as the lead's hook does
    return {
        "karin": karin, "olle": olle, "confirmed": confirmed, "waiting": waiting, "given_up": given_up,
        "called_off": called_off, "draft": draft, "olles": olles,
        "token": calendar_service.issue_calendar_token(registration=karin),
    }


def test_token_is_random_and_only_its_hash_is_stored(booked):
    token = booked["token"]
    assert len(token) == calendar_service.TOKEN_LENGTH == 44
    row = CalendarToken.objects.get(registration=booked["karin"])
    secret = token[calendar_service.LOOKUP_LENGTH:]
    assert row.lookup == token[:calendar_service.LOOKUP_LENGTH]
    assert row.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in row.lookup + row.secret_hash
    assert str(booked["karin"].pk) not in token and "karin" not in token.lower()
    assert len(set(secret)) > 8  # 32 random base32 characters: 160 bits
    other = calendar_service.issue_calendar_token(registration=booked["olle"])
    assert other[:12] != token[:12] and other[12:] != token[12:]


def test_feed_holds_only_owners_seminars_with_statuses(client, booked):
    response = client.get(feed_path(booked["token"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = uids(response.content)
    expected = {f"{booked[name].uid}@mvt" for name in ("confirmed", "waiting", "called_off")}
    assert set(events) == expected
    assert str(events[f"{booked['confirmed'].uid}@mvt"]["STATUS"]) == "CONFIRMED"
    assert str(events[f"{booked['waiting'].uid}@mvt"]["STATUS"]) == "TENTATIVE"
    called_off = events[f"{booked['called_off'].uid}@mvt"]
    assert str(called_off["STATUS"]) == "CANCELLED"
    assert called_off["SEQUENCE"] == 1
    assert b"Olles seminarium" not in response.content
    assert b"Utkast" not in response.content
    assert "Karin" not in response.content.decode()  # no personal data in the calendar itself
    parsed = vobject.readOne(response.content.decode())
    assert {event.uid.value: event.status.value for event in parsed.vevent_list} == {
        f"{booked['confirmed'].uid}@mvt": "CONFIRMED",
        f"{booked['waiting'].uid}@mvt": "TENTATIVE",
        f"{booked['called_off'].uid}@mvt": "CANCELLED",
    }


def test_other_attendee_sees_only_their_own(client, booked):
    token = calendar_service.issue_calendar_token(registration=booked["olle"])
    assert set(uids(client.get(feed_path(token)).content)) == {f"{booked['olles'].uid}@mvt"}


def test_feed_is_private_and_uncached_by_shared_caches(client, booked):
    response = client.get(feed_path(booked["token"]))
    assert response["Cache-Control"] == "private, max-age=300"
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_rotated_token_old_404_new_200(client, booked):
    old = booked["token"]
    new = calendar_service.issue_calendar_token(registration=booked["karin"])
    assert client.get(feed_path(old)).status_code == 404
    assert client.get(feed_path(new)).status_code == 200
    assert CalendarToken.objects.filter(registration=booked["karin"]).count() == 1


@pytest.mark.parametrize("mangle", [
    lambda t: t[:12] + ("a" if t[12] != "a" else "b") + t[13:],  # right lookup, wrong secret
    lambda t: t[:-1],  # too short
    lambda t: t + "a",  # too long
    lambda t: t.upper(),  # outside the alphabet
    lambda t: ("a" if t[0] != "a" else "b") + t[1:],  # unknown lookup
])
def test_wrong_tokens_answer_404(client, booked, mangle):
    assert client.get(feed_path(mangle(booked["token"]))).status_code == 404


def test_cancelled_registration_feed_answers_404(client, booked):
    Registration.objects.filter(pk=booked["karin"].pk).update(status="cancelled")
    assert client.get(feed_path(booked["token"])).status_code == 404


def test_conditional_get_and_what_changes_the_etag(client, booked, django_assert_num_queries, monkeypatch):
    path = feed_path(booked["token"])
    first = client.get(path)

    def must_not_build(*args, **kwargs):
        raise AssertionError("the 304 path built the calendar")

    monkeypatch.setattr(ics, "feed_calendar", must_not_build)
    with django_assert_num_queries(2):
        not_modified = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304
    assert not_modified["Cache-Control"] == "private, max-age=300"
    with django_assert_num_queries(2):
        assert client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    monkeypatch.undo()

    # promoted from the waiting list, even by a bulk update that leaves updated_at alone
    Booking.objects.filter(seminar=booked["waiting"]).update(status=BookingStatus.CONFIRMED)
    second = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert str(uids(second.content)[f"{booked['waiting'].uid}@mvt"]["STATUS"]) == "CONFIRMED"

    move_seminar(seminar=booked["confirmed"], start=local(4, 15), end=local(4, 16))
    third = client.get(path, HTTP_IF_NONE_MATCH=second["ETag"])
    assert third.status_code == 200
    assert uids(third.content)[f"{booked['confirmed'].uid}@mvt"]["SEQUENCE"] == 1


def test_giving_up_a_seat_removes_it(client, booked):
    path = feed_path(booked["token"])
    first = client.get(path)
    Booking.objects.filter(seminar=booked["confirmed"]).update(status=BookingStatus.CANCELLED)
    response = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200
    assert f"{booked['confirmed'].uid}@mvt" not in uids(response.content)


@pytest.mark.parametrize("size", [60, 240])
def test_personal_feed_query_counts_do_not_grow(client, db, size, django_assert_num_queries):
    conference = build_demo_programme(seminars=size)
    registration = Registration.objects.create(
        conference=conference, email="anna@example.org", name="Anna", organisation_type="company",
        organisation_name="Exempel AB",
    )
    seminars = list(Seminar.objects.filter(conference=conference).order_by("start"))
    for i, seminar in enumerate(seminars[::6]):
        status = BookingStatus.WAITLISTED if i % 3 == 0 else BookingStatus.CONFIRMED
        Booking.objects.create(registration=registration, seminar=seminar, status=status, queued_at=timezone.now())
    token = calendar_service.issue_calendar_token(registration=registration)
    with django_assert_num_queries(7):
        response = client.get(feed_path(token))
    assert len(uids(response.content)) == len(seminars[::6])
    with django_assert_num_queries(2):
        assert client.get(feed_path(token), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_calendar_page_requires_login(client, booked):
    url = reverse("registration:calendar", kwargs={"conference": booked["karin"].conference.slug})
    response = client.post(url)
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert CalendarToken.objects.get(registration=booked["karin"]).lookup == booked["token"][:12]


def test_calendar_page_makes_and_shows_a_working_address_once(client, booked):
    karin = booked["karin"]
    client.force_login(karin.user)
    url = reverse("registration:calendar", kwargs={"conference": karin.conference.slug})
    page = client.get(url)
    assert page.status_code == 200
    assert b"webcal://" not in page.content  # the address is never shown again after it was made
    response = client.post(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    html = response.content.decode()
    row = CalendarToken.objects.get(registration=karin)
    start = html.index(f"/cal/{row.lookup}")
    new_path = html[start:html.index(".ics", start) + 4]
    assert 'href="webcal://' in html
    assert client.get(new_path).status_code == 200
    assert client.get(feed_path(booked["token"])).status_code == 404


def test_calendar_page_only_touches_own_registration(client, booked, make_user):
    olle = booked["olle"]
    client.force_login(olle.user)
    client.post(reverse("registration:calendar", kwargs={"conference": olle.conference.slug}))
    assert client.get(feed_path(booked["token"])).status_code == 200  # Karin's address still works
    stranger = make_user()
    client.force_login(stranger)
    url = reverse("registration:calendar", kwargs={"conference": olle.conference.slug})
    assert client.post(url).status_code == 404
    assert not CalendarToken.objects.filter(registration__user=stranger).exists()


def test_cancelling_a_registration_stops_its_personal_feed(client, make_registration):
    from registration.services.calendar import issue_calendar_token
    from registration.services.registrations import cancel_registration

    registration = make_registration()
    token = issue_calendar_token(registration=registration)
    assert client.get(f"/cal/{token}.ics").status_code == 200
    cancel_registration(registration=registration)
    assert client.get(f"/cal/{token}.ics").status_code == 404


def test_a_place_in_line_says_so_in_its_title_and_moves_up(client, make_registration, make_seminar):
    """Issue 11, item 8: "kö: nummer 2", and the feed changes when someone ahead leaves the line."""
    from registration.services.booking import book_seat, cancel_booking

    seminar = make_seminar(title="Välfärdsteknik i glesbygd", capacity=1)
    book_seat(registration=make_registration(), seminar=seminar, notify=False)
    ahead = book_seat(registration=make_registration(), seminar=seminar, notify=False)
    me = make_registration(language="sv")
    book_seat(registration=me, seminar=seminar, notify=False)
    token = calendar_service.issue_calendar_token(registration=me)
    first = client.get(feed_path(token))
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(first.content).walk("VEVENT")]
    assert summaries == ["Välfärdsteknik i glesbygd (kö: nummer 2)"]

    cancel_booking(booking=ahead, notify=False)
    again = client.get(feed_path(token), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(again.content).walk("VEVENT")]
    assert summaries == ["Välfärdsteknik i glesbygd (kö: nummer 1)"]
