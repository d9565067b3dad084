"""Programme releases: numbering, the changelog between two releases, the public page and its Atom feed,
and bulk updates moving the programme's version."""

import xml.etree.ElementTree as ET

import pytest

from sessions.models import Conference, Release, Seminar, SeminarSpeaker, SeminarStatus, Speaker
from sessions.releases import Change, ReleaseCode, ReleaseError, compare, pending_changes, publish_release
from sessions.services import cancel_seminar, move_seminar
from tests.conftest import local

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def programme(make_seminar, make_room, make_speaker):
    """Four public seminars and a draft; release 1 is published from them."""
    other_room = make_room(name="Rum Köpenhamn", capacity=100)
    speaker = make_speaker(name="Åsa Öberg")
    seminars = {
        "stays": make_seminar(title="Oförändrat", start=local(3, 9), end=local(3, 10)),
        "moves": make_seminar(title="Flyttas", start=local(3, 10), end=local(3, 11), speakers=[speaker]),
        "cancels": make_seminar(title="Ställs in", room=other_room, start=local(3, 10), end=local(3, 11)),
        "retitles": make_seminar(title="Gammal titel", start=local(3, 13), end=local(3, 14)),
        "draft": make_seminar(title="Hemligt utkast", start=local(4, 9), end=local(4, 10),
                              status=SeminarStatus.DRAFT),
    }
    seminars["other_room"] = other_room
    seminars["speaker"] = speaker
    return seminars


def test_releases_are_numbered_per_conference_and_hold_no_drafts(conference, programme, organiser):
    first = publish_release(conference=conference, by=organiser, note=" Första versionen ")
    assert (first.number, first.note, first.published_by) == (1, "Första versionen", organiser)
    assert set(first.snapshot) == {programme[k].code for k in ("stays", "moves", "cancels", "retitles")}
    assert programme["draft"].code not in first.snapshot
    state = first.snapshot[programme["moves"].code]
    assert state["room"] == "Sal Kista" and state["speakers"] == ["Åsa Öberg"] and state["revision"] == 0
    move_seminar(seminar=programme["moves"], start=local(3, 15), end=local(3, 16))
    assert publish_release(conference=conference).number == 2


def test_a_new_room_alone_is_a_move(conference, programme, make_room):
    publish_release(conference=conference)
    move_seminar(seminar=programme["moves"], room=make_room(capacity=100))
    assert {c.code: c.kinds for c in pending_changes(conference)} == {programme["moves"].code: {Change.MOVED}}


def test_renaming_a_room_is_not_a_move(conference, programme):
    publish_release(conference=conference)
    programme["other_room"].name = "Rum Oslo"
    programme["other_room"].save()
    assert pending_changes(conference) == []


def test_a_release_without_changes_is_refused(conference, programme):
    publish_release(conference=conference)
    programme["draft"].title = "Utkastet ändras"  # drafts are not part of the public programme
    programme["draft"].save()
    with pytest.raises(ReleaseError) as refused:
        publish_release(conference=conference)
    assert refused.value.code == ReleaseCode.NOTHING_CHANGED
    assert Release.objects.filter(conference=conference).count() == 1


def test_an_empty_programme_cannot_be_released(conference):
    with pytest.raises(ReleaseError) as refused:
        publish_release(conference=conference)
    assert refused.value.code == ReleaseCode.NOTHING_CHANGED


def test_the_changelog_names_each_kind_of_change(conference, programme, make_seminar, make_speaker):
    publish_release(conference=conference)
    move_seminar(seminar=programme["moves"], room=programme["other_room"], start=local(3, 15), end=local(3, 16))
    cancel_seminar(seminar=programme["cancels"], reason="Sjuk talare")
    programme["retitles"].title = "Ny titel"
    programme["retitles"].save()
    SeminarSpeaker.objects.create(seminar=programme["stays"], speaker=make_speaker(name="Bo Ek"), order=1)
    programme["draft"].status = SeminarStatus.PUBLISHED
    programme["draft"].save()
    gone = Seminar.objects.get(pk=programme["retitles"].pk)
    second = publish_release(conference=conference)
    changes = {change.code: change.kinds for change in compare(Release.objects.get(number=1).snapshot,
                                                               second.snapshot)}
    assert changes == {
        programme["moves"].code: {Change.MOVED},
        programme["cancels"].code: {Change.CANCELLED},
        programme["retitles"].code: {Change.RETITLED},
        programme["stays"].code: {Change.SPEAKERS},
        programme["draft"].code: {Change.NEW},
    }
    gone.status = SeminarStatus.DRAFT
    gone.save()
    assert {c.code: c.kinds for c in pending_changes(conference)} == {gone.code: {Change.REMOVED}}


def test_the_public_page_shows_the_latest_release_and_since_any_earlier_one(client, conference, programme):
    publish_release(conference=conference, note="Första")
    move_seminar(seminar=programme["moves"], start=local(3, 15), end=local(3, 16))
    publish_release(conference=conference)
    cancel_seminar(seminar=programme["cancels"])
    programme["draft"].title = "Hemligt utkast, nu med mer"
    programme["draft"].save()
    publish_release(conference=conference, note="Tredje")
    client.cookies["django_language"] = "en"
    page = client.get("/mvt2016/changes/").content.decode()
    assert "Release 3: changes since release 2" in page and "Tredje" in page
    assert "Ställs in" in page and "Cancelled" in page
    assert "Flyttas" not in page.split('id="history-heading"')[0]  # moved in release 2, not 3
    since_one = client.get("/mvt2016/changes/?since=1").content.decode()
    assert "Flyttas" in since_one and "Moved from Wednesday 3 February 10:00–11:00, Sal Kista to Wednesday " \
        "3 February 15:00–16:00, Sal Kista" in since_one
    assert "Hemligt utkast" not in page + since_one + client.get("/mvt2016/changes/?since=0").content.decode()


@pytest.mark.parametrize("since", ["7", "-1", "x", "3", "٣"])
def test_an_unknown_release_number_is_explained_not_an_error(client, conference, programme, since):
    publish_release(conference=conference)
    move_seminar(seminar=programme["moves"], start=local(3, 15), end=local(3, 16))
    publish_release(conference=conference)
    client.cookies["django_language"] = "en"
    response = client.get("/mvt2016/changes/", {"since": since})
    assert response.status_code == 200
    assert "There is no earlier release with that number" in response.content.decode()
    assert "Release 2: changes since release 1" in response.content.decode()


def test_no_release_yet_and_unpublished_conferences(client, conference, programme):
    client.cookies["django_language"] = "en"
    assert "No release of the programme has been published yet." in client.get("/mvt2016/changes/").content.decode()
    publish_release(conference=conference)
    Conference.objects.filter(pk=conference.pk).update(is_published=False)
    assert client.get("/mvt2016/changes/").status_code == 404
    assert client.get("/mvt2016/changes.atom").status_code == 404


def _seminars(conference, room, track, n):
    Seminar.objects.bulk_create([
        Seminar(conference=conference, title=f"Massa {i}", track=track, room=room, capacity=10,
                start=local(4, 8 + i % 10, 0), end=local(4, 8 + i % 10, 30), status=SeminarStatus.PUBLISHED,
                code=f"MASS{i:02d}")
        for i in range(n)
    ])


@pytest.mark.parametrize("n", [3, 30])
def test_the_page_reads_the_same_number_of_queries_whatever_the_size(client, conference, room, track, n,
                                                                     django_assert_num_queries):
    _seminars(conference, room, track, n)
    publish_release(conference=conference)
    Seminar.objects.filter(conference=conference).update(title="Omdöpt")
    publish_release(conference=conference)
    with django_assert_num_queries(2):  # the conference, the releases
        page = client.get("/mvt2016/changes/?since=0").content.decode()
    assert page.count("data-change=") == n


def test_the_atom_feed_has_one_entry_per_release_and_answers_304(client, conference, programme,
                                                                 django_assert_num_queries):
    publish_release(conference=conference, note="Första")
    move_seminar(seminar=programme["moves"], start=local(3, 15), end=local(3, 16))
    publish_release(conference=conference)
    response = client.get("/mvt2016/changes.atom")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Version 2: 1 ändring", "Version 1: 4 ändringar"]
    assert "Flyttas" in entries[0].find(f"{ATOM}summary").text
    assert "Hemligt utkast" not in response.content.decode()
    with django_assert_num_queries(2):  # the conference, the newest release
        again = client.get("/mvt2016/changes.atom", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    cancel_seminar(seminar=programme["cancels"])
    assert client.get("/mvt2016/changes.atom", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    publish_release(conference=conference)
    assert client.get("/mvt2016/changes.atom", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 200


# --- Bulk updates move the programme's version ----------------------------------------------------------

FEEDS = ["/mvt2016/calendar.ics", "/mvt2016/schedule.json"]


def _etags(client):
    return {url: client.get(url)["ETag"] for url in FEEDS}


@pytest.mark.parametrize("bulk", ["seminar_update", "bulk_update", "room_update", "speaker_update",
                                  "seminar_speaker_update", "bulk_create"])
def test_a_bulk_change_moves_the_public_page_and_the_feeds_at_once(client, conference, programme, track, bulk):
    day = "/mvt2016/program/2016-02-03/"
    newcomer = Speaker.objects.create(conference=conference, name="Massändrat", slug="massandrat")  # saved: signals
    assert "Oförändrat" in client.get(day).content.decode()
    before = _etags(client)
    if bulk == "seminar_update":
        Seminar.objects.filter(pk=programme["stays"].pk).update(title="Massändrat")
    elif bulk == "bulk_update":
        seminar = Seminar.objects.get(pk=programme["stays"].pk)
        seminar.title = "Massändrat"
        Seminar.objects.bulk_update([seminar], ["title"])
    elif bulk == "room_update":
        conference.rooms.filter(name="Sal Kista").update(name="Massändrat")
    elif bulk == "speaker_update":
        Speaker.objects.filter(pk=programme["speaker"].pk).update(name="Massändrat i grunden")
    elif bulk == "seminar_speaker_update":
        SeminarSpeaker.objects.filter(seminar=programme["moves"]).update(speaker=newcomer)
    else:  # a seminar's count and newest change stay the same: only the stamp can tell
        SeminarSpeaker.objects.bulk_create([SeminarSpeaker(seminar=programme["stays"], speaker=newcomer)])
    assert "Massändrat" in client.get(day).content.decode()  # the cached page follows at once
    after = _etags(client)
    assert all(after[url] != before[url] for url in FEEDS), (before, after)


def test_publishing_a_release_moves_the_programme_version(client, conference, programme):
    before = _etags(client)
    publish_release(conference=conference)
    assert all(etag != before[url] for url, etag in _etags(client).items())


def test_the_admin_lists_releases_read_only(client, conference, programme, make_user):
    from tests.conftest import give_mfa

    publish_release(conference=conference, note="Första versionen")
    client.force_login(give_mfa(make_user(is_staff=True, is_superuser=True)))
    listing = client.get("/admin/programme/release/")
    assert listing.status_code == 200 and "Första versionen" in listing.content.decode()
    assert client.get("/admin/programme/release/add/").status_code == 403
    release = Release.objects.get()
    assert client.post(f"/admin/programme/release/{release.pk}/change/", {"note": "Ändrad"}).status_code == 403
    assert Release.objects.get().note == "Första versionen"
