"""Issue 11, items 4 and 5 in a phone browser: the form shows only the chosen type's organisation field; an
attendee changes their registration and cancels it after confirming. Every page passes axe-core."""

from registration.models import Booking, Registration
from registration.services.booking import book_seat

from .conftest import axe_check
from .test_attendee_browser import log_in


def fits_the_phone(page) -> bool:
    """Nothing on the page is wider than the 390 px phone, also inside boxes that scroll sideways."""
    return page.evaluate("""() => document.documentElement.scrollWidth <= 390 && Array.from(
        document.querySelectorAll("main *")).every(e => e.getBoundingClientRect().right <= 390)""")


def test_only_the_chosen_organisation_field_shows_and_a_hidden_choice_is_not_sent(page, live_server, conference,
                                                                                 make_user, reference_data):
    log_in(page, live_server, make_user())
    page.goto(live_server.url + "/mvt2016/register/")
    municipality = page.locator("select[name=municipality]")
    name_field = page.locator("input[name=organisation_name]")
    assert not municipality.is_visible() and not name_field.is_visible()  # nothing chosen yet
    page.check("input[name=organisation_type][value=municipality]")
    assert municipality.is_visible() and not name_field.is_visible()
    page.select_option("select[name=municipality]", "1980")
    axe_check(page)
    # Change of mind: a company. The municipality chosen before is hidden and not sent, so no clash.
    page.check("input[name=organisation_type][value=company]")
    assert not municipality.is_visible() and name_field.is_visible()
    assert not page.locator("select[name=region]").is_visible()
    page.fill("input[name=name]", "Karin Lind")
    name_field.fill("Exempel AB")
    page.select_option("select[name=category]", "staff")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    registration = Registration.objects.get()
    assert (registration.organisation_type, registration.municipality_id, registration.organisation_name) == (
        "company", None, "Exempel AB")
    assert fits_the_phone(page)


def test_attendee_changes_then_cancels_their_registration(page, live_server, conference, make_user, make_seminar,
                                                         reference_data):
    seminar = make_seminar(title="Sensorer som förebygger fall", capacity=1)
    user = make_user()
    me = Registration.objects.create(conference=conference, user=user, email=user.email, name="Karin Lind",
                                     organisation_type="company", organisation_name="Exempel AB")
    book_seat(registration=me, seminar=seminar, notify=False)
    other = make_user()
    waiting = Registration.objects.create(conference=conference, user=other, email=other.email, name="Olle Ek",
                                          organisation_type="company", organisation_name="Exempel AB")
    book_seat(registration=waiting, seminar=seminar, notify=False)
    log_in(page, live_server, user)

    page.goto(live_server.url + "/mvt2016/me/")
    page.get_by_role("link", name="Ändra min anmälan").click()
    page.wait_for_load_state()
    assert fits_the_phone(page)
    axe_check(page)
    assert page.locator("input[name=organisation_name]").input_value() == "Exempel AB"
    page.fill("input[name=name]", "Karin Lind-Berg")
    page.fill("textarea[name=accessibility_needs]", "Hörslinga")
    page.get_by_role("button", name="Spara mina ändringar").click()
    page.wait_for_load_state()
    assert "Din anmälan är uppdaterad" in page.locator(".messages").inner_text()
    assert page.evaluate("document.activeElement.classList.contains('messages')")
    me.refresh_from_db()
    assert (me.name, me.accessibility_needs) == ("Karin Lind-Berg", "Hörslinga")

    page.get_by_role("link", name="Avbryt min anmälan").click()
    page.wait_for_load_state()
    assert fits_the_phone(page)
    axe_check(page)
    assert page.evaluate("document.activeElement.id") == "confirm-heading"
    page.get_by_role("link", name="Nej, behåll min anmälan").click()
    page.wait_for_load_state()
    me.refresh_from_db()
    assert me.status == "active"

    page.get_by_role("link", name="Avbryt min anmälan").click()
    page.get_by_role("button", name="Ja, avbryt min anmälan").click()
    page.wait_for_load_state()
    assert "är avbruten" in page.locator(".messages").inner_text()
    assert page.evaluate("document.activeElement.classList.contains('messages')")
    axe_check(page)
    me.refresh_from_db()
    assert me.status == "cancelled"
    assert Booking.objects.get(registration=waiting).status == "confirmed"
