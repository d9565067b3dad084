"""Seat booking rules: capacity, waiting lists, promotion, overlaps, cancellations and their emails."""

import pytest
from django.core import mail

from registration.models import Booking, BookingStatus, OutgoingEmail
from registration.services.booking import BookingError, book_seat, cancel_booking, waitlist_position
from sessions.models import SeminarStatus
from sessions.services import ProgrammeError, cancel_seminar, move_seminar, save_seminar
from tests.conftest import local
from tests.helpers import deliver_emails


@pytest.fixture
def small_seminar(make_seminar):
    return make_seminar(title="Nattillsyn", capacity=2)


def attachment_text(message) -> str:
    content = message.attachments[0][1]
    return content.decode() if isinstance(content, bytes) else content


def statuses(seminar):
    return list(Booking.objects.filter(seminar=seminar).order_by("id").values_list("status", flat=True))


def test_booking_last_seat_then_waitlist(small_seminar, make_registration):
    people = [make_registration() for _ in range(3)]
    results = [book_seat(registration=p, seminar=small_seminar).status for p in people]
    assert results == ["confirmed", "confirmed", "waitlisted"]


def test_full_seminar_without_waitlist_is_refused(small_seminar, make_registration):
    for _ in range(2):
        book_seat(registration=make_registration(), seminar=small_seminar)
    with pytest.raises(BookingError) as error:
        book_seat(registration=make_registration(), seminar=small_seminar, waitlist=False)
    assert error.value.code == "full"


def test_booking_twice_makes_one_row(small_seminar, make_registration):
    person = make_registration()
    first = book_seat(registration=person, seminar=small_seminar)
    second = book_seat(registration=person, seminar=small_seminar)
    assert first.pk == second.pk
    assert Booking.objects.filter(registration=person).count() == 1


def test_overlapping_booking_is_refused_naming_the_other(make_seminar, make_room, make_registration):
    first = make_seminar(title="Sensorer som förebygger fall")
    other = make_seminar(title="Digitala trygghetslarm", room=make_room(), start=local(3, 10, 30), end=local(3, 11, 30))
    person = make_registration()
    book_seat(registration=person, seminar=first)
    with pytest.raises(BookingError) as error:
        book_seat(registration=person, seminar=other)
    assert error.value.code == "overlap"
    assert "Sensorer som förebygger fall" in error.value.message


def test_back_to_back_seminars_can_both_be_booked(make_seminar, make_room, make_registration):
    first = make_seminar()
    second = make_seminar(room=make_room(), start=local(3, 11), end=local(3, 12))
    person = make_registration()
    assert book_seat(registration=person, seminar=first).status == "confirmed"
    assert book_seat(registration=person, seminar=second).status == "confirmed"


@pytest.mark.parametrize("status", [SeminarStatus.DRAFT, SeminarStatus.CANCELLED])
def test_unpublished_or_cancelled_seminar_cannot_be_booked(make_seminar, make_registration, status):
    seminar = make_seminar(status=status)
    with pytest.raises(BookingError) as error:
        book_seat(registration=make_registration(), seminar=seminar)
    assert error.value.code in {"not_bookable", "seminar_cancelled"}


def test_booking_before_opening_is_refused(conference, small_seminar, make_registration):
    conference.booking_opens_at = None
    conference.save()
    with pytest.raises(BookingError) as error:
        book_seat(registration=make_registration(), seminar=small_seminar)
    assert error.value.code == "booking_closed"


def test_cancelled_registration_cannot_book(small_seminar, make_registration):
    with pytest.raises(BookingError) as error:
        book_seat(registration=make_registration(status="cancelled"), seminar=small_seminar)
    assert error.value.code == "registration_cancelled"


def test_cancelling_a_seat_promotes_first_in_line_and_emails_them(
    small_seminar, make_registration
):
    a, b, c, d = (make_registration() for _ in range(4))
    booking_a = book_seat(registration=a, seminar=small_seminar)
    book_seat(registration=b, seminar=small_seminar)
    waiting_c = book_seat(registration=c, seminar=small_seminar)
    waiting_d = book_seat(registration=d, seminar=small_seminar)
    assert waitlist_position(waiting_c) == 1
    assert waitlist_position(waiting_d) == 2
    deliver_emails().clear()
    promoted = cancel_booking(booking=booking_a)
    assert [p.registration for p in promoted] == [c]
    waiting_c.refresh_from_db()
    waiting_d.refresh_from_db()
    assert waiting_c.status == "confirmed"
    assert waitlist_position(waiting_d) == 1
    recipients = sorted(m.to[0] for m in deliver_emails())
    assert recipients == sorted([a.email, c.email])
    promoted_mail = next(m for m in deliver_emails() if m.to == [c.email])
    assert "Nattillsyn" in promoted_mail.subject
    assert promoted_mail.alternatives[0][1] == "text/html"


def test_cancelling_a_place_in_line_promotes_nobody(small_seminar, make_registration):
    for _ in range(2):
        book_seat(registration=make_registration(), seminar=small_seminar)
    waiting = book_seat(registration=make_registration(), seminar=small_seminar)
    assert cancel_booking(booking=waiting) == []
    assert statuses(small_seminar) == ["confirmed", "confirmed", "cancelled"]


def test_cancel_is_idempotent(small_seminar, make_registration):
    booking = book_seat(registration=make_registration(), seminar=small_seminar)
    cancel_booking(booking=booking)
    assert cancel_booking(booking=booking) == []


def test_rebooking_after_cancel_reuses_the_row_and_joins_the_end_of_the_line(small_seminar, make_registration):
    a = make_registration()
    booking = book_seat(registration=a, seminar=small_seminar)
    cancel_booking(booking=booking)
    again = book_seat(registration=a, seminar=small_seminar)
    assert again.pk == booking.pk and again.status == "confirmed"


def test_emails_in_the_attendees_language_from_the_outbox(small_seminar, make_registration):
    swede = make_registration(language="sv")
    english = make_registration(language="en")
    book_seat(registration=swede, seminar=small_seminar)
    book_seat(registration=english, seminar=small_seminar)
    assert mail.outbox == []  # promised as outbox rows; only the worker sends
    assert OutgoingEmail.objects.filter(status="pending").count() == 2
    by_to = {m.to[0]: m for m in deliver_emails()}
    assert by_to[swede.email].subject.startswith("Plats bokad")
    assert by_to[english.email].subject.startswith("Seat booked")


def test_booking_email_carries_an_ics_invitation(small_seminar, make_registration):
    person = make_registration()
    book_seat(registration=person, seminar=small_seminar)
    (_name, _content, mimetype), = deliver_emails()[0].attachments
    assert mimetype.startswith("text/calendar")
    text = attachment_text(deliver_emails()[0])
    assert "METHOD:REQUEST" in text
    assert f"UID:{small_seminar.uid}" in text


def test_organiser_cancelling_a_seminar_cancels_all_bookings_and_emails_everyone(
    small_seminar, make_registration
):
    people = [make_registration() for _ in range(3)]
    for p in people:
        book_seat(registration=p, seminar=small_seminar)
    deliver_emails().clear()
    cancel_seminar(seminar=small_seminar)
    assert statuses(small_seminar) == ["cancelled"] * 3
    assert sorted(m.to[0] for m in deliver_emails()) == sorted(p.email for p in people)
    assert all("METHOD:CANCEL" in attachment_text(m) for m in deliver_emails())


def test_moving_a_seminar_emails_booked_attendees(small_seminar, make_registration, make_room):
    person = make_registration()
    book_seat(registration=person, seminar=small_seminar)
    deliver_emails().clear()
    move_seminar(seminar=small_seminar, room=make_room(capacity=80))
    assert [m.to[0] for m in deliver_emails()] == [person.email]
    assert "SEQUENCE:1" in attachment_text(deliver_emails()[0])


def test_lowering_capacity_below_bookings_needs_confirmation(small_seminar, make_registration):
    people = [make_registration() for _ in range(2)]
    for p in people:
        book_seat(registration=p, seminar=small_seminar)
    small_seminar.capacity = 1
    with pytest.raises(ProgrammeError) as error:
        save_seminar(seminar=small_seminar)
    assert error.value.code == "capacity_below_bookings"
    small_seminar.refresh_from_db()
    assert small_seminar.capacity == 2
    small_seminar.capacity = 1
    save_seminar(seminar=small_seminar, confirm={"capacity_below_bookings"})
    # The most recent booking goes back to the front of the line: never more confirmed than seats.
    assert statuses(small_seminar) == ["confirmed", "waitlisted"]


def test_raising_capacity_promotes_from_the_line(small_seminar, make_registration):
    people = [make_registration() for _ in range(4)]
    for p in people:
        book_seat(registration=p, seminar=small_seminar)
    small_seminar.capacity = 3
    save_seminar(seminar=small_seminar)
    assert statuses(small_seminar) == ["confirmed", "confirmed", "confirmed", "waitlisted"]


def test_one_booking_row_per_registration_and_seminar_in_the_database(small_seminar, make_registration,
                                                                      make_booking):
    from django.db import IntegrityError

    person = make_registration()
    make_booking(person, small_seminar)
    with pytest.raises(IntegrityError):
        make_booking(person, small_seminar, status=BookingStatus.WAITLISTED)


def test_a_failing_mail_server_does_not_break_the_booking(client, small_seminar, make_registration, monkeypatch):
    """The request only promises the email; the worker's send fails, and the email waits for a retry."""
    from django.core.mail.backends.locmem import EmailBackend

    def broken(self, messages):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(EmailBackend, "send_messages", broken)
    registration = make_registration()
    client.force_login(registration.user)
    response = client.post(f"/mvt2016/seminars/{small_seminar.code}/book/")
    assert response.status_code == 302
    assert Booking.objects.get(registration=registration).status == "confirmed"
    assert deliver_emails() == []
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts) == ("pending", 1)
    assert "SMTP down" in email.last_error


def test_online_booking_closes_when_the_seminar_starts(small_seminar, make_registration):
    with pytest.raises(BookingError) as error:
        book_seat(registration=make_registration(), seminar=small_seminar, now=local(3, 10, 0))
    assert error.value.code == "started"


def test_a_walk_in_can_be_seated_until_the_seminar_ends(small_seminar, make_registration):
    person = make_registration()
    assert book_seat(registration=person, seminar=small_seminar, now=local(3, 10, 30), at_the_door=True,
                     waitlist=False).status == "confirmed"
    with pytest.raises(BookingError) as error:
        book_seat(registration=make_registration(), seminar=small_seminar, now=local(3, 11, 0), at_the_door=True)
    assert error.value.code == "ended"


def test_the_booking_button_is_gone_once_the_seminar_started(client, small_seminar, make_registration, monkeypatch):
    monkeypatch.setattr("registration.services.booking.current_time", lambda: local(3, 10, 5))
    client.force_login(make_registration().user)
    page = client.get(small_seminar.get_absolute_url()).content.decode()
    assert 'action="/mvt2016/seminars/' not in page


def test_day_pages_carry_live_seat_counts(client, make_seminar, make_room, make_registration):
    import json
    import re

    full = make_seminar(title="Fullt", capacity=1)
    roomy = make_seminar(title="Gott om plats", capacity=5, room=make_room())
    book_seat(registration=make_registration(), seminar=full, notify=False)
    book_seat(registration=make_registration(), seminar=full, notify=False)
    for url in ("/mvt2016/program/2016-02-03/", "/mvt2016/program/2016-02-03/grid/"):
        client.get(url)  # the programme itself is now cached; the counts must still be current
        book_seat(registration=make_registration(), seminar=roomy, notify=False)
        page = client.get(url).content.decode()
        seats = json.loads(re.search(r'<script id="seat-status" type="application/json">(.*?)</script>', page).group(1))
        assert seats[full.code] == {"free": 0, "waiting": 1}
        assert seats[roomy.code]["free"] == 5 - Booking.objects.filter(seminar=roomy).count()
        assert f'data-seminar="{full.code}"' in page


def test_a_new_place_in_line_carries_its_position_counted_under_the_lock(small_seminar, make_registration):
    for _ in range(2):
        book_seat(registration=make_registration(), seminar=small_seminar)
    first = book_seat(registration=make_registration(), seminar=small_seminar)
    second = book_seat(registration=make_registration(), seminar=small_seminar)
    assert (first.position, second.position) == (1, 2)


def test_sign_up_with_the_mail_server_down_answers_normally_and_keeps_the_email(client, db, settings):
    """Issue 12, item 10: sign-up used to answer 500 when SMTP refused; now the email waits in the outbox."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port
    response = client.post("/accounts/signup/", {"email": "karin@vasteras.se", "password1": "Trygg-larm-2016!",
                                                 "password2": "Trygg-larm-2016!"})
    assert response.status_code == 302
    email = OutgoingEmail.objects.get(to="karin@vasteras.se")
    assert email.kind.startswith("account.") and email.status == "pending"
    assert deliver_emails() == []  # the worker tries, the server refuses, the email waits for a retry
    assert OutgoingEmail.objects.get(pk=email.pk).attempts == 1


@pytest.mark.parametrize("kind", ["plenary", "break", "exhibition"])
def test_items_without_seats_cannot_be_booked(make_seminar, make_registration, client, kind):
    """Issue 11 item 9: a plenary, break or exhibition has no seats; booking refuses with no_seats, the
    page shows no booking box and says nobody needs to book."""
    item = make_seminar(kind=kind, track=None, title="Invigning")
    person = make_registration()
    with pytest.raises(BookingError) as error:
        book_seat(registration=person, seminar=item)
    assert error.value.code == "no_seats"
    assert not item.bookings.exists()
    client.force_login(person.user)
    page = client.get(item.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Inga platser att boka" in page and 'name="waitlist"' not in page and "Boka plats" not in page
