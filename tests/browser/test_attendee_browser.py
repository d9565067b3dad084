"""An attendee in a phone browser: book a seat from the seminar page, see it in My programme; the pages
they meet pass axe-core's accessibility checks."""

from django.test import Client

from registration.models import Booking, Registration

from .conftest import axe_check


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def test_attendee_books_a_seat_and_finds_it_in_my_programme(page, live_server, conference, make_user, make_seminar):
    seminar = make_seminar(title="Sensorer som förebygger fall", capacity=2)
    user = make_user()
    registration = Registration.objects.create(
        conference=conference, user=user, email=user.email, name="Karin Lind", organisation_type="company",
        organisation_name="Exempel AB",
    )
    log_in(page, live_server, user)

    page.goto(live_server.url + seminar.get_absolute_url())
    axe_check(page)
    page.get_by_role("button", name="Boka plats").click()
    page.wait_for_load_state()
    assert "Du har en plats" in page.locator(".messages").inner_text()
    # Focus moved to the message that says what happened (issue 11, item 6).
    assert page.evaluate("document.activeElement.classList.contains('messages')")
    assert Booking.objects.get(registration=registration).status == "confirmed"

    page.goto(live_server.url + "/mvt2016/program/2016-02-03/")
    badge = page.locator(f"[data-seminar='{seminar.code}'] .seat-badge")
    assert badge.inner_text() == "1 plats ledig"
    axe_check(page)

    page.goto(live_server.url + "/mvt2016/me/")
    assert "Sensorer som förebygger fall" in page.locator("main").inner_text()
    axe_check(page)
    page.goto(live_server.url + "/mvt2016/delegations/new/")
    axe_check(page)


def test_registration_and_account_pages_are_accessible(page, live_server, conference, make_user, reference_data):
    page.goto(live_server.url + "/accounts/login/")
    axe_check(page)
    page.goto(live_server.url + "/accounts/signup/")
    axe_check(page)
    log_in(page, live_server, make_user())
    page.goto(live_server.url + "/mvt2016/register/")
    assert page.locator("select[name=municipality] option").count() == 291  # 290 municipalities + the prompt
    axe_check(page)
