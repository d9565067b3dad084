"""A seminar's list for the room host in a real browser: on a phone it passes axe without sideways page
scrolling; printed (A4 print media), the site's header is gone and the table's header repeats on each page."""

from django.urls import reverse

from registration.demo import build_demo_people
from registration.models import Booking, BookingStatus
from sessions.demo import build_demo_programme

from .conftest import PHONE, axe_check
from .test_door_scan import log_in


def test_seminar_list_on_a_phone_and_in_print(page, live_server, reference_data, organiser):
    conference = build_demo_programme(seminars=20)
    build_demo_people(conference, attendees=80)
    seminar = (Booking.objects.filter(seminar__conference=conference, status=BookingStatus.CONFIRMED)
               .values_list("seminar__code", flat=True).first())
    log_in(page, live_server, organiser)
    page.goto(live_server.url + reverse("registration:desk", args=[conference.slug]))
    page.locator(f'tr[data-seminar="{seminar}"] a').first.click()
    page.wait_for_url(f"**/seminars/{seminar}/list/")
    booked = Booking.objects.filter(seminar__code=seminar, status=BookingStatus.CONFIRMED).count()
    assert page.locator("#booked-table tbody tr[data-person]").count() == booked > 0
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    axe_check(page)

    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator(".list-downloads").is_hidden()
    assert page.evaluate(
        "() => getComputedStyle(document.querySelector('#booked-table thead')).display") == "table-header-group"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")

    page.emulate_media(media="screen")
    page.goto(live_server.url + reverse("registration:desk_exports", args=[conference.slug]))
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    axe_check(page)
