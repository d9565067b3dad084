"""MFA is part of staff permission itself: no path prefix, script name or missing middleware gets around it."""

import pytest
from django.contrib.auth.models import Group

from registration.models import Registration
from registration.roles import ORGANISERS

ADMIN_PAGES = [
    "/admin/",
    "/admin/registration/registration/",
    "/admin/autocomplete/?app_label=registration&model_name=registration&field_name=municipality&term=V",
]


@pytest.fixture
def organiser_without_mfa(client, make_user):
    user = make_user(is_staff=True)
    user.groups.add(Group.objects.get(name=ORGANISERS))
    client.force_login(user)
    return user


@pytest.fixture
def attendee_data(make_registration):
    """Something an organiser without MFA must not read."""
    return make_registration(name="Hemlig Deltagare")


def is_sent_to_mfa_setup(response) -> bool:
    return response.status_code == 302 and "/accounts/2fa/totp/activate/" in response["Location"]


def passed_mfa_setup(response) -> bool:
    """Followed redirects went through MFA setup (allauth then asks for the password again)."""
    return any("/accounts/2fa/totp/activate/" in url for url, _status in response.redirect_chain)


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_an_organiser_without_mfa_under_a_script_name_is_sent_to_set_it_up(client, organiser_without_mfa,
                                                                           attendee_data, page):
    # A WSGI server that takes SCRIPT_NAME from the request made request.path "/x/admin/…" while the
    # admin still answered at path_info "/admin/…".
    response = client.get(page, SCRIPT_NAME="/x")
    assert "Hemlig Deltagare" not in response.content.decode()
    assert is_sent_to_mfa_setup(response)


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_the_admin_itself_requires_mfa_without_the_middleware(client, settings, organiser_without_mfa,
                                                              attendee_data, page):
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if not name.endswith("StaffMFAMiddleware")]
    response = client.get(page, follow=True)
    assert "Hemlig Deltagare" not in response.content.decode()
    assert passed_mfa_setup(response)


def test_a_superuser_without_mfa_is_sent_to_set_it_up_too(client, settings, make_user, attendee_data):
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if not name.endswith("StaffMFAMiddleware")]
    client.force_login(make_user(is_staff=True, is_superuser=True))
    response = client.get("/admin/registration/registration/", follow=True)
    assert "Hemlig Deltagare" not in response.content.decode()
    assert passed_mfa_setup(response)


def test_an_organiser_with_mfa_reaches_the_admin_under_a_script_name(client, organiser, attendee_data):
    client.force_login(organiser)
    response = client.get("/admin/registration/registration/", SCRIPT_NAME="/x")
    assert response.status_code == 200
    assert "Hemlig Deltagare" in response.content.decode()
    assert Registration.objects.count() == 1


def test_door_staff_without_mfa_under_a_script_name_are_sent_to_set_it_up(client, make_user, conference):
    from registration.roles import DOOR_STAFF

    user = make_user()
    user.groups.add(Group.objects.get(name=DOOR_STAFF))
    client.force_login(user)
    assert is_sent_to_mfa_setup(client.get("/staff/door/", SCRIPT_NAME="/x"))
