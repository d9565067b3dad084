"""A `next` parameter only ever sends people to a path on this site; anything else falls back, never a 500."""

import pytest

from registration.models import Booking, BookingStatus, Registration
from registration.services.booking import book_seat

# A bare word used to be taken as a URL name by redirect() (a 500); the others are not paths on this site.
NOT_A_PATH = ["foo", "registration:my_programme", "//evil.example/", "https://evil.example/", "/\\evil.example",
              "javascript:alert(1)"]
# A line break in a query string is refused earlier (a 400); in a form body it reaches the helper.
NOT_A_PATH_IN_A_FORM = [*NOT_A_PATH, "/mvt2016/me/\r\nX-Evil: 1"]


@pytest.fixture
def attendee(client, make_registration):
    registration = make_registration()
    client.force_login(registration.user)
    return registration


@pytest.mark.parametrize("target", NOT_A_PATH_IN_A_FORM)
def test_booking_with_a_next_that_is_not_a_path_books_and_returns_to_the_seminar(client, attendee, make_seminar,
                                                                                 target):
    seminar = make_seminar()
    response = client.post(f"/mvt2016/seminars/{seminar.code}/book/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == seminar.get_absolute_url()
    assert Booking.objects.get(registration=attendee, seminar=seminar).status == BookingStatus.CONFIRMED


def test_booking_with_a_path_as_next_returns_there(client, attendee, make_seminar):
    seminar = make_seminar()
    response = client.post(f"/mvt2016/seminars/{seminar.code}/book/", {"next": "/mvt2016/program/?day=1"})
    assert response.status_code == 302
    assert response["Location"] == "/mvt2016/program/?day=1"


@pytest.mark.parametrize("target", NOT_A_PATH_IN_A_FORM)
def test_cancelling_with_a_next_that_is_not_a_path_cancels_and_returns_to_my_programme(client, attendee,
                                                                                      make_seminar, target):
    booking = book_seat(registration=attendee, seminar=make_seminar(), notify=False)
    response = client.post(f"/bookings/{booking.public_id}/cancel/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/mvt2016/me/"
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


@pytest.mark.parametrize("target", NOT_A_PATH_IN_A_FORM)
def test_registering_with_a_next_that_is_not_a_path_registers_and_opens_my_programme(client, conference,
                                                                                    make_user, target):
    user = make_user()
    client.force_login(user)
    form = {"name": "Karin Lind", "organisation_type": "company", "organisation_name": "Exempel AB",
            "job_title": "", "category": "staff", "accessibility_needs": "", "language": "sv"}
    response = client.post("/mvt2016/register/", {**form, "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/mvt2016/me/"
    assert Registration.objects.filter(user=user).exists()


def test_the_registration_form_keeps_a_path_as_next_and_drops_a_word(client, conference, make_user):
    client.force_login(make_user())
    assert 'name="next" value="/mvt2016/program/"' in client.get("/mvt2016/register/?next=/mvt2016/program/") \
        .content.decode()
    assert 'name="next" value="foo"' not in client.get("/mvt2016/register/?next=foo").content.decode()


@pytest.mark.parametrize("target", NOT_A_PATH)
def test_admin_login_passes_on_only_a_path(client, db, target):
    from urllib.parse import parse_qs, urlsplit

    response = client.get("/admin/login/", {"next": target})
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == ["/admin/"]
