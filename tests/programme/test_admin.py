"""The organisers' programme desk in the Django admin: conflict refusals, actions, filters and access."""

import pytest
from django.contrib.auth.models import Group

from registration.roles import ORGANISERS
from sessions.models import Seminar, SeminarSpeaker, SeminarStatus
from tests.conftest import give_mfa, local

ADD_URL = "/admin/programme/seminar/add/"
LIST_URL = "/admin/programme/seminar/"


def add_form(conference, track, room, speakers=(), **overrides):
    """POST data for the admin's seminar add form, with the speaker inline (prefix "seminar_speakers")."""
    data = {
        "conference": conference.pk, "title": "Digitala trygghetslarm", "abstract": "", "language": "sv",
        "track": track.pk, "status": SeminarStatus.PUBLISHED,
        "start_0": "2016-02-03", "start_1": "10:00", "end_0": "2016-02-03", "end_1": "11:00",
        "room": room.pk, "capacity": "",
        "seminar_speakers-TOTAL_FORMS": str(len(speakers) + 1), "seminar_speakers-INITIAL_FORMS": "0",
        "seminar_speakers-MIN_NUM_FORMS": "0", "seminar_speakers-MAX_NUM_FORMS": "1000",
    }
    for i, speaker in enumerate(speakers):
        data[f"seminar_speakers-{i}-order"] = str(i)
        data[f"seminar_speakers-{i}-speaker"] = str(speaker.pk)
    data[f"seminar_speakers-{len(speakers)}-order"] = "0"
    data.update(overrides)
    return data


@pytest.fixture
def desk(client, organiser):
    client.force_login(organiser)
    return client


def test_admin_add_that_double_books_a_room_is_refused(desk, conference, track, room, make_seminar):
    make_seminar(title="Läkemedelsrobotar i hemtjänsten", start=local(3, 10), end=local(3, 11))

    response = desk.post(ADD_URL, add_form(conference, track, room, start_1="10:30", end_1="11:30"))

    assert response.status_code == 200  # the form again, with errors
    assert "Läkemedelsrobotar i hemtjänsten" in response.content.decode()
    assert response.context["adminform"].form.errors
    assert not Seminar.objects.filter(title="Digitala trygghetslarm").exists()


def test_admin_add_with_a_busy_speaker_in_the_inline_is_refused(
    desk, conference, track, make_room, make_speaker, make_seminar,
):
    anna = make_speaker(name="Anna Lindqvist")
    make_seminar(title="Sensorer som förebygger fall", speakers=[anna], start=local(3, 10), end=local(3, 11))

    response = desk.post(ADD_URL, add_form(conference, track, make_room(capacity=100), speakers=[anna]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Anna Lindqvist" in page
    assert "Sensorer som förebygger fall" in page
    assert not Seminar.objects.filter(title="Digitala trygghetslarm").exists()


def test_admin_add_saves_the_speakers_in_order(desk, conference, track, room, make_speaker):
    speakers = [make_speaker(name="Cecilia"), make_speaker(name="Anders"), make_speaker(name="Bertil")]

    response = desk.post(ADD_URL, add_form(conference, track, room, speakers=speakers))

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    seminar = Seminar.objects.get(title="Digitala trygghetslarm")
    assert [link.speaker.name for link in SeminarSpeaker.objects.filter(seminar=seminar).order_by("order")] == [
        "Cecilia", "Anders", "Bertil",
    ]
    assert seminar.start == local(3, 10)  # entered in Stockholm time
    assert seminar.capacity == room.capacity
    assert seminar.revision == 0


def test_admin_add_with_more_seats_than_the_room_is_refused(desk, conference, track, room):
    response = desk.post(ADD_URL, add_form(conference, track, room, capacity=str(room.capacity + 1)))
    assert response.status_code == 200
    assert "capacity" in response.context["adminform"].form.errors
    assert not Seminar.objects.exists()


def test_admin_edit_of_the_title_keeps_the_revision(desk, conference, track, room, make_seminar):
    seminar = make_seminar(title="Gammal titel")
    data = add_form(conference, track, room, title="Ny titel")
    response = desk.post(f"{LIST_URL}{seminar.pk}/change/", data)
    assert response.status_code == 302
    seminar.refresh_from_db()
    assert (seminar.title, seminar.revision) == ("Ny titel", 0)


def test_conflicts_page_lists_a_conflict(desk, conference, make_room, make_seminar):
    make_seminar(title="Först i salen", start=local(3, 10), end=local(3, 11))
    make_seminar(title="Dubbelbokad", start=local(3, 10, 30), end=local(3, 11, 30))

    response = desk.get(f"/admin/programme/conference/{conference.pk}/conflicts/")

    assert response.status_code == 200
    assert len(response.context["conflicts"]) == 2  # each of the pair names the other
    page = response.content.decode()
    assert "Först i salen" in page and "Dubbelbokad" in page


def test_conflicts_page_without_conflicts(desk, conference, make_seminar):
    make_seminar()
    response = desk.get(f"/admin/programme/conference/{conference.pk}/conflicts/")
    assert response.status_code == 200
    assert response.context["conflicts"] == []


def test_publish_action_publishes_drafts(desk, make_room, make_seminar):
    drafts = [make_seminar(status=SeminarStatus.DRAFT, room=make_room(capacity=100)) for _ in range(2)]
    response = desk.post(LIST_URL, {"action": "publish_selected", "_selected_action": [s.pk for s in drafts]})
    assert response.status_code == 302
    assert set(Seminar.objects.values_list("status", "revision")) == {(SeminarStatus.PUBLISHED, 1)}


def test_publish_action_refuses_a_conflicting_draft(desk, make_seminar):
    make_seminar(title="Redan publicerad")
    draft = make_seminar(title="Utkast i samma sal", status=SeminarStatus.DRAFT)

    response = desk.post(LIST_URL, {"action": "publish_selected", "_selected_action": [draft.pk]}, follow=True)

    draft.refresh_from_db()
    assert draft.status == SeminarStatus.DRAFT
    assert any("Redan publicerad" in str(m) for m in response.context["messages"])


def test_cancel_action_asks_first_then_cancels_and_bumps_revision(desk, make_seminar):
    seminar = make_seminar()
    response = desk.post(LIST_URL, {"action": "cancel_selected", "_selected_action": [seminar.pk]})
    assert response.status_code == 200  # the confirmation page
    seminar.refresh_from_db()
    assert seminar.status == SeminarStatus.PUBLISHED
    response = desk.post(LIST_URL, {"action": "cancel_selected", "_selected_action": [seminar.pk], "confirmed": "yes"})
    assert response.status_code == 302
    seminar.refresh_from_db()
    assert (seminar.status, seminar.revision) == (SeminarStatus.CANCELLED, 1)


@pytest.mark.parametrize("query", [
    "", "day=2016-02-03", "day=2016-02-31", "day=nonsense", "status__exact=draft", "status__exact=cancelled",
])
def test_seminar_list_filters_answer(desk, make_seminar, query):
    make_seminar()
    assert desk.get(f"{LIST_URL}?{query}").status_code == 200


def test_seminar_list_filters_by_day_track_and_room(desk, conference, track, make_room, make_seminar):
    other_room = make_room(capacity=100)
    first = make_seminar(title="Onsdag", start=local(3, 10), end=local(3, 11))
    second = make_seminar(title="Torsdag", room=other_room, start=local(4, 10), end=local(4, 11))

    def titles(query):
        response = desk.get(f"{LIST_URL}?{query}")
        assert response.status_code == 200
        return {s.title for s in response.context["cl"].result_list}

    assert titles("day=2016-02-04") == {second.title}
    assert titles(f"track__id__exact={track.pk}") == {first.title, second.title}
    assert titles(f"room__id__exact={other_room.pk}") == {second.title}
    assert titles("status__exact=published") == {first.title, second.title}


def test_seminar_day_filter_uses_stockholm_days(desk, make_seminar):
    make_seminar(title="Vid midnatt", start=local(4, 0, 15), end=local(4, 1))  # 3 February in UTC
    response = desk.get(f"{LIST_URL}?day=2016-02-04")
    assert [s.title for s in response.context["cl"].result_list] == ["Vid midnatt"]


@pytest.mark.parametrize("who", ["plain", "staff_without_group", "door_staff", "organiser_inactive"])
def test_admin_refuses_everyone_but_organisers(client, make_user, door_staff, who):
    if who == "plain":
        user = give_mfa(make_user())
    elif who == "staff_without_group":
        user = give_mfa(make_user(is_staff=True))
    elif who == "door_staff":
        user = door_staff
    else:
        user = give_mfa(make_user(is_staff=True, is_active=False))
        user.groups.add(Group.objects.get(name=ORGANISERS))
    client.force_login(user)
    for url in ["/admin/", LIST_URL, ADD_URL]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url


def test_admin_redirects_anonymous_to_login(client, db):
    for url in ["/admin/", LIST_URL, "/admin/programme/conference/1/conflicts/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_organiser_gets_the_desk(desk):
    assert desk.get("/admin/").status_code == 200
    assert desk.get(LIST_URL).status_code == 200
    assert desk.get(ADD_URL).status_code == 200


def test_admin_edit_reorders_and_removes_speakers(desk, conference, track, room, make_speaker, make_seminar):
    anna, bo, cia = make_speaker(name="Anna"), make_speaker(name="Bo"), make_speaker(name="Cia")
    seminar = make_seminar(speakers=[anna, bo, cia])
    links = list(SeminarSpeaker.objects.filter(seminar=seminar).order_by("order"))
    data = add_form(conference, track, room, title=seminar.title)
    data.update({"seminar_speakers-TOTAL_FORMS": "3", "seminar_speakers-INITIAL_FORMS": "3"})
    for i, (link, order, delete) in enumerate(zip(links, ["1", "0", "2"], [False, False, True], strict=True)):
        data[f"seminar_speakers-{i}-id"] = str(link.pk)
        data[f"seminar_speakers-{i}-seminar"] = str(seminar.pk)
        data[f"seminar_speakers-{i}-speaker"] = str(link.speaker_id)
        data[f"seminar_speakers-{i}-order"] = order
        if delete:
            data[f"seminar_speakers-{i}-DELETE"] = "on"

    response = desk.post(f"{LIST_URL}{seminar.pk}/change/", data)

    assert response.status_code == 302
    names = [link.speaker.name for link in SeminarSpeaker.objects.filter(seminar=seminar).order_by("order")]
    assert names == ["Bo", "Anna"]


@pytest.mark.parametrize(("overrides", "field"), [
    ({"end_1": "09:00"}, None),                               # ends before it starts
    ({"start_0": "2016-02-05", "end_0": "2016-02-05"}, "start"),  # the day after the conference
    ({"start_0": "2016-02-31"}, "start"),                     # no such date
])
def test_admin_add_with_bad_times_is_refused_without_a_crash(desk, conference, track, room, overrides, field):
    response = desk.post(ADD_URL, add_form(conference, track, room, **overrides))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors
    if field:
        assert field in form.errors
    assert not Seminar.objects.exists()


def test_admin_inline_refuses_a_speaker_of_another_conference(
    desk, conference, track, room, other_conference, make_speaker,
):
    foreign = make_speaker(conference=other_conference, name="Bo Från 2017")
    response = desk.post(ADD_URL, add_form(conference, track, room, speakers=[foreign]))
    assert response.status_code == 200
    assert "Bo Från 2017" in response.content.decode()
    assert not Seminar.objects.exists()


def test_admin_inline_refuses_the_same_speaker_twice(desk, conference, track, room, make_speaker):
    anna = make_speaker(name="Anna Dubbel")
    response = desk.post(ADD_URL, add_form(conference, track, room, speakers=[anna, anna]))
    assert response.status_code == 200
    assert not Seminar.objects.exists()


def test_only_drafts_can_be_deleted(desk, make_seminar, make_room):
    published = make_seminar()
    draft = make_seminar(status=SeminarStatus.DRAFT, room=make_room())
    assert desk.get(f"/admin/programme/seminar/{published.pk}/delete/").status_code == 403
    assert desk.get(f"/admin/programme/seminar/{draft.pk}/delete/").status_code == 200
    assert "delete_selected" not in desk.get(LIST_URL).content.decode()


def test_room_capacity_cannot_drop_below_its_seminars(desk, conference, room, make_seminar):
    make_seminar(title="Stor publik", capacity=90)
    response = desk.post(f"/admin/programme/room/{room.pk}/change/", {
        "conference": conference.pk, "name": room.name, "capacity": "40", "accessibility_notes": "", "order": "0",
    })
    assert response.status_code == 200
    assert "Stor publik" in response.content.decode()
    room.refresh_from_db()
    assert room.capacity == 100
