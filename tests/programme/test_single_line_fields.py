"""Titles and names are one line: the programme's models, and so the admin, refuse control characters."""

import pytest
from django.core.exceptions import ValidationError

from sessions.models import Conference, Room, Seminar, Speaker, Track
from tests.programme.test_admin import ADD_URL, add_form

ONE_LINE_FIELDS = [
    (Conference, "name"), (Conference, "venue"), (Conference, "venue_address"),
    (Track, "name"), (Room, "name"),
    (Speaker, "name"), (Speaker, "title"), (Speaker, "organisation"),
    (Seminar, "title"),
]
NOT_ONE_LINE = ["T3 header\r\nBcc: x@example.org", "Rad ett\nrad två", "Med\ttabb", "Noll\x00byte", "Escape\x1b[31m",
                "Radskift\u2028här", "C1\x85kontroll"]


@pytest.mark.parametrize(("model", "name"), ONE_LINE_FIELDS)
@pytest.mark.parametrize("value", NOT_ONE_LINE)
def test_one_line_fields_refuse_control_characters(model, name, value):
    with pytest.raises(ValidationError) as refused:
        model._meta.get_field(name).clean(value, None)
    assert [error.code for error in refused.value.error_list] == ["not_single_line"]


@pytest.mark.parametrize(("model", "name"), ONE_LINE_FIELDS)
def test_one_line_fields_take_ordinary_text(model, name):
    assert model._meta.get_field(name).clean("Åsa Öberg – Region Västernorrland (AI & vård)", None)


def test_the_admin_refuses_a_seminar_title_with_a_line_break(client, organiser, conference, track, room):
    client.force_login(organiser)
    response = client.post(ADD_URL, add_form(conference, track, room, title="T3 header\r\nBcc: x@example.org"))
    assert response.status_code == 200
    assert [e.code for e in response.context["adminform"].form.errors.as_data()["title"]] == ["not_single_line"]
    assert "Skriv på en rad" in response.content.decode()
    assert not Seminar.objects.exists()


def test_the_admin_refuses_a_room_name_with_a_line_break(client, organiser, conference):
    client.force_login(organiser)
    response = client.post("/admin/programme/room/add/", {
        "conference": conference.pk, "name": "Sal A\r\nSal B", "capacity": "40", "accessibility_notes": "Hörslinga\r\n"
        "Rullstolsplatser", "order": "0",
    })
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["name"]  # the notes may have several lines
    assert not Room.objects.exists()
