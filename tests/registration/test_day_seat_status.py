"""The day pages' live seat counts (seat_status_for_day): what each booking status counts for, and what is left out."""

from registration.models import BookingStatus
from registration.selectors.attendees import seat_status_for_day
from sessions.models import SeminarStatus
from tests.conftest import local


def test_counts_confirmed_seats_and_the_line_only(conference, make_seminar, make_room, make_registration,
                                                    make_booking):
    busy = make_seminar(capacity=3)
    empty = make_seminar(capacity=7, room=make_room())
    for status in [BookingStatus.CONFIRMED, BookingStatus.CONFIRMED, BookingStatus.WAITLISTED,
                   BookingStatus.CANCELLED, BookingStatus.WATCHING, BookingStatus.WATCHING, BookingStatus.CANCELLED]:
        make_booking(make_registration(), busy, status=status)
    make_booking(make_registration(), empty, status=BookingStatus.CANCELLED)

    seats = seat_status_for_day(conference, local(3, 0).date())

    assert seats == {busy.code: {"free": 1, "waiting": 1}, empty.code: {"free": 7, "waiting": 0}}


def test_an_overbooked_seminar_shows_none_free(conference, make_seminar, make_registration, make_booking):
    seminar = make_seminar(capacity=1)
    for _ in range(3):
        make_booking(make_registration(), seminar)
    assert seat_status_for_day(conference, local(3, 0).date())[seminar.code] == {"free": 0, "waiting": 0}


def test_only_the_days_published_seminars(conference, make_seminar, make_room):
    today = make_seminar()
    make_seminar(room=make_room(), status=SeminarStatus.DRAFT)
    make_seminar(room=make_room(), status=SeminarStatus.CANCELLED)
    make_seminar(room=make_room(), kind="plenary", track=None)
    make_seminar(room=make_room(), start=local(4, 10), end=local(4, 11))
    make_seminar(room=make_room(), start=local(4, 0), end=local(4, 1))  # local midnight: the next day

    assert list(seat_status_for_day(conference, local(3, 0).date())) == [today.code]
    conference.is_published = False
    conference.save()
    assert seat_status_for_day(conference, local(3, 0).date()) == {}
