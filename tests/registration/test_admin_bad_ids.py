"""The registration admin shows a form error for a municipality or region id that is not one, never a 500."""

import pytest


def change_form(registration, **overrides):
    """POST data for the registration change form (the bookings inline is read-only but has its management form)."""
    data = {
        "name": registration.name, "email": registration.email, "language": "sv",
        "organisation_type": "municipality", "municipality": "1980", "region": "", "organisation_name": "",
        "job_title": "", "category": "staff", "accessibility_needs": "",
        "bookings-TOTAL_FORMS": "0", "bookings-INITIAL_FORMS": "0",
        "bookings-MIN_NUM_FORMS": "0", "bookings-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


@pytest.fixture
def desk(client, organiser):
    client.force_login(organiser)
    return client


def test_the_change_form_saves_a_real_municipality(desk, make_registration):
    registration = make_registration()
    response = desk.post(f"/admin/registration/registration/{registration.pk}/change/", change_form(registration))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.municipality.name == "Västerås"


@pytest.mark.parametrize(("overrides", "field"), [
    ({"municipality": "x"}, "municipality"),
    ({"municipality": "99999"}, "municipality"),
    ({"municipality": "\x00"}, "municipality"),
    ({"organisation_type": "region", "municipality": "", "region": "x"}, "region"),
    ({"organisation_type": "region", "municipality": "", "region": "\x00"}, "region"),
])
def test_a_municipality_or_region_that_does_not_exist_is_a_form_error(desk, make_registration, overrides, field):
    registration = make_registration()
    response = desk.post(f"/admin/registration/registration/{registration.pk}/change/",
                         change_form(registration, **overrides))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    registration.refresh_from_db()
    assert registration.organisation_type == "company"
