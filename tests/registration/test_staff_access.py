"""Staff pages need the right group and MFA; the admin login goes through allauth."""

from django.contrib.auth.models import Group

from registration.roles import ORGANISERS


def test_organiser_without_mfa_is_sent_to_set_it_up(client, make_user):
    user = make_user(is_staff=True)
    user.groups.add(Group.objects.get(name=ORGANISERS))
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/2fa/totp/activate")


def test_organiser_with_mfa_reaches_the_admin(client, organiser):
    client.force_login(organiser)
    assert client.get("/admin/").status_code == 200


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_attendee_without_role_is_not_asked_for_mfa_and_cannot_reach_admin(client, make_user):
    client.force_login(make_user())
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403


def test_account_pages_use_our_layout_in_swedish(client):
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="sv">' in page
    assert 'class="skip-link"' in page
    assert "Logga in" in page


def test_staff_see_their_desk_links_and_attendees_do_not(client, conference, organiser, door_staff, make_user):
    client.force_login(organiser)
    page = client.get("/mvt2016/").content.decode()
    assert 'href="/admin/"' in page and 'href="/staff/badges/mvt2016/"' in page and 'href="/staff/door/"' in page
    client.force_login(door_staff)
    page = client.get("/mvt2016/").content.decode()
    assert 'href="/staff/door/"' in page and 'href="/admin/"' not in page
    client.force_login(make_user())
    page = client.get("/mvt2016/").content.decode()
    assert 'href="/staff/door/"' not in page and 'href="/admin/"' not in page
