"""selectors.programme_for_day: the day pages' items, in order, with speakers, never drafts."""

from sessions.models import SeminarStatus
from sessions.selectors import programme_for_day, rooms_of, tracks_of
from tests.conftest import local

DAY = local(3, 0).date()


def test_ordered_by_start_then_room_order_and_name(conference, make_seminar, make_room):
    second = make_room(name="A-salen", order=2)
    first = make_room(name="Ö-salen", order=1)
    same_order = make_room(name="B-salen", order=2)
    late = make_seminar(room=first, start=local(3, 13), end=local(3, 14))
    in_b = make_seminar(room=same_order)
    in_a = make_seminar(room=second)
    in_first = make_seminar(room=first)

    for rooms in (None, rooms_of(conference)):
        items = programme_for_day(conference, DAY, rooms=rooms)
        assert [item.pk for item in items] == [in_first.pk, in_a.pk, in_b.pk, late.pk]
        assert items[0].room.name == "Ö-salen" and items[0].url == in_first.get_absolute_url()


def test_speakers_in_their_order_and_no_drafts(conference, make_seminar, make_room, make_speaker):
    anna, bo = make_speaker(name="Anna"), make_speaker(name="Bo")
    seminar = make_seminar(speakers=[bo, anna])
    cancelled = make_seminar(room=make_room(), status=SeminarStatus.CANCELLED, speakers=[anna])
    make_seminar(room=make_room(), status=SeminarStatus.DRAFT, speakers=[anna])
    make_seminar(room=make_room(), start=local(4, 10), end=local(4, 11), speakers=[bo])

    items = {item.pk: item for item in programme_for_day(conference, DAY, tracks=tracks_of(conference))}

    assert set(items) == {seminar.pk, cancelled.pk}
    assert items[seminar.pk].speaker_names == ["Bo", "Anna"]
    assert items[cancelled.pk].is_cancelled and items[cancelled.pk].speaker_names == ["Anna"]


def test_a_track_keeps_items_for_everyone(conference, make_seminar, make_room, make_speaker, track):
    from sessions.models import Track

    other = Track.objects.create(conference=conference, name="Hemsjukvård", slug="hemsjukvard", colour="#005a9c")
    mine = make_seminar(track=track)
    make_seminar(track=other, room=make_room(), speakers=[make_speaker()])  # left out, speakers too
    lunch = make_seminar(kind="break", track=None, room=make_room(), start=local(3, 12), end=local(3, 13))

    items = programme_for_day(conference, DAY, track)
    assert [item.pk for item in items] == [mine.pk, lunch.pk]
    assert items[0].track == track and items[1].track is None and not items[1].is_bookable


def test_nothing_of_an_unpublished_conference(conference, make_seminar):
    make_seminar()
    conference.is_published = False
    conference.save()
    assert programme_for_day(conference, DAY) == []


def test_speaker_list_in_swedish_order_with_seminar_titles(client, conference, make_seminar, make_room,
                                                           make_speaker):
    import re

    from sessions.selectors import speaker_index

    names = ["Örjan Ek", "Ærø Hansen", "Ärla Berg", "Åsa Lund", "Zara Holm", "Émile Roux", "anna af Klint",
             "Dan Utkast"]
    people = {name: make_speaker(name=name) for name in names}
    make_seminar(title="Tidig", start=local(3, 9), end=local(3, 10), speakers=[people[n] for n in names[:-1]])
    make_seminar(title="Inställd", status=SeminarStatus.CANCELLED, room=make_room(), speakers=[people["Åsa Lund"]])
    make_seminar(title="Utkast", status=SeminarStatus.DRAFT, room=make_room(), speakers=[people["Dan Utkast"]])

    index = speaker_index(conference)
    assert [entry.name for entry in index] == [
        "anna af Klint", "Émile Roux", "Zara Holm", "Åsa Lund", "Ärla Berg", "Ærø Hansen", "Örjan Ek"]
    assert index[3].seminars == [("Tidig", False), ("Inställd", True)]
    assert index[3].url == people["Åsa Lund"].get_absolute_url()

    page = client.get("/mvt2016/speakers/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    headings = re.findall(r'<h2 id="letter-\d+" class="letter-heading">(.*?)</h2>', page)
    assert headings == ["A", "E", "Z", "Å", "Ä", "Ö"]  # É filed under E, Æ under Ä
    assert "<li>Inställd (inställt)</li>" in page and "<li>Tidig</li>" in page
    assert "Dan Utkast" not in page
