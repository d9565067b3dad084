"""Real races on PostgreSQL: many connections booking or cancelling the same seminar at once."""

import threading
import time

import pytest
from django.db import connection, connections

from registration.models import Booking, BookingStatus
from registration.services import booking as booking_service
from registration.services.booking import book_seat, cancel_booking
from tests.concurrency import run_at_once

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="true concurrency needs PostgreSQL; SQLite "
                       "serialises all writers, so a race cannot happen there"),
]


@pytest.fixture
def slow_count(monkeypatch):
    """Widen the window between counting seats and writing the booking, so a missing lock shows."""
    real = booking_service.confirmed_count

    def slow(seminar):
        n = real(seminar)
        time.sleep(0.02)
        return n

    monkeypatch.setattr(booking_service, "confirmed_count", slow)


def fill(seminar, make_registration, n):
    for _ in range(n):
        book_seat(registration=make_registration(), seminar=seminar, notify=False)


@pytest.mark.django_db(transaction=True)
def test_fifty_people_race_for_the_last_five_seats(make_seminar, make_registration, slow_count):
    seminar = make_seminar(capacity=10)
    fill(seminar, make_registration, 5)
    people = [make_registration() for _ in range(50)]
    errors = run_at_once([lambda p=p: book_seat(registration=p, seminar=seminar, notify=False) for p in people])
    busy = [e for e in errors if getattr(e, "code", None) == "busy"]
    assert errors == busy, errors
    confirmed = Booking.objects.filter(seminar=seminar, status=BookingStatus.CONFIRMED).count()
    waiting = Booking.objects.filter(seminar=seminar, status=BookingStatus.WAITLISTED).count()
    assert confirmed == 10
    assert waiting == 45 - len(busy)
    assert Booking.objects.filter(seminar=seminar).count() == 55 - len(busy)  # nobody lost, nobody twice


@pytest.mark.django_db(transaction=True)
def test_negative_control_without_the_lock_the_race_overbooks(make_seminar, make_registration, slow_count,
                                                              monkeypatch):
    """Proves the test above can see a race at all: with the lock switched off, seats are oversold."""
    from sessions.models import Seminar

    monkeypatch.setattr(
        booking_service, "lock_seminar",
        lambda seminar_id: Seminar.objects.select_related("conference", "room").get(pk=seminar_id),
    )
    seminar = make_seminar(capacity=10)
    fill(seminar, make_registration, 5)
    people = [make_registration() for _ in range(50)]
    run_at_once([lambda p=p: book_seat(registration=p, seminar=seminar, notify=False) for p in people])
    confirmed = Booking.objects.filter(seminar=seminar, status=BookingStatus.CONFIRMED).count()
    assert confirmed > 10


@pytest.mark.django_db(transaction=True)
def test_concurrent_cancellations_promote_exactly_the_freed_seats_in_order(make_seminar, make_registration,
                                                                            slow_count):
    seminar = make_seminar(capacity=10)
    holders = [book_seat(registration=make_registration(), seminar=seminar, notify=False) for _ in range(10)]
    line = [book_seat(registration=make_registration(), seminar=seminar, notify=False) for _ in range(8)]
    assert {b.status for b in line} == {"waitlisted"}
    errors = run_at_once([lambda b=b: cancel_booking(booking=b, notify=False) for b in holders[:6]])
    assert errors == []
    confirmed = Booking.objects.filter(seminar=seminar, status=BookingStatus.CONFIRMED)
    assert confirmed.count() == 10
    promoted = set(confirmed.values_list("pk", flat=True)) - {b.pk for b in holders}
    assert promoted == {b.pk for b in line[:6]}  # the first six in line, none twice
    assert set(Booking.objects.filter(seminar=seminar, status=BookingStatus.WAITLISTED).values_list("pk", flat=True)) \
        == {b.pk for b in line[6:]}


@pytest.mark.django_db(transaction=True)
def test_lock_wait_is_bounded_and_answers_busy(make_seminar, make_registration, settings):
    from django.db import transaction

    settings.LOCK_TIMEOUT_MS = 200
    seminar = make_seminar(capacity=10)
    person = make_registration()
    holding = threading.Event()
    release = threading.Event()

    def hold_lock():
        with transaction.atomic():
            booking_service.lock_seminar(seminar.pk)
            holding.set()
            release.wait(10)
        connections.close_all()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    assert holding.wait(10)
    try:
        with pytest.raises(booking_service.BookingError) as error:
            book_seat(registration=person, seminar=seminar, notify=False)
        assert error.value.code == "busy"
        assert not Booking.objects.filter(registration=person).exists()
    finally:
        release.set()
        holder.join()


@pytest.mark.django_db(transaction=True)
def test_two_tabs_booking_overlapping_seminars_get_one_seat(make_seminar, make_room, make_registration, slow_count):
    from tests.conftest import local

    first = make_seminar(capacity=10)
    second = make_seminar(capacity=10, room=make_room(), start=local(3, 10, 30), end=local(3, 11, 30))
    person = make_registration()
    for _ in range(5):  # several rounds: the race must never let both through
        Booking.objects.filter(registration=person).delete()
        errors = run_at_once([lambda s=s: book_seat(registration=person, seminar=s, notify=False)
                              for s in (first, second)])
        assert [e.code for e in errors] == ["overlap"]
        assert Booking.objects.filter(registration=person, status__in=["confirmed", "waitlisted"]).count() == 1
