"""Admin forms with an id that is not a number (a hand-made POST, a stale autocomplete) show a form error."""

import pytest

from sessions.models import Seminar
from tests.programme.test_admin import ADD_URL, add_form


@pytest.fixture
def desk(client, organiser):
    client.force_login(organiser)
    return client


@pytest.mark.parametrize("field", ["room", "track", "conference"])
@pytest.mark.parametrize("value", ["x", "1.5", "99999999999999999999999", "-1", " "])
def test_seminar_add_with_a_bad_id_shows_the_form_error(desk, conference, track, room, field, value):
    response = desk.post(ADD_URL, {**add_form(conference, track, room), field: value})
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Seminar.objects.exists()


@pytest.mark.parametrize("value", ["x", "1.5", "99999999999999999999999"])
def test_seminar_add_with_a_bad_speaker_id_in_the_inline_shows_the_form_error(desk, conference, track, room,
                                                                              value):
    response = desk.post(ADD_URL, {**add_form(conference, track, room), "seminar_speakers-0-speaker": value})
    assert response.status_code == 200
    assert any("speaker" in form.errors for formset in response.context["inline_admin_formsets"]
               for form in formset.formset.forms)
    assert not Seminar.objects.exists()


@pytest.mark.parametrize("field", ["conference", "room", "track"])
def test_a_bad_id_beside_a_speaker_is_a_form_error_not_a_conflict_check_crash(desk, conference, track, room,
                                                                             make_speaker, field):
    """The speaker inline checks conflicts on its own; it must not run them on a seminar missing its parts."""
    response = desk.post(ADD_URL, {**add_form(conference, track, room, speakers=[make_speaker()]), field: "x"})
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Seminar.objects.exists()
