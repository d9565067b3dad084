"""The organisers' desk in a real phone-sized browser: no page-wide sideways scrolling, and axe finds nothing."""

from django.urls import reverse

from registration.demo import build_demo_people
from sessions.demo import build_demo_programme

from .conftest import PHONE, axe_check
from .test_door_scan import log_in


def test_desk_on_a_phone_passes_axe(page, live_server, reference_data, organiser):
    conference = build_demo_programme(seminars=20)
    build_demo_people(conference, attendees=80)
    log_in(page, live_server, organiser)
    page.goto(live_server.url + reverse("registration:desk", args=[conference.slug]))
    assert page.locator("h1").inner_text().startswith("Siffror")
    assert page.locator("svg[role=img]").count() == 4
    # Wide tables scroll inside their wrapper; the page itself does not scroll sideways.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    axe_check(page)
    page.get_by_role("link", name="kölängd").click()
    page.wait_for_url("**?sort=line*")
    assert page.locator(".desk-sort strong").inner_text() == "kölängd"
    axe_check(page)
