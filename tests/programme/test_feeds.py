"""Public calendar feeds and the seminar .ics: parsed back by icalendar and by vobject, field by field."""

from datetime import UTC, datetime, timedelta

import pytest
import vobject
from django.conf import settings
from django.urls import reverse
from icalendar import Calendar

from sessions import ics
from sessions.demo import ITEMS, build_demo_programme
from sessions.models import LOCAL_TZ, Conference, Seminar, SeminarStatus
from sessions.services import cancel_seminar, move_seminar
from tests.conftest import local

TITLE = "Trygghetslarm, nattillsyn; och övrigt – år 2016"
ABSTRACT = "Första raden; med semikolon, och komma.\nAndra raden med å, ä och ö."


@pytest.fixture
def programme(conference, track, room, make_room, make_speaker, make_seminar):
    conference.venue_address = "Arne Beurlings torg 5, Kista"
    conference.save()
    other_room = make_room(name="Rum Köpenhamn", capacity=150)
    speaker = make_speaker(name="Åsa Öberg", title="Utvecklingsledare", organisation="Västerås stad")
    seminar = make_seminar(title=TITLE, abstract=ABSTRACT, speakers=[speaker])
    cancelled = make_seminar(title="Inställt seminarium", start=local(3, 13), end=local(3, 14),
                             status=SeminarStatus.CANCELLED, revision=1)
    draft = make_seminar(title="Hemligt utkast", start=local(4, 9), end=local(4, 10), status=SeminarStatus.DRAFT)
    elsewhere = make_seminar(title="I andra rummet", room=other_room, start=local(4, 10), end=local(4, 11))
    return {"seminar": seminar, "cancelled": cancelled, "draft": draft, "elsewhere": elsewhere,
            "other_room": other_room, "speaker": speaker}


def feed_url(conference):
    return reverse("programme:feed", kwargs={"conference": conference.slug})


def events_by_uid(content: bytes) -> dict:
    calendar = Calendar.from_ical(content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def vobject_events(content: bytes) -> dict:
    parsed = vobject.readOne(content.decode("utf-8"))
    return {event.uid.value: event for event in parsed.vevent_list}


def test_whole_programme_feed_fields(client, conference, track, room, programme):
    seminar = Seminar.objects.get(pk=programme["seminar"].pk)
    response = client.get(feed_url(conference))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == ics.PRODID
    assert "MVT2016" in str(calendar["X-WR-CALNAME"])
    assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=1)
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert b"X-PUBLISHED-TTL:PT1H\r\n" in response.content
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Stockholm"]

    event = events_by_uid(response.content)[f"{seminar.uid}@mvt"]
    assert str(event["SUMMARY"]) == TITLE
    assert event["DTSTART"].dt == local(3, 10)
    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert event["DTEND"].dt == local(3, 11)
    assert event["SEQUENCE"] == seminar.revision == 0
    assert event["LAST-MODIFIED"].dt == seminar.updated_at.replace(microsecond=0)
    assert event["DTSTAMP"].dt == seminar.updated_at.replace(microsecond=0)
    assert str(event["LOCATION"]) == "Sal Kista, Kistamässan, Arne Beurlings torg 5, Kista"
    url = settings.SITE_URL + seminar.get_absolute_url()
    assert str(event["URL"]) == url
    description = str(event["DESCRIPTION"])
    assert "Åsa Öberg (Utvecklingsledare, Västerås stad)" in description
    assert ABSTRACT in description
    assert description.endswith(url)
    assert event["CATEGORIES"].cats == ["Äldreomsorg"]
    assert str(event["STATUS"]) == "CONFIRMED"


def test_feed_escapes_and_folds_lines(client, conference, programme):
    content = client.get(feed_url(conference)).content
    assert content.endswith(b"\r\n")
    assert b"\n" not in content.replace(b"\r\n", b"")
    lines = content.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75  # octets, not characters
    for line in lines:
        line.decode("utf-8")  # folding never splits a UTF-8 sequence
    unfolded = content.replace(b"\r\n ", b"")
    assert "SUMMARY:Trygghetslarm\\, nattillsyn\\; och övrigt – år 2016".encode() in unfolded
    assert "semikolon\\, och komma.\\nAndra raden med å\\, ä och ö.".encode() in unfolded
    assert any(line.startswith(b" ") for line in lines)  # the long description was folded


def test_feed_parses_with_vobject_too(client, conference, programme):
    seminar = programme["seminar"]
    events = vobject_events(client.get(feed_url(conference)).content)
    event = events[f"{seminar.uid}@mvt"]
    assert event.summary.value == TITLE
    assert event.location.value == "Sal Kista, Kistamässan, Arne Beurlings torg 5, Kista"
    assert event.dtstart.value == local(3, 10)
    assert event.dtstart.value.utcoffset() == timedelta(hours=1)
    assert event.dtend.value == local(3, 11)
    assert event.sequence.value == "0"
    assert event.status.value == "CONFIRMED"
    assert ABSTRACT in event.description.value
    assert event.url.value == settings.SITE_URL + seminar.get_absolute_url()
    assert events[f"{programme['cancelled'].uid}@mvt"].status.value == "CANCELLED"


def test_cancelled_stays_and_drafts_never_appear(client, conference, programme):
    content = client.get(feed_url(conference)).content
    events = events_by_uid(content)
    cancelled = events[f"{programme['cancelled'].uid}@mvt"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert cancelled["SEQUENCE"] == 1
    assert f"{programme['draft'].uid}@mvt" not in events
    assert b"Hemligt utkast" not in content
    assert len(events) == 3


def test_drafts_absent_from_track_room_and_seminar_feeds(client, conference, track, room, programme):
    draft = programme["draft"]
    for url in (
        reverse("programme:feed_track", kwargs={"conference": conference.slug, "track": track.slug}),
        reverse("programme:feed_room", kwargs={"conference": conference.slug, "room": room.pk}),
    ):
        content = client.get(url).content
        assert f"{draft.uid}@mvt" not in events_by_uid(content)
        assert b"Hemligt utkast" not in content
    url = reverse("programme:seminar_ics", kwargs={"conference": conference.slug, "code": draft.code})
    assert client.get(url).status_code == 404


def test_track_feed_holds_only_its_track(client, conference, programme, make_seminar):
    from sessions.models import Track

    other = Track.objects.create(conference=conference, name="Hemsjukvård", slug="hemsjukvard")
    theirs = make_seminar(track=other, start=local(4, 13), end=local(4, 14))
    url = reverse("programme:feed_track", kwargs={"conference": conference.slug, "track": "hemsjukvard"})
    response = client.get(url)
    assert set(events_by_uid(response.content)) == {f"{theirs.uid}@mvt"}
    assert "Hemsjukvård" in str(Calendar.from_ical(response.content)["X-WR-CALNAME"])
    assert set(vobject_events(response.content)) == {f"{theirs.uid}@mvt"}


def test_room_feed_holds_only_its_room(client, conference, programme):
    room = programme["other_room"]
    url = reverse("programme:feed_room", kwargs={"conference": conference.slug, "room": room.pk})
    content = client.get(url).content
    assert set(events_by_uid(content)) == {f"{programme['elsewhere'].uid}@mvt"}
    assert set(vobject_events(content)) == {f"{programme['elsewhere'].uid}@mvt"}


@pytest.mark.parametrize("url", [
    "/mvt2016/calendar/track/no-such-track.ics",
    "/mvt2016/calendar/room/999999.ics",
    "/mvt2016/seminars/NOPE99/calendar.ics",
    "/no-such-conference/calendar.ics",
])
def test_unknown_feeds_answer_404(client, programme, url):
    assert client.get(url).status_code == 404


def test_unpublished_conference_has_no_feeds(client, conference, track, room, programme):
    conference.is_published = False
    conference.save()
    seminar = programme["seminar"]
    for url in (
        feed_url(conference),
        reverse("programme:feed_track", kwargs={"conference": conference.slug, "track": track.slug}),
        reverse("programme:feed_room", kwargs={"conference": conference.slug, "room": room.pk}),
        reverse("programme:seminar_ics", kwargs={"conference": conference.slug, "code": seminar.code}),
    ):
        assert client.get(url).status_code == 404, url


def test_seminar_ics_download(client, conference, programme):
    seminar = programme["seminar"]
    response = client.get(reverse("programme:seminar_ics", kwargs={"conference": conference.slug,
                                                                   "code": seminar.code}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert list(events_by_uid(response.content)) == [f"{seminar.uid}@mvt"]
    (event,) = vobject_events(response.content).values()
    assert event.summary.value == TITLE
    assert "Åsa Öberg" in event.description.value


def _set_updated_at(seminar, moment):
    Seminar.objects.filter(pk=seminar.pk).update(updated_at=moment)
    seminar.refresh_from_db()


def test_move_bumps_sequence_and_last_modified_keeps_uid(client, conference, programme):
    seminar = programme["seminar"]
    _set_updated_at(seminar, datetime(2016, 1, 20, 12, 0, tzinfo=UTC))
    first = client.get(feed_url(conference))
    before = events_by_uid(first.content)[f"{seminar.uid}@mvt"]
    assert before["SEQUENCE"] == 0

    move_seminar(seminar=seminar, room=programme["other_room"], start=local(4, 14), end=local(4, 15))

    second = client.get(feed_url(conference), HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    after = events_by_uid(second.content)[f"{seminar.uid}@mvt"]
    assert after["SEQUENCE"] == 1
    assert after["LAST-MODIFIED"].dt > before["LAST-MODIFIED"].dt
    assert str(after["LOCATION"]).startswith("Rum Köpenhamn, ")
    assert after["DTSTART"].dt == local(4, 14)
    moved = vobject_events(second.content)[f"{seminar.uid}@mvt"]
    assert moved.sequence.value == "1"
    assert moved.location.value.startswith("Rum Köpenhamn")


def test_title_edit_keeps_uid(client, conference, programme):
    seminar = programme["seminar"]
    seminar.title = "Ett helt nytt namn"
    seminar.save()
    events = events_by_uid(client.get(feed_url(conference)).content)
    assert str(events[f"{seminar.uid}@mvt"]["SUMMARY"]) == "Ett helt nytt namn"


def test_cancellation_gives_status_cancelled(client, conference, programme):
    seminar = programme["seminar"]
    cancel_seminar(seminar=seminar)
    event = events_by_uid(client.get(feed_url(conference)).content)[f"{seminar.uid}@mvt"]
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert TITLE in str(event["SUMMARY"])
    ics_url = reverse("programme:seminar_ics", kwargs={"conference": conference.slug, "code": seminar.code})
    (single,) = vobject_events(client.get(ics_url).content).values()
    assert single.status.value == "CANCELLED"


def test_conditional_get_etag_and_last_modified(client, conference, programme, django_assert_num_queries,
                                                 monkeypatch):
    first = client.get(feed_url(conference))
    assert first["Cache-Control"] == "public, max-age=300"
    assert first["ETag"].startswith('"') and first["Last-Modified"]

    def must_not_build(*args, **kwargs):
        raise AssertionError("the 304 path built the calendar")

    monkeypatch.setattr(ics, "feed_calendar", must_not_build)
    with django_assert_num_queries(2):
        by_etag = client.get(feed_url(conference), HTTP_IF_NONE_MATCH=first["ETag"])
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert by_etag["ETag"] == first["ETag"]
    assert by_etag["Cache-Control"] == "public, max-age=300"
    with django_assert_num_queries(2):
        by_date = client.get(feed_url(conference), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 304
    monkeypatch.undo()
    assert client.get(feed_url(conference), HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_renaming_a_room_or_a_speaker_changes_the_feed_etag(client, conference, programme):
    first = client.get(feed_url(conference))
    room = programme["seminar"].room
    room.name = "Sal Kista Norra"
    room.save()
    second = client.get(feed_url(conference), HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert "Sal Kista Norra" in second.content.decode()
    speaker = programme["seminar"].speakers.first()
    speaker.name = "Nytt Namn"
    speaker.save()
    third = client.get(feed_url(conference), HTTP_IF_NONE_MATCH=second["ETag"])
    assert third.status_code == 200
    assert "Nytt Namn" in third.content.decode()


def test_last_modified_moves_when_a_seminar_goes_back_to_draft(client, conference, programme):
    seminar = programme["seminar"]
    for each in Seminar.objects.all():
        _set_updated_at(each, datetime(2016, 1, 20, 12, 0, tzinfo=UTC))
    Conference.objects.filter(pk=conference.pk).update(programme_changed_at=datetime(2016, 1, 20, 12, 0, tzinfo=UTC))
    first = client.get(feed_url(conference))
    seminar.refresh_from_db()
    seminar.status = SeminarStatus.DRAFT
    seminar.save()
    response = client.get(feed_url(conference), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == 200
    assert f"{seminar.uid}@mvt" not in events_by_uid(response.content)


def test_seminar_ics_conditional_get(client, conference, programme, django_assert_num_queries):
    url = reverse("programme:seminar_ics", kwargs={"conference": conference.slug, "code": programme["seminar"].code})
    first = client.get(url)
    with django_assert_num_queries(1):
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_feed_bytes_equal_icalendars_own_serialisation(db):
    conference = build_demo_programme(seminars=60)
    from sessions.selectors import load_for_calendar

    seminars = load_for_calendar(Seminar.objects.public().filter(conference=conference), conference)
    content = ics.feed_calendar(seminars, name="MVT2016")
    assert Calendar.from_ical(content).to_ical(sorted=False) == content
    assert len(vobject.readOne(content.decode()).vevent_list) == 60 + len(ITEMS)


@pytest.mark.parametrize("size", [60, 240])
def test_query_counts_do_not_grow(client, db, size, django_assert_num_queries):
    conference = build_demo_programme(seminars=size)
    track = conference.tracks.first()
    room = conference.rooms.first()
    seminar = Seminar.objects.filter(conference=conference).first()
    urls = {
        reverse("programme:feed", kwargs={"conference": conference.slug}): (6, 2),
        reverse("programme:feed_track", kwargs={"conference": conference.slug, "track": track.slug}): (6, 2),
        reverse("programme:feed_room", kwargs={"conference": conference.slug, "room": room.pk}): (6, 2),
        reverse("programme:seminar_ics", kwargs={"conference": conference.slug, "code": seminar.code}): (2, 1),
    }
    for url, (full, conditional) in urls.items():
        with django_assert_num_queries(full):
            response = client.get(url)
        assert response.status_code == 200
        with django_assert_num_queries(conditional):
            assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    whole = client.get(reverse("programme:feed", kwargs={"conference": conference.slug}))
    assert len(events_by_uid(whole.content)) == size + len(ITEMS)


def test_invitation_request(conference, programme):
    seminar = Seminar.objects.select_related("conference", "room", "track").get(pk=programme["seminar"].pk)
    content = ics.seminar_invitation(seminar, attendee_name="Karin Öst, IT", attendee_email="karin@example.org",
                                     method="REQUEST")
    calendar = Calendar.from_ical(content)
    assert str(calendar["METHOD"]) == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"{seminar.uid}@mvt"
    assert event["SEQUENCE"] == seminar.revision
    assert str(event["ORGANIZER"]).lower() == "mailto:" + settings.DEFAULT_FROM_EMAIL.split("<")[-1].strip(">").lower()
    assert str(event["ATTENDEE"]) == "mailto:karin@example.org"
    assert event["ATTENDEE"].params["CN"] == "Karin Öst, IT"
    assert event["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"
    assert str(event["STATUS"]) == "CONFIRMED"
    parsed = vobject.readOne(content.decode())
    assert parsed.method.value == "REQUEST"
    assert parsed.vevent.attendee.value == "mailto:karin@example.org"
    assert parsed.vevent.attendee.params["CN"] == ["Karin Öst, IT"]
    assert parsed.vevent.uid.value == f"{seminar.uid}@mvt"


def test_invitation_cancel(conference, programme):
    seminar = programme["seminar"]
    cancel_seminar(seminar=seminar)
    seminar = Seminar.objects.select_related("conference", "room", "track").get(pk=seminar.pk)
    content = ics.seminar_invitation(seminar, attendee_name="Karin", attendee_email="karin@example.org",
                                     method="CANCEL")
    parsed = vobject.readOne(content.decode())
    assert parsed.method.value == "CANCEL"
    assert parsed.vevent.status.value == "CANCELLED"
    assert parsed.vevent.sequence.value == "1"
    assert parsed.vevent.uid.value == f"{seminar.uid}@mvt"
    with pytest.raises(ValueError):
        ics.seminar_invitation(seminar, attendee_name="K", attendee_email="k@example.org", method="PUBLISH")


def test_pages_offer_subscribe_links(client, conference, track, programme):
    seminar = programme["seminar"]
    whole = settings.SITE_URL + feed_url(conference)
    day = client.get(reverse("programme:day", kwargs={"conference": conference.slug,
                                                       "day": local(3, 10).astimezone(LOCAL_TZ).date()}))
    html = day.content.decode()
    assert f'href="webcal://{whole.split("://")[1]}"' in html
    assert f'value="{whole}"' in html
    page = client.get(seminar.get_absolute_url()).content.decode()
    assert reverse("programme:seminar_ics", kwargs={"conference": conference.slug, "code": seminar.code}) in page
    track_url = reverse("programme:feed_track", kwargs={"conference": conference.slug, "track": track.slug})
    assert settings.SITE_URL + track_url in page
