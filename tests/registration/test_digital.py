"""Digital participation (issue 11 item 12): watch places take no room seat and open no door; the stream
link reaches only registered attendees, never a public page, feed, export or API."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from registration.errors import BookingError, Code
from registration.models import Booking, BookingStatus, TicketCategory, Verdict
from registration.selectors.checkpoints import seminar_checkpoint
from registration.services.badges import issue_badge
from registration.services.booking import book_seat, cancel_booking, seat_counts
from registration.services.calendar import issue_calendar_token
from registration.services.door import check_in
from sessions.models import SeminarStatus
from sessions.services import cancel_seminar
from tests.conftest import local

LINK = "https://meet.example.org/mvt-stream-7f3a9c"


@pytest.fixture
def digital(make_registration):
    def make(**fields):
        return make_registration(category=TicketCategory.DIGITAL, **fields)

    return make


@pytest.fixture
def streamed(make_seminar):
    def make(**fields):
        fields.setdefault("stream_url", LINK)
        return make_seminar(**fields)

    return make


# --- Watch places -------------------------------------------------------------------------------------


def test_digital_attendee_gets_a_watch_place_that_takes_no_seat(digital, make_registration, streamed):
    seminar = streamed(capacity=1)
    watcher = book_seat(registration=digital(), seminar=seminar)
    assert watcher.status == BookingStatus.WATCHING
    # The room's one seat is still free for someone in the room.
    seated = book_seat(registration=make_registration(), seminar=seminar)
    assert seated.status == BookingStatus.CONFIRMED
    assert seat_counts([seminar.pk])[seminar.pk] == {"confirmed": 1, "waitlisted": 0, "watching": 1}


def test_full_room_still_takes_watch_places_and_invariant_one_holds(digital, make_registration, streamed):
    seminar = streamed(capacity=2)
    for _ in range(2):
        book_seat(registration=make_registration(), seminar=seminar)
    watchers = [book_seat(registration=digital(), seminar=seminar) for _ in range(5)]
    line = book_seat(registration=make_registration(), seminar=seminar)
    assert {w.status for w in watchers} == {BookingStatus.WATCHING}
    assert line.status == BookingStatus.WAITLISTED  # the watch places did not make the room look emptier
    assert Booking.objects.filter(seminar=seminar, status=BookingStatus.CONFIRMED).count() == seminar.capacity


def test_cancelling_a_watch_place_promotes_nobody(digital, make_registration, streamed):
    seminar = streamed(capacity=1)
    book_seat(registration=make_registration(), seminar=seminar)
    waiting = book_seat(registration=make_registration(), seminar=seminar)
    watch = book_seat(registration=digital(), seminar=seminar)
    assert cancel_booking(booking=watch) == []
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.WAITLISTED


def test_watch_places_only_in_streamed_seminars(digital, make_seminar):
    with pytest.raises(BookingError) as refused:
        book_seat(registration=digital(), seminar=make_seminar())
    assert refused.value.code == Code.NOT_STREAMED


def test_watch_places_may_overlap(digital, streamed, make_room):
    person = digital()
    first = book_seat(registration=person, seminar=streamed())
    second = book_seat(registration=person, seminar=streamed(room=make_room()))  # the same hour
    assert (first.status, second.status) == (BookingStatus.WATCHING, BookingStatus.WATCHING)


def test_watch_place_booking_is_idempotent(digital, streamed):
    person, seminar = digital(), streamed()
    assert book_seat(registration=person, seminar=seminar).pk == book_seat(registration=person, seminar=seminar).pk
    assert Booking.objects.filter(registration=person).count() == 1


def test_watch_place_can_be_booked_after_start_until_end(digital, streamed):
    seminar = streamed()
    booking = book_seat(registration=digital(), seminar=seminar, now=local(3, 10, 30))
    assert booking.status == BookingStatus.WATCHING
    with pytest.raises(BookingError) as refused:
        book_seat(registration=digital(), seminar=seminar, now=local(3, 11))
    assert refused.value.code == Code.ENDED


def test_watch_place_never_admits_at_the_room_door(digital, streamed, door_staff):
    seminar = streamed(capacity=3)
    person = digital()
    book_seat(registration=person, seminar=seminar)
    badge = issue_badge(person)
    checkpoint = seminar_checkpoint(seminar)
    plain = check_in(code=badge.code, checkpoint=checkpoint, staff=door_staff, nonce="nonce-digital-1",
                     now=local(3, 9, 50))
    walk_in = check_in(code=badge.code, checkpoint=checkpoint, staff=door_staff, nonce="nonce-digital-2",
                       walk_in=True, now=local(3, 9, 50))
    assert (plain.verdict, walk_in.verdict) == (Verdict.NO_BOOKING, Verdict.NO_BOOKING)
    assert walk_in.booking_error.code == Code.DIGITAL_NO_SEAT
    assert Booking.objects.get(registration=person).status == BookingStatus.WATCHING  # no seat was taken


def test_cancelling_the_seminar_cancels_watch_places(digital, streamed):
    seminar = streamed()
    watch = book_seat(registration=digital(), seminar=seminar)
    cancel_seminar(seminar=seminar, reason="Sjuk talare")
    watch.refresh_from_db()
    assert watch.status == BookingStatus.CANCELLED


def test_digital_attendee_books_through_the_seminar_page(client, digital, streamed):
    person, seminar = digital(), streamed(capacity=1)
    client.force_login(person.user)
    response = client.post(reverse("registration:book", args=[seminar.conference.slug, seminar.code]))
    assert response["X-MVT-Code"] == BookingStatus.WATCHING
    assert Booking.objects.get(registration=person).status == BookingStatus.WATCHING


# --- The stream link: who sees it --------------------------------------------------------------------


def test_registered_attendee_sees_the_link_on_the_seminar_page_and_in_my_programme(client, make_registration,
                                                                                   streamed):
    seminar = streamed()
    person = make_registration()
    book_seat(registration=person, seminar=seminar)
    client.force_login(person.user)
    assert LINK in client.get(seminar.get_absolute_url()).content.decode()
    assert LINK in client.get(reverse("registration:my_programme", args=[seminar.conference.slug])).content.decode()


def test_cancelled_registration_does_not_see_the_link(client, make_registration, streamed):
    seminar = streamed()
    person = make_registration(status="cancelled")
    client.force_login(person.user)
    assert LINK not in client.get(seminar.get_absolute_url()).content.decode()


def test_stream_link_never_reaches_public_pages_feeds_exports(client, make_user, make_speaker, streamed, track,
                                                              room, make_registration):
    speaker = make_speaker()
    seminar = streamed(speakers=[speaker], stream_in_personal_feed=True)
    conf = seminar.conference
    # The link exists and is visible to an attendee, so its absence below is meaningful.
    attendee = make_registration()
    client.force_login(attendee.user)
    assert LINK in client.get(seminar.get_absolute_url()).content.decode()
    client.logout()
    public = [
        seminar.get_absolute_url(),
        reverse("programme:conference", args=[conf.slug]),
        reverse("programme:day", args=[conf.slug, conf.first_day]),
        reverse("programme:day_grid", args=[conf.slug, conf.first_day]),
        reverse("programme:speakers", args=[conf.slug]),
        reverse("programme:speaker", args=[conf.slug, speaker.slug]),
        reverse("programme:feed", args=[conf.slug]),
        reverse("programme:schedule_json", args=[conf.slug]),
        reverse("programme:schedule_xml", args=[conf.slug]),
        reverse("programme:feed_track", args=[conf.slug, track.slug]),
        reverse("programme:feed_room", args=[conf.slug, room.pk]),
        reverse("programme:seminar_ics", args=[conf.slug, seminar.code]),
    ]
    stranger = make_user()  # logged in, but not registered
    for who in (None, stranger):
        if who:
            client.force_login(who)
        for url in public:
            response = client.get(url)
            assert response.status_code == 200, url
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert b"meet.example.org" not in body, url


def test_personal_feed_has_the_link_only_when_the_organiser_allows_it(client, make_registration, streamed,
                                                                      make_room):
    allowed = streamed(stream_in_personal_feed=True, title="Med länk")
    not_allowed = streamed(room=make_room(), stream_url="https://meet.example.org/other-9d2", title="Utan länk")
    person = make_registration()
    book_seat(registration=person, seminar=allowed)
    watch_room = make_room()
    third = streamed(room=watch_room, start=local(3, 13), end=local(3, 14), stream_url="https://meet.example.org/x")
    book_seat(registration=person, seminar=third)
    Booking.objects.create(registration=person, seminar=not_allowed, status=BookingStatus.WAITLISTED,
                           queued_at=local(20, 12, month=1))
    url = reverse("registration:calendar_feed", kwargs={"token": issue_calendar_token(registration=person)})
    calendar = Calendar.from_ical(client.get(url).content)
    descriptions = {str(e["SUMMARY"]).split(" (")[0]: str(e["DESCRIPTION"]) for e in calendar.walk("VEVENT")}
    assert LINK in descriptions["Med länk"]
    assert "meet.example.org" not in descriptions["Utan länk"]
    assert "meet.example.org" not in descriptions[third.title]


def test_draft_seminar_link_is_never_shown(make_registration, streamed):
    from registration.selectors import stream_link_for

    person = make_registration()
    assert stream_link_for(person, streamed()) == LINK
    assert stream_link_for(person, streamed(status=SeminarStatus.DRAFT)) == ""
    assert stream_link_for(None, streamed()) == ""
    assert stream_link_for(make_registration(status="cancelled"), streamed()) == ""


def test_link_is_not_shown_to_another_conferences_attendee(make_registration, streamed):
    from datetime import date

    from registration.selectors import stream_link_for
    from sessions.models import Conference

    other = Conference.objects.create(name="MVT2017", slug="mvt2017", venue="Kista", first_day=date(2017, 2, 1),
                                      last_day=date(2017, 2, 2), is_published=True)
    assert stream_link_for(make_registration(conference=other), streamed()) == ""


def test_a_seminar_with_only_watch_places_cannot_become_a_plenary(make_seminar, make_registration, make_booking):
    from sessions.services import ProgrammeError, save_seminar

    seminar = make_seminar(stream_url="https://stream.example.org/x")
    make_booking(make_registration(category=TicketCategory.DIGITAL), seminar, status=BookingStatus.WATCHING)
    seminar.kind, seminar.track = "plenary", None
    with pytest.raises(ProgrammeError) as refused:
        save_seminar(seminar=seminar)
    assert refused.value.code == "kind_with_bookings"
    assert Booking.objects.filter(seminar=seminar, status=BookingStatus.WATCHING).count() == 1


def test_a_streamed_plenary_gives_its_link_to_everyone_registered_with_nothing_to_book(
        client, make_registration, make_user, streamed, make_room):
    plenary = streamed(title="Invigning", kind="plenary", track=None)
    streamed(title="Lunch", kind="break", track=None, stream_url="", room=make_room())
    streamed(title="Bokbart seminarium", room=make_room())  # streamed too, but booked (or not) as usual
    streamed(title="Hemlig keynote", kind="plenary", track=None, status=SeminarStatus.DRAFT, room=make_room())
    anonymous = client.get(plenary.get_absolute_url()).content.decode()
    assert LINK not in anonymous

    for person in (make_registration(), make_registration(category=TicketCategory.DIGITAL)):
        client.force_login(person.user)
        page = client.get(plenary.get_absolute_url()).content.decode()
        assert LINK in page and 'action="/mvt2016/seminars/' not in page  # the link, and no booking form
        mine = client.get(reverse("registration:my_programme", args=["mvt2016"])).content.decode()
        assert "Invigning" in mine and LINK in mine
        assert "Lunch" not in mine and "Hemlig keynote" not in mine and "Bokbart seminarium" not in mine
    assert not Booking.objects.exists()

    client.force_login(make_user(email="utan-registrering@example.org"))
    assert LINK not in client.get(plenary.get_absolute_url()).content.decode()
    cancel_seminar(seminar=plenary, reason="Flyttad")
    person = make_registration()
    client.force_login(person.user)
    assert LINK not in client.get(reverse("registration:my_programme", args=["mvt2016"])).content.decode()
    assert LINK not in client.get(plenary.get_absolute_url()).content.decode()
