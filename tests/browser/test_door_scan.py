"""Door staff scan badges in a real browser, the way a handheld scanner does it: type the code, press Enter."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from registration.models import Registration, Verdict
from registration.services.badges import current_badge, issue_badge
from sessions.models import LOCAL_TZ

from .conftest import axe_check


@pytest.fixture
def make_registration(today_conference, make_user):
    def make(name, **fields):
        user = make_user()
        return Registration.objects.create(conference=today_conference, user=user, email=user.email, name=name,
                                           organisation_type="company", organisation_name="Exempel AB", **fields)

    return make


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def scan(page, code, verdict):
    field = page.locator("input[name=code]")
    field.fill(code)
    field.press("Enter")
    box = page.locator(f"#verdict[data-verdict='{verdict}']")
    box.wait_for()
    assert page.locator("input[name=code]").input_value() == ""  # ready for the next badge
    return box.inner_text()


def label(verdict):
    with translation.override("sv"):
        return str(Verdict(verdict).label)


def test_door_staff_scan_with_a_handheld_scanner(page, live_server, today_conference, door_staff,
                                                 make_registration, make_seminar):
    welcome = make_registration(name="Åsa Öberg", category="speaker")
    lost = make_registration(name="Bo Ek")
    old_code = current_badge(lost).code
    issue_badge(lost)
    start = timezone.now().replace(microsecond=0)
    seminar = make_seminar(start=start, end=start + timedelta(hours=1), capacity=10)

    log_in(page, live_server, door_staff)
    key = f"entrance-{today_conference.first_day.isoformat()}"
    page.goto(live_server.url + reverse("registration:door_scan", args=[today_conference.slug, key]))
    assert page.evaluate("() => document.activeElement.name") == "code"

    text = scan(page, f"MVT:{current_badge(welcome).code}", "admitted")
    assert "Åsa Öberg" in text and label("admitted") in text
    assert "✓" in text  # an icon and words, not colour alone
    assert page.locator(".door-counts .count-in").inner_text() == "1"
    axe_check(page)

    text = scan(page, current_badge(welcome).code.lower(), "already_scanned")
    assert "Åsa Öberg" in text
    local_time = timezone.localtime(welcome.scans.filter(verdict="admitted").get().at, LOCAL_TZ)
    assert local_time.strftime("%H:%M") in text

    text = scan(page, old_code, "revoked")
    assert label("revoked") in text and "✗" in text
    text = scan(page, "NOT-A-BADGE", "unknown")
    assert label("unknown") in text
    axe_check(page)

    # A seminar door: no seat booked, seats free, so the walk-in button books one and lets them in.
    page.goto(live_server.url + reverse("registration:door_scan",
                                        args=[today_conference.slug, f"seminar-{seminar.code}"]))
    text = scan(page, current_badge(welcome).code, "no_booking")
    assert label("no_booking") in text
    page.locator("#walk-in button").click()
    page.locator("#verdict[data-verdict='admitted']").wait_for()
    assert "Åsa Öberg" in page.locator("#verdict").inner_text()
    assert welcome.bookings.filter(seminar=seminar, status="confirmed").exists()
    assert page.locator(".door-counts .count-booked").inner_text() == "1"


def test_the_scan_page_keeps_the_verdict_on_a_phone_screen(page, live_server, today_conference, door_staff,
                                                           make_registration):
    """Issue 11 item 11: the scan page has no public navigation (Programme, Speakers, …), so after a scan
    the whole verdict is on a 390×844 screen without scrolling."""
    person = make_registration(name="Maria Lindqvist-Johansson")
    log_in(page, live_server, door_staff)
    key = f"entrance-{today_conference.first_day.isoformat()}"
    page.goto(live_server.url + reverse("registration:door_scan", args=[today_conference.slug, key]))
    assert page.locator("nav.main-nav").count() == 0
    programme = reverse("programme:programme", args=[today_conference.slug])
    assert page.locator(f"a[href='{programme}']").count() == 0

    scan(page, current_badge(person).code, "admitted")
    box = page.locator("#verdict").bounding_box()
    height = page.viewport_size["height"]
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, (box, height)
    axe_check(page)

    # The public pages keep their navigation.
    page.goto(live_server.url + programme)
    assert page.locator("nav.main-nav").count() == 1
