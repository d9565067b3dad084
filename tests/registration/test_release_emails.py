"""A programme release tells each affected attendee once, and which per-edit emails still go at once.

The choice: once a conference has published a release, a plain move (new time or room, nobody loses a seat)
waits for the next release's summary. Personal consequences are told at once: a seat released by a clash,
a seat withdrawn by a capacity cut (demoted to the line), a booking cancelled with its seminar.
"""

import pytest

from registration.models import Booking, BookingStatus, OutgoingEmail
from sessions import ports
from sessions.models import Release
from sessions.releases import ReleaseCode, publish_release
from sessions.services import cancel_seminar, move_seminar, save_seminar
from tests.conftest import local
from tests.helpers import deliver_emails


@pytest.fixture
def booked(make_seminar, make_room, make_registration, make_booking):
    big = make_room(name="Stora salen", capacity=100)
    morning = make_seminar(title="Morgonpass", start=local(3, 9), end=local(3, 10), capacity=10)
    noon = make_seminar(title="Lunchpass", room=big, start=local(3, 12), end=local(3, 13), capacity=10)
    quiet = make_seminar(title="Orört", room=big, start=local(3, 9), end=local(3, 10), capacity=10)
    anna = make_registration(name="Anna Andersson", language="sv")
    bert = make_registration(name="Bert Berg", language="en")
    cilla = make_registration(name="Cilla Carlsson")
    make_booking(anna, morning)
    make_booking(anna, noon)
    make_booking(bert, noon, status=BookingStatus.WAITLISTED)
    make_booking(cilla, quiet)
    return {"morning": morning, "noon": noon, "quiet": quiet, "anna": anna, "bert": bert, "cilla": cilla}


def _by_person(messages):
    found = {}
    for message in messages:
        found.setdefault(message.to[0], []).append(message)
    return found


def test_each_affected_attendee_gets_one_summary_in_their_language(conference, booked):
    publish_release(conference=conference)
    deliver_emails().clear()
    move_seminar(seminar=booked["morning"], start=local(3, 15), end=local(3, 16))
    noon = booked["noon"]
    noon.title = "Lunchpass med ny titel"
    save_seminar(seminar=noon)
    assert deliver_emails() == []  # the plain move waits for the release
    publish_release(conference=conference, note="Flyttat efter önskemål")
    sent = _by_person(deliver_emails())
    assert set(sent) == {booked["anna"].email, booked["bert"].email}  # Cilla's seminar did not change
    anna, = sent[booked["anna"].email]
    assert "Programändringar" in anna.subject
    assert "Morgonpass" in anna.body and "Lunchpass med ny titel" in anna.body
    assert "Flyttad från onsdag 3 februari 09:00–10:00" in anna.body and "Flyttat efter önskemål" in anna.body
    bert, = sent[booked["bert"].email]  # in line: told too, in English, only about his seminar
    assert "Programme changes" in bert.subject
    assert "Lunchpass med ny titel" in bert.body and "Morgonpass" not in bert.body
    assert "New title (was “Lunchpass”)" in bert.body


def test_the_summary_is_promised_in_the_release_transaction(conference, booked):
    publish_release(conference=conference)
    assert not OutgoingEmail.objects.filter(kind="programme.release").exists()  # the first release tells nobody
    move_seminar(seminar=booked["morning"], start=local(3, 15), end=local(3, 16))

    class Failing(type(ports.bookings())):
        def announce_release(self, release, changes):
            super().announce_release(release, changes)
            raise RuntimeError("the mail side broke")

    real = ports.bookings()
    ports.register_bookings(Failing())
    try:
        with pytest.raises(RuntimeError):
            publish_release(conference=conference)
    finally:
        ports.register_bookings(real)
    assert Release.objects.filter(conference=conference).count() == 1
    assert not OutgoingEmail.objects.filter(kind="programme.release").exists()


def test_before_the_first_release_a_move_is_told_at_once(conference, booked):
    deliver_emails().clear()
    move_seminar(seminar=booked["morning"], start=local(3, 15), end=local(3, 16))
    sent = deliver_emails()
    assert [m.to[0] for m in sent] == [booked["anna"].email]
    assert "flyttat" in sent[0].subject.lower()


def test_personal_consequences_are_told_at_once_after_a_release(conference, booked, make_registration,
                                                                 make_booking):
    publish_release(conference=conference)
    deliver_emails().clear()
    # A capacity cut withdraws the newest seat.
    dora = make_registration(name="Dora Dahl")
    make_booking(dora, booked["quiet"])
    quiet = booked["quiet"]
    quiet.capacity = 1
    save_seminar(seminar=quiet, confirm={"capacity_below_bookings"})
    # A move that overlaps Anna's other seat releases one of them.
    move_seminar(seminar=booked["morning"], start=local(3, 12), end=local(3, 13), confirm={"attendee_clash"})
    # A cancellation cancels Bert's place in line.
    cancel_seminar(seminar=booked["noon"], reason="Talaren är sjuk")
    assert Booking.objects.get(registration=dora).status == BookingStatus.WAITLISTED
    kinds = {(email.to, email.kind) for email in OutgoingEmail.objects.all()}
    assert kinds == {
        (dora.email, "booking.demoted"),
        (booked["anna"].email, "booking.clash"),  # she booked the moved one first: her noon seat was released
        (booked["bert"].email, "booking.promoted"),  # and went to Bert, first in line
        (booked["bert"].email, "booking.seminar_cancelled"),
    }
    assert len(deliver_emails()) == 4
    assert not OutgoingEmail.objects.filter(kind="booking.moved").exists()

def test_the_desk_previews_and_publishes_a_release(client, conference, booked, organiser):
    client.force_login(organiser)
    client.cookies["django_language"] = "en"
    url = "/staff/desk/mvt2016/releases/"
    page = client.get(url).content.decode()
    assert "What release 1 would publish" in page
    assert "This is the first release: nobody is emailed about it" in page
    response = client.post(url, {"note": "Första versionen"})
    assert response.status_code == 302 and response["X-MVT-Code"] == "published"
    release = Release.objects.get(conference=conference)
    assert (release.number, release.note, release.published_by) == (1, "Första versionen", organiser)
    page = client.get(url).content.decode()
    assert "Release 1 is published." in page and "Nothing in the public programme has changed" in page
    refused = client.post(url, {"note": ""})
    assert refused.status_code == 400 and refused["X-MVT-Code"] == ReleaseCode.NOTHING_CHANGED
    move_seminar(seminar=booked["morning"], start=local(3, 15), end=local(3, 16))
    page = client.get(url).content.decode()
    assert '<p data-number="affected">1 attendee with' in page and "Morgonpass" in page
    noon = booked["noon"]
    noon.title = "Lunchpass med ny titel"
    save_seminar(seminar=noon)
    page = client.get(url).content.decode()
    assert '<p data-number="affected">2 attendees' in page  # Anna (in both) once, and Bert in line
    too_long = client.post(url, {"note": "x" * 2001})
    assert too_long.status_code == 400 and Release.objects.filter(conference=conference).count() == 1


def test_only_organisers_reach_the_release_page(client, conference, booked, door_staff):
    client.force_login(door_staff)
    assert client.get("/staff/desk/mvt2016/releases/").status_code == 403
    assert client.post("/staff/desk/mvt2016/releases/").status_code == 403
    assert not Release.objects.exists()



def test_a_watcher_is_told_in_the_release_too(conference, booked, make_registration, make_booking):
    """A plain move waits for the release for everyone, so the release must reach watch places as well."""
    dora = make_registration(name="Dora Digital", category="digital")
    make_booking(dora, booked["quiet"], status=BookingStatus.WATCHING)
    publish_release(conference=conference)
    deliver_emails().clear()
    move_seminar(seminar=booked["quiet"], start=local(3, 15), end=local(3, 16))
    assert ports.bookings().people_affected([booked["quiet"].pk]) == 2
    publish_release(conference=conference)
    assert set(_by_person(deliver_emails())) == {booked["cilla"].email, dora.email}
