"""The day pages are cached under the programme's version: every change shows at once."""

import pytest

from sessions.models import SeminarStatus
from tests.conftest import local

DAY = "/mvt2016/program/2016-02-03/"
GRID = "/mvt2016/program/2016-02-03/grid/"


@pytest.fixture
def seminar(make_seminar, make_speaker):
    return make_seminar(title="Nattillsyn med kamera", speakers=[make_speaker(name="Åsa Öberg")])


@pytest.mark.parametrize("url", [DAY, GRID])
def test_a_cached_page_is_served_without_loading_the_programme(client, seminar, url, django_assert_num_queries):
    client.get(url)
    with django_assert_num_queries(4):  # conference, tracks, the version aggregate, live seat counts
        page = client.get(url).content.decode()
    assert "Nattillsyn med kamera" in page


@pytest.mark.parametrize("url", [DAY, GRID])
def test_seminar_changes_show_at_once(client, seminar, url):
    client.get(url)
    seminar.title = "Nattillsyn med kamera och sensorer"
    seminar.save()
    assert "Nattillsyn med kamera och sensorer" in client.get(url).content.decode()
    seminar.status = SeminarStatus.DRAFT
    seminar.save()
    assert "Nattillsyn med kamera" not in client.get(url).content.decode()


@pytest.mark.parametrize("url", [DAY, GRID])
def test_room_track_and_speaker_renames_show_at_once(client, seminar, url):
    client.get(url)
    seminar.room.name = "Sal Akalla"
    seminar.room.save()
    seminar.track.name = "Äldreomsorg och demens"
    seminar.track.save()
    page = client.get(url).content.decode()
    assert "Sal Akalla" in page and "Äldreomsorg och demens" in page
    if url == DAY:
        speaker = seminar.speakers.get()
        speaker.name = "Åsa Lind"
        speaker.save()
        assert "Åsa Lind" in client.get(url).content.decode()


def test_a_deleted_seminar_disappears_at_once(client, seminar, make_seminar, make_room):
    other = make_seminar(title="Ska bort", room=make_room(), start=local(3, 13), end=local(3, 14))
    assert "Ska bort" in client.get(DAY).content.decode()
    other.delete()
    assert "Ska bort" not in client.get(DAY).content.decode()


def test_each_language_and_track_filter_has_its_own_copy(client, seminar):
    swedish = client.get(DAY).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(DAY).content.decode()
    assert "Alla spår" in swedish and "All tracks" in english
    filtered = client.get(DAY + "?track=finns-inte").content.decode()
    assert "That track does not exist" in filtered


def test_speaker_list_is_cached_and_follows_renames(client, seminar, django_assert_num_queries):
    client.get("/mvt2016/speakers/")
    with django_assert_num_queries(2):  # conference, the version aggregate
        assert "Åsa Öberg" in client.get("/mvt2016/speakers/").content.decode()
    speaker = seminar.speakers.get()
    speaker.name = "Åsa Lind"
    speaker.save()
    assert "Åsa Lind" in client.get("/mvt2016/speakers/").content.decode()
