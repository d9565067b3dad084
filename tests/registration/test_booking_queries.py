"""book_seat reads the attendee's own and overlapping bookings in one query and reuses what the
programme's selector already loaded for the email (speakers, track)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from registration.models import BookingStatus
from registration.services.booking import BookingError, book_seat, cancel_booking
from sessions.selectors import get_public_seminar
from tests.conftest import local
from tests.helpers import deliver_emails


def test_booking_again_after_cancelling_still_refuses_an_overlap(make_seminar, make_room, make_registration):
    first = make_seminar(title="Sensorer som förebygger fall")
    other = make_seminar(title="Digitala trygghetslarm", room=make_room(), start=local(3, 10, 30), end=local(3, 11, 30))
    person = make_registration()
    cancel_booking(booking=book_seat(registration=person, seminar=first))
    assert book_seat(registration=person, seminar=other).status == BookingStatus.CONFIRMED
    try:
        book_seat(registration=person, seminar=first)
    except BookingError as error:
        assert error.code == "overlap"
        assert "Digitala trygghetslarm" in error.message
    else:
        raise AssertionError("an overlapping booking was accepted")


def test_booking_again_after_cancelling_reuses_the_row(make_seminar, make_registration):
    seminar = make_seminar()
    person = make_registration()
    first = book_seat(registration=person, seminar=seminar)
    cancel_booking(booking=first)
    again = book_seat(registration=person, seminar=seminar)
    assert again.pk == first.pk
    assert again.status == BookingStatus.CONFIRMED


def test_booking_email_uses_the_speakers_the_seminar_page_loaded(
    conference, make_seminar, make_speaker, make_registration,
):
    speaker = make_speaker(name="Karin Lindqvist", title="Utvecklingsledare")
    seminar = get_public_seminar(conference, make_seminar(speakers=[speaker]).code)
    with CaptureQueriesContext(connection) as queries:
        book_seat(registration=make_registration(), seminar=seminar)
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "programme_seminarspeaker" not in sql
    assert "programme_track" not in sql
    invitation = deliver_emails()[-1].attachments[0][1]
    invitation = invitation.decode() if isinstance(invitation, bytes) else invitation
    assert "Karin Lindqvist" in invitation.replace("\r\n ", "")
