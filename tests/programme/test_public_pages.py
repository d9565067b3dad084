"""Public programme pages for anonymous visitors: what shows, what never shows (drafts), and 404s."""

from datetime import date

import pytest
from django.conf import settings

from sessions.models import Conference, SeminarStatus, Track
from tests.conftest import local


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def programme(make_speaker, make_seminar, make_room):
    """A small programme: two published seminars, a cancelled one and a draft, each with its own speaker."""
    speakers = {key: make_speaker(name=name, slug=slug) for key, name, slug in [
        ("published", "Anna Publicerad", "anna-publicerad"), ("thursday", "Bo Torsdag", "bo-torsdag"),
        ("cancelled", "Cia Inställd", "cia-installd"), ("draft", "Dan Utkast", "dan-utkast"),
    ]}
    return {
        "published": make_seminar(title="Nattillsyn med kamera", speakers=[speakers["published"]]),
        "thursday": make_seminar(title="Skärmbesök i hemtjänsten", speakers=[speakers["thursday"]],
                                 start=local(4, 13), end=local(4, 14)),
        "cancelled": make_seminar(title="Social robot mot ensamhet", speakers=[speakers["cancelled"]],
                                  status=SeminarStatus.CANCELLED, room=make_room(capacity=40)),
        "draft": make_seminar(title="Hemligt utkast", speakers=[speakers["draft"]], status=SeminarStatus.DRAFT,
                              room=make_room(capacity=40), start=local(3, 13), end=local(3, 14)),
        "speakers": speakers,
    }


def get_page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_every_public_page_answers_anonymous_visitors(client, programme):
    seminar, speaker = programme["published"], programme["speakers"]["published"]
    for url in [
        "/mvt2016/", "/mvt2016/program/2016-02-03/", "/mvt2016/program/2016-02-03/grid/",
        "/mvt2016/program/2016-02-04/", "/mvt2016/program/2016-02-04/grid/",
        f"/mvt2016/seminars/{seminar.code}/", "/mvt2016/speakers/", f"/mvt2016/speakers/{speaker.slug}/",
    ]:
        get_page(client, url)


def test_programme_redirects_to_the_first_day_outside_the_conference(client, conference):
    response = client.get("/mvt2016/program/")
    assert response.status_code == 302
    assert response["Location"] == "/mvt2016/program/2016-02-03/"


def test_programme_redirect_keeps_the_track(client, track):
    response = client.get(f"/mvt2016/program/?track={track.slug}")
    assert response["Location"] == f"/mvt2016/program/2016-02-03/?track={track.slug}"


def test_day_list_shows_the_days_seminars_with_speakers(client, programme):
    page = get_page(client, "/mvt2016/program/2016-02-03/")
    assert "Nattillsyn med kamera" in page
    assert "Anna Publicerad" in page
    assert "Skärmbesök i hemtjänsten" not in page  # Thursday's


def test_seminar_page_shows_its_facts(client, programme, room):
    page = get_page(client, f"/mvt2016/seminars/{programme['published'].code}/")
    assert "Nattillsyn med kamera" in page
    assert room.name in page
    assert "Anna Publicerad" in page
    assert "10:00" in page and "11:00" in page  # Stockholm time, not UTC (09:00)


def test_speaker_page_lists_their_public_seminars(client, programme):
    page = get_page(client, f"/mvt2016/speakers/{programme['speakers']['published'].slug}/")
    assert "Anna Publicerad" in page
    assert "Nattillsyn med kamera" in page


# --- drafts never show ---------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "/mvt2016/program/2016-02-03/", "/mvt2016/program/2016-02-03/grid/", "/mvt2016/speakers/",
])
def test_drafts_never_appear(client, programme, url):
    page = get_page(client, url)
    assert "Hemligt utkast" not in page
    assert "Dan Utkast" not in page


def test_draft_seminar_page_is_404(client, programme):
    assert client.get(f"/mvt2016/seminars/{programme['draft'].code}/").status_code == 404


def test_speaker_only_in_drafts_is_not_listed_and_their_page_is_404(client, programme):
    assert "Dan Utkast" not in get_page(client, "/mvt2016/speakers/")
    assert client.get("/mvt2016/speakers/dan-utkast/").status_code == 404


def test_speaker_page_hides_their_drafts(client, programme, make_room, make_seminar):
    anna = programme["speakers"]["published"]
    make_seminar(title="Annas utkast", speakers=[anna], status=SeminarStatus.DRAFT, room=make_room(),
                 start=local(4, 9), end=local(4, 10))
    page = get_page(client, f"/mvt2016/speakers/{anna.slug}/")
    assert "Nattillsyn med kamera" in page
    assert "Annas utkast" not in page
    assert "Annas utkast" not in get_page(client, "/mvt2016/speakers/")


def test_unknown_seminar_code_and_speaker_are_404(client, programme):
    assert client.get("/mvt2016/seminars/NOSUCH/").status_code == 404
    assert client.get("/mvt2016/speakers/ingen-alls/").status_code == 404


def test_seminar_of_another_conference_is_404_under_this_one(client, programme, db):
    other = Conference.objects.create(name="MVT2017", slug="mvt2017", venue="Kista", is_published=True,
                                      first_day=date(2017, 2, 1), last_day=date(2017, 2, 2))
    assert client.get(f"/{other.slug}/seminars/{programme['published'].code}/").status_code == 404


def test_unpublished_conference_is_404_everywhere(client, conference, programme):
    conference.is_published = False
    conference.save()
    for url in [
        "/mvt2016/", "/mvt2016/program/", "/mvt2016/program/2016-02-03/", "/mvt2016/program/2016-02-03/grid/",
        f"/mvt2016/seminars/{programme['published'].code}/", "/mvt2016/speakers/",
        f"/mvt2016/speakers/{programme['speakers']['published'].slug}/",
    ]:
        assert client.get(url).status_code == 404, url


def test_unknown_conference_is_404(client, db):
    assert client.get("/mvt1999/").status_code == 404
    assert client.get("/mvt1999/program/2016-02-03/").status_code == 404


# --- cancelled seminars show, marked ---------------------------------------------------------------

@pytest.mark.parametrize("url", ["/mvt2016/program/2016-02-03/", "/mvt2016/program/2016-02-03/grid/"])
def test_cancelled_seminar_appears_marked_in_swedish(client, programme, url):
    page = get_page(client, url)
    assert "Social robot mot ensamhet" in page
    assert "Inställt" in page


@pytest.mark.parametrize("url", ["/mvt2016/program/2016-02-03/", "/mvt2016/program/2016-02-03/grid/"])
def test_cancelled_seminar_appears_marked_in_english(english, programme, url):
    page = get_page(english, url)
    assert "Social robot mot ensamhet" in page
    assert "Cancelled" in page


def test_cancelled_seminar_page_says_so_in_swedish(client, programme):
    assert "Seminariet är inställt." in get_page(client, f"/mvt2016/seminars/{programme['cancelled'].code}/")


def test_cancelled_seminar_page_says_so_in_english(english, programme):
    assert "This seminar is cancelled." in get_page(english, f"/mvt2016/seminars/{programme['cancelled'].code}/")


def test_published_seminar_is_not_marked_cancelled(client, make_seminar):
    make_seminar(title="Helt vanligt")
    assert "Inställt" not in get_page(client, "/mvt2016/program/2016-02-03/")


def test_speaker_of_a_cancelled_seminar_is_listed_with_it_marked(client, programme):
    page = get_page(client, "/mvt2016/speakers/")
    assert "Cia Inställd" in page
    assert "(inställt)" in page


# --- days ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("day", ["2016-02-31", "2016-13-01", "2016-02-02", "2016-02-05", "2017-02-03"])
def test_impossible_or_other_days_are_404(client, conference, day):
    assert client.get(f"/mvt2016/program/{day}/").status_code == 404
    assert client.get(f"/mvt2016/program/{day}/grid/").status_code == 404


def test_day_without_seminars_says_so(client, conference):
    assert "Inga seminarier den här dagen." in get_page(client, "/mvt2016/program/2016-02-04/")


def test_seminar_just_after_local_midnight_is_on_that_local_day(client, make_seminar):
    make_seminar(title="Tidig fågel", start=local(4, 0, 30), end=local(4, 1, 30))  # 3 February in UTC
    assert "Tidig fågel" in get_page(client, "/mvt2016/program/2016-02-04/")
    assert "Tidig fågel" not in get_page(client, "/mvt2016/program/2016-02-03/")


# --- tracks --------------------------------------------------------------------------------------

@pytest.fixture
def two_tracks(conference, track, make_room, make_seminar):
    home_care = Track.objects.create(conference=conference, name="Hemsjukvård", slug="hemsjukvard")
    make_seminar(title="Om äldreomsorg", track=track)
    make_seminar(title="Om hemsjukvård", track=home_care, room=make_room())
    return track, home_care


@pytest.mark.parametrize("view", ["", "grid/"])
def test_track_filter_filters(client, two_tracks, view):
    _elderly, home_care = two_tracks
    response = client.get(f"/mvt2016/program/2016-02-03/{view}?track={home_care.slug}")
    assert response.status_code == 200
    assert response.context["track"] == home_care
    assert "Om hemsjukvård" in response.content.decode()
    assert "Om äldreomsorg" not in response.content.decode()


@pytest.mark.parametrize("view", ["", "grid/"])
def test_unknown_track_shows_all_with_a_notice(client, two_tracks, view):
    response = client.get(f"/mvt2016/program/2016-02-03/{view}?track=finns-inte")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Om äldreomsorg" in page and "Om hemsjukvård" in page
    assert response.context["unknown_track"] is True
    assert "Det spåret finns inte" in page


def test_unknown_track_notice_in_english(english, two_tracks):
    page = get_page(english, "/mvt2016/program/2016-02-03/?track=<script>")
    assert "That track does not exist; showing all tracks." in page
    assert "<script>" not in page


# --- the grid when a cancelled seminar's slot has been given to another --------------------------

@pytest.mark.parametrize(("start", "end"), [(local(3, 10), local(3, 11)), (local(3, 10, 30), local(3, 11, 30))])
def test_grid_shows_the_seminar_that_replaced_a_cancelled_one(client, make_seminar, start, end):
    make_seminar(title="Inställt först", status=SeminarStatus.CANCELLED, start=local(3, 10), end=local(3, 11))
    make_seminar(title="Ersättaren", start=start, end=end)  # cancelled seminars do not hold the room

    page = get_page(client, "/mvt2016/program/2016-02-03/grid/")

    assert "Ersättaren" in page
    assert "Ersättaren" in get_page(client, "/mvt2016/program/2016-02-03/")


def test_grid_rows_cover_every_room_exactly_once(client, make_room, make_seminar):
    make_seminar(status=SeminarStatus.CANCELLED, start=local(3, 10), end=local(3, 11))
    make_seminar(start=local(3, 10, 30), end=local(3, 11, 30))
    make_seminar(room=make_room(), start=local(3, 9), end=local(3, 12))
    make_seminar(room=make_room(), start=local(3, 10), end=local(3, 10, 45))

    response = client.get("/mvt2016/program/2016-02-03/grid/")

    loaded = response.context["grid"]()  # the page loads the grid lazily (it may come from the cache)
    assert_covered_once(loaded.rows, loaded.rooms)


def assert_covered_once(rows, rooms):
    """Every (row, room) position is covered by exactly one cell, rowspans and colspans included."""
    covered = [[0] * len(rooms) for _ in rows]
    for r, row in enumerate(rows):
        assert len(row.cells) == len(rooms)
        for c, cell in enumerate(row.cells):
            if cell is None:
                continue
            for i in range(r, r + cell.rowspan):
                for j in range(c, c + cell.colspan):
                    covered[i][j] += 1
    assert all(n == 1 for line in covered for n in line), covered


def test_items_without_seats_span_the_grid_or_run_alongside(client, make_room, make_seminar, room, track):
    """Issue 11 item 9: a plenary with nothing beside it spans every room; lunch served in a restaurant
    while seminars run is listed beside the grid; a plenary beside seminars keeps its room's column."""
    other = make_room(name="Sal B")
    restaurant = make_room(name="Restaurangen")
    make_seminar(title="Seminarium A", room=room, start=local(3, 9), end=local(3, 10))
    make_seminar(title="Seminarium B", room=other, start=local(3, 9), end=local(3, 10))
    opening = make_seminar(title="Invigning", kind="plenary", track=None, room=room, start=local(3, 8),
                           end=local(3, 9))
    lunch = make_seminar(title="Lunch", kind="break", track=None, room=restaurant, start=local(3, 9, 30),
                         end=local(3, 10, 30))
    keynote = make_seminar(title="Huvudtalare", kind="plenary", track=None, room=room, start=local(3, 10),
                           end=local(3, 11))
    make_seminar(title="Seminarium C", room=other, start=local(3, 10), end=local(3, 11))

    response = client.get("/mvt2016/program/2016-02-03/grid/", HTTP_ACCEPT_LANGUAGE="sv")
    grid = response.context["grid"]()
    assert {r.name for r in grid.rooms} == {room.name, "Sal B"}  # the restaurant holds no seminar: no column
    assert [item.pk for item in grid.alongside] == [lunch.pk]
    first = grid.rows[0].cells[0]
    assert first.seminar.pk == opening.pk and first.colspan == 2
    assert_covered_once(grid.rows, grid.rooms)
    keynote_cells = [cell for row in grid.rows for cell in row.cells
                     if cell and cell.seminar and cell.seminar.pk == keynote.pk]
    assert [cell.colspan for cell in keynote_cells] == [1]
    page = response.content.decode()
    assert 'colspan="2"' in page and "Lunch" in page and "Plenum" in page

    day = client.get("/mvt2016/program/2016-02-03/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Invigning" in day and "Lunch" in day and "Ingen bokning behövs" in day
    only_track = client.get(f"/mvt2016/program/2016-02-03/?track={track.slug}").content.decode()
    assert "Invigning" in only_track and "Lunch" in only_track  # items for everyone stay under a track filter


def test_programme_redirects_to_today_during_the_conference(client, conference, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: date(2016, 2, 4))
    response = client.get("/mvt2016/program/")
    assert response["Location"] == "/mvt2016/program/2016-02-04/"


def test_home_redirects_to_the_only_published_conference(client, conference):
    Conference.objects.create(name="Hemlig", slug="hemlig", venue="Kista", first_day=date(2018, 2, 1),
                              last_day=date(2018, 2, 2))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/mvt2016/"


def test_home_lists_published_conferences_only(client, conference, other_conference):
    Conference.objects.create(name="Hemlig", slug="hemlig", venue="Kista", first_day=date(2018, 2, 1),
                              last_day=date(2018, 2, 2))
    page = get_page(client, "/")
    assert "MVT2016" in page and "MVT2017" in page
    assert "Hemlig" not in page
    assert client.get("/hemlig/").status_code == 404


def test_the_grid_has_no_rows_in_which_nothing_runs_and_says_it_scrolls(client, make_seminar, make_room):
    """Issue 11, item 8: an empty row after the morning's seminars end, and rooms hidden off to the right."""
    from sessions.selectors import programme_grid

    rooms = [make_room(name=f"Sal {n}") for n in "ABC"]
    morning = make_seminar(title="Morgon", room=rooms[0], start=local(3, 9), end=local(3, 10))
    afternoon = make_seminar(title="Eftermiddag", room=rooms[1], start=local(3, 11), end=local(3, 12))
    rows = programme_grid([morning, afternoon], rooms)
    assert [row.start for row in rows] == [local(3, 9), local(3, 11)]  # not the empty 10:00–11:00
    page = client.get("/mvt2016/program/2016-02-03/grid/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "scrolla tabellen i sidled" in page
