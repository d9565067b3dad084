"""Issue 11, item 1: "Register" on a seminar → account → verified → registered → back on the seminar,
one straight path."""

import html
import re
from urllib.parse import unquote

import pytest

from registration.models import Registration
from tests.helpers import deliver_emails

PASSWORD = "Trygg-larm-2016!"


def municipality_form(**overrides):
    data = {"name": "Karin Lind", "organisation_type": "municipality", "municipality": "1980",
            "organisation_name": "", "job_title": "Enhetschef", "category": "staff",
            "accessibility_needs": "", "language": "en"}
    data.update(overrides)
    return data


def href(page: str, label: str) -> str:
    return html.unescape(re.search(r'<a[^>]*href="([^"]+)"[^>]*>' + re.escape(label) + "</a>", page).group(1))


@pytest.fixture
def seminar(make_seminar):
    return make_seminar(title="Läkemedelsrobotar i hemtjänsten", capacity=10)


def test_register_on_a_seminar_page_leads_through_signup_and_verification_back_to_the_seminar(
        client, conference, seminar):
    client.cookies["django_language"] = "en"
    seminar_url = seminar.get_absolute_url()
    signup_url = href(client.get(seminar_url).content.decode(), "Register")
    assert signup_url.startswith("/accounts/signup/?next=")

    response = client.post(signup_url, {"email": "karin@vasteras.se", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    confirm_link = re.search(r"http://testserver(/accounts/confirm-email/[^\s]+)", deliver_emails()[-1].body).group(1)
    assert client.get(confirm_link).status_code == 200
    response = client.post(confirm_link)
    # Confirmed in the browser that signed up: logged in, and on the registration form with `next` kept.
    assert response.status_code == 302
    assert unquote(response.url) == f"/{conference.slug}/register/?next={seminar_url}"
    form_page = client.get(response.url).content.decode()
    assert f'name="next" value="{seminar_url}"' in form_page
    assert "Finish your registration" in form_page

    response = client.post(response.url, municipality_form())
    assert response.status_code == 302 and response.url == seminar_url
    assert Registration.objects.filter(email="karin@vasteras.se").exists()
    page = client.get(seminar_url).content.decode()
    assert "Book a seat" in page and "My programme" in page and "Finish your registration" not in page


def test_log_in_to_book_goes_through_the_registration_form_back_to_the_seminar(client, conference, seminar,
                                                                               make_user):
    client.cookies["django_language"] = "en"
    from allauth.account.models import EmailAddress

    user = make_user(email="karin@vasteras.se", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    login_url = href(client.get(seminar.get_absolute_url()).content.decode(), "Log in to book a seat")
    response = client.post(login_url, {"login": "karin@vasteras.se", "password": PASSWORD})
    assert response.status_code == 302 and response.url.startswith(f"/{conference.slug}/register/?next=")
    response = client.post(response.url, municipality_form())
    assert response.url == seminar.get_absolute_url()
    # Already registered: the same link goes straight back to the seminar.
    assert client.get(f"/{conference.slug}/register/?next={seminar.get_absolute_url()}").url == \
        seminar.get_absolute_url()


def test_logged_in_without_registration_sees_finish_your_registration(client, conference, seminar, make_user):
    client.cookies["django_language"] = "en"
    client.force_login(make_user())
    page = client.get(seminar.get_absolute_url()).content.decode()
    assert href(page, "Finish your registration").startswith(f"/{conference.slug}/register/?next=")
    assert "My programme" not in page


def test_plain_log_in_from_a_conference_page_without_registration_goes_through_the_form(client, conference,
                                                                                        seminar, make_user):
    from allauth.account.models import EmailAddress

    client.cookies["django_language"] = "en"
    user = make_user(email="karin@vasteras.se", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    login_url = href(client.get(seminar.get_absolute_url()).content.decode(), "Log in")
    response = client.post(login_url, {"login": "karin@vasteras.se", "password": PASSWORD})
    assert unquote(response.url) == f"/{conference.slug}/register/?next={seminar.get_absolute_url()}"
    client.post(response.url, municipality_form())
    client.post("/accounts/logout/")
    # Registered: the same log-in goes straight back to the page.
    response = client.post(login_url, {"login": "karin@vasteras.se", "password": PASSWORD})
    assert response.url == seminar.get_absolute_url()


def test_log_in_without_next_still_lands_on_the_start_page(client, db, make_user):
    from allauth.account.models import EmailAddress

    user = make_user(email="karin@vasteras.se", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post("/accounts/login/", {"login": "karin@vasteras.se", "password": PASSWORD})
    assert response.url == "/"
