"""Publishing a programme release from the desk on a phone, then reading the public changes: focus moves to
the message, nothing scrolls sideways, and axe finds nothing."""

from django.urls import reverse

from sessions.models import Seminar
from sessions.releases import publish_release
from sessions.services import move_seminar
from tests.conftest import local

from .conftest import PHONE, axe_check
from .test_door_scan import log_in


def test_an_organiser_publishes_a_release_and_the_public_sees_its_changes(page, live_server, organiser,
                                                                         conference, make_seminar):
    moved = make_seminar(title="Trygghetslarm i hemtjänsten", start=local(3, 9), end=local(3, 10))
    make_seminar(title="Nattkamera", start=local(3, 13), end=local(3, 14))
    publish_release(conference=conference)
    move_seminar(seminar=Seminar.objects.get(pk=moved.pk), start=local(3, 15), end=local(3, 16))
    log_in(page, live_server, organiser)
    page.goto(live_server.url + reverse("registration:desk_releases", args=[conference.slug]))
    assert "Trygghetslarm i hemtjänsten" in page.locator("#pending-heading + p + ul").inner_text()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    axe_check(page)
    page.get_by_label("Anteckning som visas med versionen (frivillig)").fill("Ny tid efter lunch")
    page.get_by_role("button", name="Publicera version 2").click()
    page.wait_for_load_state()
    assert "Version 2 är publicerad." in page.locator(".messages").inner_text()
    assert page.evaluate("document.activeElement.classList.contains('messages')")
    axe_check(page)

    page.goto(live_server.url + reverse("programme:changes", args=[conference.slug]))
    assert "Version 2: ändringar sedan version 1" in page.locator("h2").first.inner_text()
    assert "Ny tid efter lunch" in page.content()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    axe_check(page)
    page.get_by_label("Visa vad som ändrats").select_option("0")
    page.get_by_role("button", name="Visa").click()
    page.wait_for_url("**?since=0")
    assert "Nattkamera" in page.locator(".changes").inner_text()
    axe_check(page)
