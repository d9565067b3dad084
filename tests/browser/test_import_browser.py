"""The programme import in the admin, in a real browser: upload the clean sample, preview, confirm."""

from django.urls import reverse

from sessions.demo import build_demo_programme
from sessions.demo_samples import CLEAN_FILE, SAMPLES_DIR
from sessions.models import Seminar

from .conftest import axe_check
from .test_door_scan import log_in


def test_organiser_imports_the_clean_sample_through_the_preview(page, live_server, organiser):
    conference = build_demo_programme(seminars=0)
    rows = 59 + 8  # the demo's 59 seminars that are not cancelled, and its 8 plenaries, breaks and exhibitions
    log_in(page, live_server, organiser)
    page.goto(live_server.url + reverse("admin:programme_conference_import", args=[conference.pk]))
    page.locator("input[type=file]").set_input_files(str(SAMPLES_DIR / CLEAN_FILE))
    page.locator("button[name=upload]").click()

    page.locator("button[name=confirm]").wait_for()
    assert page.locator("tr.import-create").count() == rows
    assert page.locator("tr.import-error").count() == 0
    assert not Seminar.objects.exists()  # nothing is saved before the confirm
    # Our part of the page passes every rule. Django admin's own breadcrumbs (white links on light blue,
    # not underlined: admin/css/base.css) fail link-in-text-block on every admin page; the rest of the
    # page is checked without that rule.
    axe_check(page, include="#content-main")
    axe_check(page, disable=("link-in-text-block",))

    page.locator("button[name=confirm]").click()
    page.wait_for_url("**/seminar/?conference__id__exact=*")
    assert conference.seminars.count() == rows
    assert conference.seminars.filter(title="Journalföring i mobilen", room__name="Sal Kista").exists()
