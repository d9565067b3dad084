"""Issue 11, item 1 in a phone browser: "Anmäl dig" on a seminar → account → verified → registered → back
on the seminar page, where the seat can be booked."""

import re

from tests.helpers import deliver_emails

PASSWORD = "Trygg-larm-2016!"


def test_anmal_dig_on_a_seminar_leads_back_to_it_registered(page, live_server, conference, make_seminar,
                                                           reference_data):
    seminar = make_seminar(title="Sensorer som förebygger fall", capacity=2)
    page.goto(live_server.url + seminar.get_absolute_url())
    page.get_by_role("link", name="Anmäl dig").click()
    page.wait_for_load_state()
    assert "/accounts/signup/" in page.url
    page.fill("input[name=email]", "karin@vasteras.se")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()

    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+)", deliver_emails()[-1].body).group(1)
    page.goto(live_server.url + link)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert "/mvt2016/register/" in page.url
    assert page.get_by_role("link", name="Slutför din anmälan").count() == 1

    page.fill("input[name=name]", "Karin Lind")
    page.check("input[name=organisation_type][value=municipality]")
    page.select_option("select[name=municipality]", "1980")
    page.fill("input[name=job_title]", "Enhetschef")
    page.select_option("select[name=category]", "staff")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.url == live_server.url + seminar.get_absolute_url()
    assert page.get_by_role("button", name="Boka plats").count() == 1
    assert page.get_by_role("link", name="Mitt program").count() == 1
