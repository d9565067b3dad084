"""The organisers' schedule board: moves by form and JSON through the programme's save path, refusals that
name the other seminar, confirmations for booked attendees, the pool of drafts, undo, access, queries."""

from datetime import date

import pytest
from django.urls import reverse

from registration.models import Booking, Registration
from sessions.models import Seminar, SeminarStatus

from ..conftest import local

JSON = {"HTTP_ACCEPT": "application/json"}


def board_url(conference, day=None):
    return reverse("programme:board", args=[conference.slug, day or conference.first_day])


def move_url(conference, seminar, day=None):
    return reverse("programme:board_move", args=[conference.slug, day or conference.first_day, seminar.code])


def undo_url(conference, day=None):
    return reverse("programme:board_undo", args=[conference.slug, day or conference.first_day])


def book(seminar, n, status="confirmed"):
    for i in range(n):
        registration = Registration.objects.create(
            conference=seminar.conference, email=f"p{seminar.pk}-{i}-{status}@example.org", name=f"Person {i}",
            organisation_type="company", organisation_name="Exempel AB")
        Booking.objects.create(registration=registration, seminar=seminar, status=status,
                               queued_at=local(20, 10, month=1))


@pytest.fixture
def board_client(client, organiser):
    client.force_login(organiser)
    return client


def test_board_shows_rooms_seminars_and_pool(board_client, conference, room, make_room, make_seminar, make_speaker):
    other_room = make_room(name="Sal Akalla", capacity=30)
    speaker = make_speaker(name="Anna Andersson")
    make_seminar(title="Trygghetslarm", speakers=[speaker])
    make_seminar(title="Digital tillsyn", room=other_room, start=local(4, 13), end=local(4, 14), speakers=[speaker])
    make_seminar(title="Utkast om robotar", status=SeminarStatus.DRAFT, start=local(3, 15), end=local(3, 16))
    make_seminar(title="Inställt", status=SeminarStatus.CANCELLED, start=local(3, 12), end=local(3, 13))
    response = board_client.get(board_url(conference))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sal Akalla" in html and "30 platser" in html
    board = response.context["board"]
    placed = [cell.seminar.title for row in board.rows for cell in row.cells if cell and cell.seminar]
    assert placed == ["Trygghetslarm"]  # the other day's seminar is on the other board, the cancelled one nowhere
    assert [s.title for s in board.pool] == ["Utkast om robotar"]
    # The speaker's other seminar (on the second day) is named beside the seminar.
    assert "Talarna också i:" in html or "Speakers also in:" in html
    assert "Digital tillsyn" in html


def test_no_js_move_to_a_free_slot_saves_and_redirects_with_the_message(board_client, conference, make_room,
                                                                        make_seminar):
    seminar = make_seminar(title="Trygghetslarm")
    other = make_room(name="Sal Husby", capacity=50)
    response = board_client.post(move_url(conference, seminar), {"room": other.pk, "start": "13:30",
                                                                 "day": "2016-02-03", "action": "move"})
    assert response.status_code == 302 and response.url == board_url(conference)
    assert response["X-MVT-Code"] == "moved"
    seminar.refresh_from_db()
    assert (seminar.room, seminar.start, seminar.end, seminar.revision) == (other, local(3, 13, 30),
                                                                            local(3, 14, 30), 1)
    assert seminar.capacity == 50  # the whole room stays the whole room
    page = board_client.get(response.url).content.decode()
    assert "flyttades till Sal Husby" in page or "moved to Sal Husby" in page
    assert "data-focus-on-load" in page


def test_drop_onto_an_occupied_room_is_refused_naming_the_other_seminar(board_client, conference, room,
                                                                        make_seminar):
    seminar = make_seminar(title="Trygghetslarm")
    make_seminar(title="Digital tillsyn", start=local(3, 13), end=local(3, 14))
    response = board_client.post(move_url(conference, seminar), {"room": room.pk, "start": "13:30"}, **JSON)
    assert response.status_code == 409
    answer = response.json()
    assert (answer["ok"], answer["code"], answer["needs_confirm"]) == (False, "conflict", False)
    assert "Digital tillsyn" in answer["message"]
    seminar.refresh_from_db()
    assert (seminar.start, seminar.revision) == (local(3, 10), 0)


def test_json_move_to_a_free_slot_answers_ok_and_the_public_grid_shows_it(board_client, conference, room,
                                                                          make_seminar):
    seminar = make_seminar(title="Trygghetslarm")
    response = board_client.post(move_url(conference, seminar), {"room": room.pk, "start": "15:00"}, **JSON)
    assert response.status_code == 200
    assert response.json() == {"ok": True, "code": "moved", "message": response.json()["message"],
                               "needs_confirm": False, "confirm": [], "affected": 0,
                               "redirect": board_url(conference)}
    grid = board_client.get(reverse("programme:day_grid", args=[conference.slug, conference.first_day]))
    assert '<time datetime="2016-02-03T15:00:00+01:00">15:00</time>' in grid.content.decode()


def test_moving_a_booked_seminar_says_how_many_and_asks_to_confirm(board_client, conference, room, make_seminar):
    seminar = make_seminar(title="Trygghetslarm")
    book(seminar, 3)
    book(seminar, 1, status="waitlisted")
    data = {"room": room.pk, "start": "15:00"}
    response = board_client.post(move_url(conference, seminar), data, **JSON)
    answer = response.json()
    assert (response.status_code, answer["ok"], answer["needs_confirm"], answer["affected"]) == (200, False, True, 4)
    assert answer["confirm"] == ["booked_attendees"]
    assert "4" in answer["message"]
    seminar.refresh_from_db()
    assert seminar.start == local(3, 10)
    response = board_client.post(move_url(conference, seminar), {**data, "confirm": answer["confirm"]}, **JSON)
    assert response.json()["ok"] is True
    seminar.refresh_from_db()
    assert seminar.start == local(3, 15)


def test_after_a_release_the_question_says_the_next_release_tells_them(board_client, conference, room,
                                                                         make_seminar):
    from sessions.releases import publish_release

    seminar = make_seminar(title="Trygghetslarm")
    book(seminar, 2)
    before = board_client.post(move_url(conference, seminar), {"room": room.pk, "start": "15:00"}, **JSON).json()
    assert "nästa version" not in before["message"] and "mejl" in before["message"]
    publish_release(conference=conference)
    after = board_client.post(move_url(conference, seminar), {"room": room.pk, "start": "15:00"}, **JSON).json()
    assert after["needs_confirm"] and after["affected"] == 2
    assert "nästa version" in after["message"] and "mejl" not in after["message"]


def test_a_smaller_room_than_the_bookings_asks_to_confirm_both(board_client, conference, make_room, make_seminar):
    seminar = make_seminar(title="Trygghetslarm")
    small = make_room(name="Rum Riga", capacity=2)
    book(seminar, 3)
    response = board_client.post(move_url(conference, seminar), {"room": small.pk, "start": "10:00"}, **JSON)
    answer = response.json()
    assert answer["needs_confirm"] is True and answer["affected"] == 3
    assert answer["confirm"] == ["capacity_below_bookings", "booked_attendees"]
    response = board_client.post(move_url(conference, seminar), {"room": small.pk, "start": "10:00",
                                                                 "confirm": ["booked_attendees"]}, **JSON)
    assert response.json()["needs_confirm"] is True  # confirming one is not confirming both
    response = board_client.post(move_url(conference, seminar), {"room": small.pk, "start": "10:00",
                                                                 "confirm": answer["confirm"]}, **JSON)
    assert response.json()["ok"] is True
    assert Booking.objects.filter(seminar=seminar, status="confirmed").count() == 2


def test_no_js_confirm_page_carries_the_move_and_the_codes(board_client, conference, room, make_seminar):
    seminar = make_seminar(title="Trygghetslarm")
    book(seminar, 2)
    response = board_client.post(move_url(conference, seminar), {"room": room.pk, "start": "15:00",
                                                                 "day": "2016-02-03", "action": "move"})
    assert response.status_code == 200 and response["X-MVT-Code"] == "booked_attendees"
    html = response.content.decode()
    assert 'name="confirm" value="booked_attendees"' in html and 'name="start" value="15:00"' in html
    assert "data-focus-on-load" in html


def test_to_the_pool_makes_a_draft_and_back_publishes_it(board_client, conference, room, make_seminar):
    seminar = make_seminar(title="Trygghetslarm")
    response = board_client.post(move_url(conference, seminar), {"action": "pool"}, **JSON)
    assert response.json()["ok"] is True
    seminar.refresh_from_db()
    assert (seminar.status, seminar.revision) == (SeminarStatus.DRAFT, 1)
    response = board_client.post(move_url(conference, seminar), {"room": room.pk, "start": "11:00",
                                                                 "day": "2016-02-04"}, **JSON)
    assert response.json()["ok"] is True and response.json()["redirect"] == board_url(conference, conference.last_day)
    seminar.refresh_from_db()
    assert (seminar.status, seminar.start) == (SeminarStatus.PUBLISHED, local(4, 11))


def test_a_booked_seminar_cannot_go_to_the_pool(board_client, conference, make_seminar):
    seminar = make_seminar(title="Trygghetslarm")
    book(seminar, 1)
    response = board_client.post(move_url(conference, seminar), {"action": "pool"}, **JSON)
    assert (response.status_code, response.json()["code"]) == (409, "unpublish_with_bookings")
    assert Seminar.objects.get(pk=seminar.pk).status == SeminarStatus.PUBLISHED


def test_undo_puts_the_last_move_back_through_the_same_checks(board_client, conference, room, make_seminar):
    seminar = make_seminar(title="Trygghetslarm")
    board_client.post(move_url(conference, seminar), {"room": room.pk, "start": "15:00"}, **JSON)
    assert "Ångra senaste flytten" in board_client.get(board_url(conference)).content.decode()
    response = board_client.post(undo_url(conference), **JSON)
    assert response.json()["ok"] is True
    seminar.refresh_from_db()
    assert (seminar.start, seminar.revision) == (local(3, 10), 2)
    response = board_client.post(undo_url(conference), **JSON)
    assert (response.status_code, response.json()["code"]) == (409, "nothing_to_undo")


def test_an_undo_onto_a_slot_taken_meanwhile_is_refused(board_client, conference, room, make_seminar):
    seminar = make_seminar(title="Trygghetslarm")
    board_client.post(move_url(conference, seminar), {"room": room.pk, "start": "15:00"}, **JSON)
    make_seminar(title="Ny i luckan", start=local(3, 10), end=local(3, 11))
    response = board_client.post(undo_url(conference), **JSON)
    assert (response.status_code, response.json()["code"]) == (409, "conflict")
    assert "Ny i luckan" in response.json()["message"]
    assert Seminar.objects.get(pk=seminar.pk).start == local(3, 15)


@pytest.mark.parametrize("data", [
    {"room": "", "start": "10:00"}, {"room": "999999", "start": "10:00"}, {"room": "1", "start": "25:99"},
    {"start": "10:00", "day": "2099-01-01"}, {"action": "fly"}, {},
])
def test_bad_move_input_gets_a_clear_error(board_client, conference, room, make_seminar, data):
    seminar = make_seminar(title="Trygghetslarm")
    response = board_client.post(move_url(conference, seminar), data, **JSON)
    assert (response.status_code, response.json()["code"]) == (409, "invalid")
    assert response.json()["message"]
    assert Seminar.objects.get(pk=seminar.pk).revision == 0


def test_a_room_of_another_conference_is_refused(board_client, conference, make_seminar, other_conference):
    from sessions.models import Room

    seminar = make_seminar(title="Trygghetslarm")
    stranger = Room.objects.create(conference=other_conference, name="Främmande", capacity=10)
    response = board_client.post(move_url(conference, seminar), {"room": stranger.pk, "start": "10:00"}, **JSON)
    assert response.json()["code"] == "invalid"


def test_the_board_is_for_organisers_with_mfa(client, conference, make_user, organiser):
    url = board_url(conference)
    assert client.get(url).status_code == 302  # to the login
    client.force_login(make_user())
    assert client.get(url).status_code == 403
    from django.contrib.auth.models import Group

    from common.access import ORGANISERS

    no_mfa = make_user()
    no_mfa.groups.add(Group.objects.get(name=ORGANISERS))
    client.force_login(no_mfa)
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("mfa_activate_totp"))
    client.force_login(organiser)
    assert client.get(url).status_code == 200
    assert client.get(reverse("programme:board", args=[conference.slug, date(2016, 2, 9)])).status_code == 404


def test_the_desk_links_to_the_board(board_client, conference):
    html = board_client.get(reverse("registration:desk", args=[conference.slug])).content.decode()
    assert reverse("programme:board_start", args=[conference.slug]) in html


# force_login's session and user, the user's groups (the role), MFA, the conference, the rooms, the tracks,
# the day's seminars and every draft, their speakers, those speakers' other seminars, the booking counts.
BOARD_QUERIES = 11


@pytest.fixture(params=[60, 240], ids=lambda n: f"{n}-seminars")
def demo(request, db):
    from sessions.demo import build_demo_programme

    conference = build_demo_programme(seminars=request.param)
    seminars = list(conference.seminars.filter(status=SeminarStatus.PUBLISHED).order_by("start"))
    Seminar.objects.filter(pk__in=[s.pk for s in seminars[-request.param // 10:]]).update(status=SeminarStatus.DRAFT)
    for seminar in seminars[:5]:
        book(seminar, 2)
    return conference


def test_board_query_count_does_not_grow(client, demo, organiser, django_assert_num_queries):
    client.force_login(organiser)
    with django_assert_num_queries(BOARD_QUERIES):
        response = client.get(board_url(demo))
    assert response.status_code == 200
    board = response.context["board"]
    drawn = [cell.seminar for row in board.rows for cell in row.cells if cell and cell.seminar]
    published = demo.seminars.filter(status=SeminarStatus.PUBLISHED, start__lt=local(4, 0)).count()
    assert len(drawn) + len(board.unplaced) == published and len(board.pool) == demo.seminars.filter(
        status=SeminarStatus.DRAFT).count()
    assert sum(seminar.booked for seminar in drawn) == 10
