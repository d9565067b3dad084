"""Issue 11, item 7 in a phone browser: the delegation page fits 390 px; the coordinator adds a colleague, books
a seat for a member who has not claimed yet, cancels a place and downloads the badges. Every page passes axe."""

from datetime import date

from registration.models import Booking, Municipality, Registration
from registration.services.registrations import Member, register_delegation

from .conftest import axe_check
from .test_attendee_browser import log_in


def fits_the_phone(page) -> bool:
    """Nothing on the page is wider than the 390 px phone, also inside boxes that scroll sideways."""
    return page.evaluate("""() => document.documentElement.scrollWidth <= 390 && Array.from(
        document.querySelectorAll("main *")).every(e => e.getBoundingClientRect().right <= 390)""")


def test_coordinator_manages_a_delegation_on_a_phone(page, live_server, conference, make_user, make_seminar,
                                                    reference_data):
    conference.first_day, conference.last_day = date(2099, 2, 3), date(2099, 2, 4)  # not started: may cancel
    conference.save()
    seminar = make_seminar(title="Digitala nattronder", capacity=5)
    coordinator = make_user(email="samordnare@vasteras.se")
    delegation = register_delegation(
        coordinator=coordinator, conference=conference, organisation_name="Västerås",
        members=[Member(f"Kollega Långnamnsson-Efternamnsdotter {i}",
                        f"kollega.langnamnsson-efternamnsdotter{i}@omsorgsforvaltningen.vasteras.se")
                 for i in range(1, 4)],
        organisation_type="municipality", municipality=Municipality.objects.get(code="1980"), category="staff",
    )
    log_in(page, live_server, coordinator)
    url = f"{live_server.url}/mvt2016/delegations/{delegation.public_id}/"
    page.goto(url)
    assert fits_the_phone(page)
    axe_check(page)

    # Add a colleague, pasted as a spreadsheet row (tab-separated).
    page.get_by_role("link", name="Lägg till kollegor").click()
    page.wait_for_load_state()
    assert fits_the_phone(page)
    axe_check(page)
    page.fill("textarea[name=members]", "Ny\tKollega\tny.kollega@vasteras.se")
    page.get_by_role("button", name="Lägg till dem").click()
    page.wait_for_load_state()
    assert "har lagts till" in page.locator(".messages").inner_text()
    assert page.evaluate("document.activeElement.classList.contains('messages')")
    assert Registration.objects.get(email="ny.kollega@vasteras.se").name == "Ny Kollega"

    # Book a seat for a member who has not claimed the place.
    first = Registration.objects.get(email__startswith="kollega.langnamnsson-efternamnsdotter1@")
    page.get_by_role("link", name=f"Boka platser åt {first.name}").click()
    page.wait_for_load_state()
    assert fits_the_phone(page)
    axe_check(page)
    page.get_by_role("button", name="Boka plats på Digitala nattronder").click()
    page.wait_for_load_state()
    assert "har en plats" in page.locator(".messages").inner_text()
    assert Booking.objects.get(registration=first, seminar=seminar).status == "confirmed"
    assert page.get_by_role("button", name="Avboka platsen på Digitala nattronder").count() == 1
    axe_check(page)

    # Cancel another member's place, after confirming.
    page.goto(url)
    second = Registration.objects.get(email__startswith="kollega.langnamnsson-efternamnsdotter2@")
    page.get_by_role("link", name=f"Avbryt platsen för {second.name}").click()
    page.wait_for_load_state()
    assert fits_the_phone(page)
    axe_check(page)
    page.get_by_role("button", name="Ja, avbryt platsen").click()
    page.wait_for_load_state()
    second.refresh_from_db()
    assert second.status == "cancelled"
    assert fits_the_phone(page)
    axe_check(page)

    # Resend a claim link, then download the badges.
    page.get_by_role("button", name=f"Skicka en ny länk till {first.name}").click()
    page.wait_for_load_state()
    assert "En ny länk har mejlats" in page.locator(".messages").inner_text()
    href = page.get_by_role("link", name="Ladda ner medlemmarnas namnbrickor (pdf, A4)").get_attribute("href")
    response = page.request.get(live_server.url + href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_new_delegation_page_fits_the_phone_and_starts_from_my_organisation(page, live_server, conference,
                                                                           make_user, reference_data):
    user = make_user()
    Registration.objects.create(conference=conference, user=user, email=user.email, name="Sam Samordnare",
                                organisation_type="municipality", municipality_id="1980")
    log_in(page, live_server, user)
    page.goto(live_server.url + "/mvt2016/delegations/new/")
    assert page.locator("input[name=organisation_type][value=municipality]").is_checked()
    assert page.locator("select[name=municipality]").input_value() == "1980"
    assert not page.locator("input[name=organisation_name]").is_visible()
    assert fits_the_phone(page)
    axe_check(page)
