"""Malformed requests answer 400 with the site's own error page (Swedish by default), never a 500."""

import pytest
from django.db import DataError, connection
from django.test import Client

from registration.models import Booking, Registration

POST_PATHS = [
    "/mvt2016/register/",
    "/mvt2016/seminars/{code}/book/",
    "/bookings/00000000-0000-4000-8000-000000000000/cancel/",
    "/mvt2016/delegations/new/",
    "/staff/door/mvt2016/entrance-2016-02-03/",
    "/admin/programme/seminar/add/",
    "/accounts/login/",
    "/i18n/setlang/",
    "/no-such-page/",
]


@pytest.fixture
def csrf_client(organiser):
    """A browser as an attacker would script it: a well-formed CSRF cookie, checks enforced, logged in."""
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32
    client.force_login(organiser)
    return client


@pytest.mark.parametrize("charset", ["latin-1", "utf-16", "iso-8859-15"])
@pytest.mark.parametrize("path", POST_PATHS)
def test_a_form_post_in_another_charset_than_utf8_is_a_bad_request(csrf_client, conference, make_seminar, path,
                                                                  charset):
    seminar = make_seminar()
    body = f"csrfmiddlewaretoken={'a' * 32}&name=Karin&organisation_type=company&organisation_name=AB&category=staff"
    response = csrf_client.post(path.format(code=seminar.code), body,  # encoded in `charset` by the client
                                content_type=f"application/x-www-form-urlencoded; charset={charset}")
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="sv">' in page and "Felaktig begäran" in page
    assert not Booking.objects.exists() and not Registration.objects.exists()


def test_the_bad_request_page_follows_the_language_switch(csrf_client, conference):
    csrf_client.cookies["django_language"] = "en"
    response = csrf_client.post("/mvt2016/register/", b"name=Karin",
                                content_type="application/x-www-form-urlencoded; charset=latin-1")
    assert response.status_code == 400
    assert '<html lang="en">' in response.content.decode() and "Bad request" in response.content.decode()


def test_a_utf8_form_post_still_works(client, db):
    response = client.post("/i18n/setlang/", b"language=en&next=/", content_type="application/x-www-form-urlencoded; "
                           "charset=UTF-8")
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "en"


@pytest.mark.parametrize("status", [400, 500])
def test_the_error_handlers_never_read_the_form(rf, db, status):
    """A request whose form cannot be read (the charset error raises on every access) still gets its page."""
    from django.core.exceptions import BadRequest
    from django.urls import get_resolver

    rf.cookies["csrftoken"] = "a" * 32  # without one the CSRF check refuses before it reads the form
    request = rf.post("/", "name=x", content_type="application/x-www-form-urlencoded; charset=latin-1")
    handler = get_resolver().resolve_error_handler(status)
    response = handler(request, BadRequest()) if status == 400 else handler(request)
    assert response.status_code == status


def test_a_disallowed_host_gets_the_bad_request_page(client, db):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Felaktig begäran" in response.content.decode()


# --- Control characters in the path or query string ------------------------------------------------------------

# PostgreSQL refuses NUL in text: each of these reached a query with it and answered 500 there.
NUL_URLS = [
    "/admin/registration/registration/?status=%00",
    "/admin/registration/registration/?municipality__county=%00",
    "/admin/autocomplete/?app_label=registration&model_name=registration&field_name=municipality&term=%00",
    "/admin/registration/municipality/%00/change/",
]
CONTROL_URLS = [
    *NUL_URLS,
    "/admin/programme/seminar/?q=%00",
    "/admin/registration/registration/?q=Karin%0D%0ALind",
    "/mvt2016/?x%01=1",
    "/mvt2016/seminars/%00/",
    "/mvt2016/program/?day=%09",
    "/mvt2016/speakers/%7F/",
]


@pytest.fixture
def desk(client, organiser, conference):
    client.force_login(organiser)
    return client


@pytest.mark.parametrize("url", CONTROL_URLS)
def test_a_control_character_in_the_path_or_query_string_is_a_bad_request(desk, url):
    response = desk.get(url)
    assert response.status_code == 400
    assert "Felaktig begäran" in response.content.decode()


def test_a_nul_in_the_session_cookie_is_a_bad_request(client, conference):
    client.cookies["sessionid"] = "\x00" * 32  # Django unquotes '"\\000…"' in a Cookie header to this
    response = client.get("/mvt2016/")
    assert response.status_code == 400
    assert "Felaktig begäran" in response.content.decode()


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL refuses NUL in text")
@pytest.mark.parametrize("url", NUL_URLS)
def test_without_the_guard_postgresql_fails_on_these_urls(desk, settings, url):
    """Negative control: the guard is what keeps these from a 500, so the test above can see a regression."""
    guard = "mvt.middleware.RefuseControlCharactersMiddleware"
    assert guard in settings.MIDDLEWARE
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != guard]
    with pytest.raises((ValueError, DataError)):
        desk.get(url)


def test_line_breaks_and_tabs_in_a_form_body_are_fine(client, conference, make_user):
    client.force_login(make_user())
    response = client.post("/mvt2016/register/", {
        "name": "Karin Lind", "organisation_type": "company", "organisation_name": "Exempel AB", "job_title": "",
        "category": "staff", "accessibility_needs": "Hörslinga\r\nRullstolsplats\tgärna nära dörren",
        "language": "sv",
    })
    assert response.status_code == 302
    assert Registration.objects.get().accessibility_needs == "Hörslinga\r\nRullstolsplats\tgärna nära dörren"
