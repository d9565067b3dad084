"""The public programme in a real browser on a phone-sized screen, with accessibility scans."""

import re

import pytest
from django.urls import reverse

from sessions.demo import build_demo_programme

from .conftest import axe_check


@pytest.fixture
def demo(transactional_db):
    return build_demo_programme(seminars=60)


def test_programme_to_seminar_on_a_phone(page, live_server, demo):
    day = demo.first_day
    page.goto(live_server.url + reverse("programme:programme", kwargs={"conference": demo.slug}))

    # The programme's front door lands on the first day (2016 is long past), as a list of slots.
    assert page.url.endswith(reverse("programme:day", kwargs={"conference": demo.slug, "day": day}))
    assert page.locator("h1").first.is_visible()
    assert page.locator("section.slot").count() > 1
    # Nothing is wider than the phone: no sideways scrolling on the list view.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    axe_check(page)

    link = page.locator("article.seminar-card:not(.is-cancelled):not([class*=kind-]) h3 a").first
    title = link.inner_text().strip()
    link.click()
    page.wait_for_url(re.compile(r"/seminars/[^/]+/$"))

    assert page.locator("h1").inner_text().strip() == title
    facts = page.locator("dl.facts")
    assert facts.is_visible()
    assert "Kistamässan" in facts.inner_text()
    assert page.locator(".speaker-list li").count() == 2
    axe_check(page)

    # A speaker link leads to that speaker's page, which lists this seminar.
    speaker = page.locator(".speaker-list a").first
    speaker_name = speaker.inner_text().strip()
    speaker.click()
    assert page.locator("h1").inner_text().strip().startswith(speaker_name)
    assert page.get_by_role("link", name=title).count() >= 1


@pytest.mark.parametrize("view", ["day_grid", "speakers", "conference"])
def test_programme_pages_pass_axe(page, live_server, demo, view):
    kwargs = {"conference": demo.slug}
    if view == "day_grid":
        kwargs["day"] = demo.first_day
    response = page.goto(live_server.url + reverse(f"programme:{view}", kwargs=kwargs))
    assert response.ok
    assert page.locator("h1").first.is_visible()
    axe_check(page)


def test_the_speaker_list_filters_as_you_type_and_jumps_by_letter(page, live_server, demo):
    """Issue 11, item 8: 120 speakers on a phone need a filter box and A–Ö jumps."""
    from sessions.models import Speaker

    speaker = Speaker.objects.filter(conference=demo, seminars__status="published").order_by("name").last()
    page.goto(live_server.url + reverse("programme:speakers", kwargs={"conference": demo.slug}))
    axe_check(page)
    jumps = page.locator(".letter-jumps a")
    assert jumps.count() >= 5
    page.get_by_label("Hitta en talare, organisation eller ett seminarium").fill(speaker.name)
    visible = page.locator("[data-filter-item]:visible")
    assert visible.count() >= 1
    assert all(speaker.name in visible.nth(i).inner_text() for i in range(visible.count()))
    axe_check(page)
