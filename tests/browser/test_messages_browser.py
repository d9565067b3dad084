"""Writing to a seminar's attendees on a phone: from the desk's seminar row to preview, send and the log;
focus moves to what happened, the page never scrolls sideways, and axe finds nothing."""

import re

from django.urls import reverse

from registration.models import Booking, Message, OutgoingEmail, Registration
from tests.conftest import local

from .conftest import PHONE, axe_check
from .test_door_scan import log_in


def test_write_preview_and_send_to_a_seminars_attendees(page, live_server, organiser, make_seminar):
    seminar = make_seminar(title="Trygghetslarm i hemmet", start=local(3, 10), end=local(3, 11))
    for n in range(3):
        person = Registration.objects.create(conference=seminar.conference, email=f"person{n}@example.org",
                                             name=f"Person {n}", organisation_type="company",
                                             organisation_name="Exempel AB")
        Booking.objects.create(registration=person, seminar=seminar, status="confirmed", queued_at=local(1, 9))
    log_in(page, live_server, organiser)
    page.goto(live_server.url + reverse("registration:desk", args=[seminar.conference.slug]))
    page.get_by_role("link", name=re.compile(r"^Skriv till deltagarna\s*: Trygghetslarm i hemmet$")).click()
    page.wait_for_url("**/messages/new/**")
    assert page.get_by_label("Seminarium:", exact=True).input_value() == seminar.code
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    axe_check(page)
    page.get_by_role("button", name="Förhandsvisa").click()  # empty subject and text
    # Wait for the answer's page to move the focus (asserting at once raced the navigation).
    page.wait_for_function("() => document.activeElement && document.activeElement.getAttribute('role') === 'alert'")
    page.get_by_label("Ämne:", exact=True).fill("Ny sal")
    page.get_by_label("Text:", exact=True).fill("Vi ses i sal B.\nVälkomna!")
    page.get_by_role("button", name="Förhandsvisa").click()
    page.wait_for_selector("[data-number=recipients]")
    assert page.locator("[data-number=recipients]").inner_text() == "3"
    assert page.evaluate("() => document.activeElement.tagName") == "H1"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    axe_check(page)
    assert not OutgoingEmail.objects.exists()
    page.get_by_role("button", name="Skicka till 3 personer").click()
    page.wait_for_selector("#recipient-table")
    assert page.evaluate("() => document.activeElement.className") == "messages"
    assert "på väg till 3 personer" in page.locator(".messages").inner_text()
    assert page.locator("#recipient-table tbody tr").count() == 3
    axe_check(page)
    page.go_back()  # back to the preview, and send again: still one message
    page.get_by_role("button", name="Skicka till 3 personer").click()
    page.wait_for_selector("#recipient-table")
    assert "skickades inte igen" in page.locator(".messages").inner_text()
    assert Message.objects.count() == 1 and OutgoingEmail.objects.count() == 3
    page.get_by_role("link", name="Skickade meddelanden").click()
    assert page.locator("#message-table tbody tr").count() == 1
    axe_check(page)
