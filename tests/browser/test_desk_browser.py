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


def test_a_lost_badge_on_a_phone(page, live_server, organiser, conference, make_user):
    """Find the person, issue a new badge: the message takes the focus, the page fits the phone, axe is clean."""
    from registration.models import Registration
    from registration.services.badges import current_badge

    user = make_user(email="asa.lindqvist@example.org")
    person = Registration.objects.create(conference=conference, user=user, email=user.email, name="Åsa Lindqvist",
                                         organisation_type="company", organisation_name="Exempel AB")
    old = current_badge(person).code
    log_in(page, live_server, organiser)
    page.goto(live_server.url + reverse("registration:badge_batch", args=["mvt2016"]))
    page.get_by_label("Namn eller e-postadress").fill("lindq")
    page.get_by_role("button", name="Sök").click()
    page.wait_for_url("**?q=lindq*")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    axe_check(page)
    page.get_by_role("button", name="Utfärda en ny namnbricka för Åsa Lindqvist").click()
    page.wait_for_load_state()
    message = page.locator(".messages")
    assert "En ny namnbricka har utfärdats för Åsa Lindqvist" in message.inner_text()
    assert page.evaluate("() => document.activeElement.classList.contains('messages')")
    assert page.get_by_role("link", name="Skriv ut namnbrickan för Åsa Lindqvist (PDF)").is_visible()
    assert current_badge(person).code != old
    axe_check(page)
