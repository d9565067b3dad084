"""Queueing for a full seminar while holding a seat elsewhere at the same time (a fallback seat)."""

import json

import pytest

from registration.models import Booking, BookingStatus
from registration.services.booking import BookingError, book_seat, cancel_booking, waitlist_position
from tests.conftest import local
from tests.helpers import deliver_emails


@pytest.fixture
def popular_and_other(make_seminar, make_room):
    """"Robotar" (1 seat) and "Larm" (10 seats) at the same time, 10:00–11:00, in different rooms."""
    popular = make_seminar(title="Robotar", capacity=1)
    other = make_seminar(title="Larm", room=make_room(capacity=10), capacity=10)
    return popular, other


def status_of(person, seminar):
    return Booking.objects.get(registration=person, seminar=seminar).status


def confirmed_overlaps():
    rows = list(Booking.objects.filter(status=BookingStatus.CONFIRMED).select_related("seminar"))
    return [(a.pk, b.pk) for a in rows for b in rows if a.registration_id == b.registration_id and a.pk < b.pk
            and a.seminar.start < b.seminar.end and b.seminar.start < a.seminar.end]


def test_a_seat_elsewhere_does_not_stop_queueing(popular_and_other, make_registration):
    popular, other = popular_and_other
    holder, karin = make_registration(), make_registration()
    book_seat(registration=holder, seminar=popular)
    book_seat(registration=karin, seminar=other)
    queued = book_seat(registration=karin, seminar=popular)
    assert queued.status == BookingStatus.WAITLISTED
    assert status_of(karin, other) == BookingStatus.CONFIRMED


def test_a_place_in_line_does_not_stop_a_seat_elsewhere(popular_and_other, make_registration):
    popular, other = popular_and_other
    book_seat(registration=make_registration(), seminar=popular)
    karin = make_registration()
    book_seat(registration=karin, seminar=popular)
    assert book_seat(registration=karin, seminar=other).status == BookingStatus.CONFIRMED


def test_a_seat_elsewhere_still_stops_taking_a_free_seat(popular_and_other, make_registration):
    popular, other = popular_and_other
    karin = make_registration()
    book_seat(registration=karin, seminar=other)
    with pytest.raises(BookingError) as error:
        book_seat(registration=karin, seminar=popular)
    assert error.value.code == "overlap"


def test_promotion_releases_the_fallback_seat_and_moves_that_line_up(popular_and_other, make_registration,
                                                                     make_seminar):
    popular, other = popular_and_other
    other.capacity = 1
    other.save()
    holder, karin, olle = make_registration(), make_registration(), make_registration()
    seat = book_seat(registration=holder, seminar=popular)
    book_seat(registration=karin, seminar=other)
    book_seat(registration=karin, seminar=popular)       # queues, keeping Larm
    book_seat(registration=olle, seminar=other)          # Larm is full: Olle waits there
    deliver_emails().clear()

    cancel_booking(booking=seat)

    assert status_of(karin, popular) == BookingStatus.CONFIRMED
    assert status_of(karin, other) == BookingStatus.CANCELLED
    assert status_of(olle, other) == BookingStatus.CONFIRMED  # the released seat went on down the line
    assert confirmed_overlaps() == []
    karin_mail = next(m for m in deliver_emails() if m.to == [karin.email])
    assert "Robotar" in karin_mail.subject and "Larm" in karin_mail.body


def test_cascading_promotions_keep_the_lines_in_order(make_seminar, make_room, make_registration):
    """Three seminars at once, one seat each: freeing the first seat ripples through all three lines."""
    a = make_seminar(title="A", capacity=1)
    b = make_seminar(title="B", room=make_room(), capacity=1)
    c = make_seminar(title="C", room=make_room(), capacity=1)
    p1, p2, p3, p4 = (make_registration() for _ in range(4))
    seat_a = book_seat(registration=p1, seminar=a, now=local(20, 9, month=1))
    book_seat(registration=p2, seminar=b, now=local(20, 9, month=1))
    book_seat(registration=p3, seminar=c, now=local(20, 9, month=1))
    book_seat(registration=p2, seminar=a, now=local(20, 10, month=1))  # p2 waits for A, holding B
    book_seat(registration=p3, seminar=b, now=local(20, 11, month=1))  # p3 waits for B, holding C
    book_seat(registration=p4, seminar=c, now=local(20, 12, month=1))  # p4 waits for C

    cancel_booking(booking=seat_a)

    assert [status_of(p2, a), status_of(p3, b), status_of(p4, c)] == ["confirmed"] * 3
    assert [status_of(p2, b), status_of(p3, c)] == ["cancelled"] * 2
    assert confirmed_overlaps() == []


def test_the_line_stays_first_come_first_served_with_fallbacks(popular_and_other, make_registration):
    popular, other = popular_and_other
    seat = book_seat(registration=make_registration(), seminar=popular)
    first, second = make_registration(), make_registration()
    book_seat(registration=first, seminar=popular, now=local(20, 9, month=1))
    book_seat(registration=second, seminar=other, now=local(20, 9, month=1))
    waiting_second = book_seat(registration=second, seminar=popular, now=local(20, 10, month=1))
    assert waitlist_position(waiting_second) == 2
    cancel_booking(booking=seat)
    assert status_of(first, popular) == BookingStatus.CONFIRMED
    assert status_of(second, popular) == BookingStatus.WAITLISTED
    assert status_of(second, other) == BookingStatus.CONFIRMED  # not released: no seat came


def test_the_seminar_page_says_what_happens_to_the_fallback_seat(client, popular_and_other, make_registration):
    popular, other = popular_and_other
    book_seat(registration=make_registration(), seminar=popular)
    karin = make_registration()
    book_seat(registration=karin, seminar=other)
    client.cookies["django_language"] = "en"
    client.force_login(karin.user)
    page = client.get(popular.get_absolute_url()).content.decode()
    assert "if you get a seat here, your seat in “Larm” is released" in page
    client.post(f"/mvt2016/seminars/{popular.code}/book/")
    page = client.get(popular.get_absolute_url()).content.decode()
    assert "If you get a seat here, your seat in “Larm” is released." in page


# --- stable codes in the HTTP answers -------------------------------------------------------------------


def test_booking_answers_carry_the_outcome_code(client, popular_and_other, make_registration):
    popular, other = popular_and_other
    karin = make_registration()
    client.force_login(karin.user)
    assert client.post(f"/mvt2016/seminars/{other.code}/book/")["X-MVT-Code"] == "confirmed"
    assert client.post(f"/mvt2016/seminars/{popular.code}/book/")["X-MVT-Code"] == "overlap"
    olle = make_registration()
    client.force_login(olle.user)
    assert client.post(f"/mvt2016/seminars/{popular.code}/book/")["X-MVT-Code"] == "confirmed"
    client.force_login(karin.user)
    assert client.post(f"/mvt2016/seminars/{popular.code}/book/")["X-MVT-Code"] == "waitlisted"
    booking = Booking.objects.get(registration=karin, seminar=popular)
    assert client.post(f"/bookings/{booking.public_id}/cancel/")["X-MVT-Code"] == "cancelled"


def test_booking_answers_json_with_the_code_when_asked(client, popular_and_other, make_registration):
    popular, other = popular_and_other
    karin = make_registration()
    client.force_login(karin.user)
    client.post(f"/mvt2016/seminars/{other.code}/book/")
    response = client.post(f"/mvt2016/seminars/{popular.code}/book/", HTTP_ACCEPT="application/json")
    assert response.status_code == 409
    assert json.loads(response.content)["code"] == "overlap"
    response = client.post(f"/mvt2016/seminars/{popular.code}/book/", HTTP_ACCEPT="application/json")
    assert json.loads(response.content)["code"] == "overlap"


def test_my_programme_says_the_fallback_seat_went_to_the_line(client, popular_and_other, make_registration):
    popular, other = popular_and_other
    seat = book_seat(registration=make_registration(), seminar=popular)
    karin = make_registration()
    book_seat(registration=karin, seminar=other)
    book_seat(registration=karin, seminar=popular)
    cancel_booking(booking=seat)
    client.cookies["django_language"] = "en"
    client.force_login(karin.user)
    page = client.get("/mvt2016/me/").content.decode()
    assert "You got a seat in “Robotar” at the same time, so this one went to the next in line." in page
    assert "Cancel my seat in Robotar" in page and "Cancel my seat in Larm" not in page
