"""A digital participant on a phone: books a watch place in a full, streamed seminar, finds the link on the
seminar page and in My programme; rates a seminar afterwards; the organisers' and a speaker's feedback
pages. Every new page passes axe-core."""

from datetime import timedelta

from django.utils import timezone

from registration.models import Booking, Feedback, Registration, TicketCategory
from registration.services.feedback import feedback_token

from .conftest import axe_check
from .test_attendee_browser import log_in

LINK = "https://meet.example.org/mvt-sensorer-4411"


def test_digital_participant_books_a_watch_place_and_sees_the_link(page, live_server, conference, make_user,
                                                                   make_seminar):
    seminar = make_seminar(title="Sensorer som förebygger fall", capacity=1, stream_url=LINK)
    seat_holder = make_user()
    holder = Registration.objects.create(conference=conference, user=seat_holder, email=seat_holder.email,
                                         name="Per Sal", organisation_type="company", organisation_name="AB")
    Booking.objects.create(registration=holder, seminar=seminar, status="confirmed", queued_at=timezone.now())
    user = make_user()
    registration = Registration.objects.create(
        conference=conference, user=user, email=user.email, name="Karin Lind", organisation_type="company",
        organisation_name="Exempel AB", category=TicketCategory.DIGITAL,
    )
    # Not logged in: the seminar page has no link.
    page.goto(live_server.url + seminar.get_absolute_url())
    assert page.locator("[data-stream-link]").count() == 0

    log_in(page, live_server, user)
    page.goto(live_server.url + seminar.get_absolute_url())
    assert page.locator("[data-stream-link]").get_attribute("href") == LINK
    axe_check(page)
    page.get_by_role("button", name="Boka tittplats").click()
    page.wait_for_load_state()
    assert "tittplats" in page.locator(".messages").inner_text()
    assert page.evaluate("document.activeElement.classList.contains('messages')")
    assert page.get_by_role("button", name="Avboka min tittplats").is_visible()
    axe_check(page)
    # The room's one seat is still the seat holder's; the watch place took none.
    assert Booking.objects.get(registration=registration).status == "watching"
    assert Booking.objects.filter(seminar=seminar, status="confirmed").count() == 1

    page.goto(live_server.url + "/mvt2016/me/")
    card = page.locator(".seminar-card", has_text="Sensorer som förebygger fall")
    assert "Tittplats" in card.inner_text()
    assert card.locator("[data-stream-link]").get_attribute("href") == LINK
    # Long links wrap instead of widening the page on a 390 px phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check(page)


def test_feedback_pages_are_accessible(page, live_server, conference, make_user, make_seminar, make_speaker,
                                       organiser):

    speaker_user = make_user()
    speaker = make_speaker(user=speaker_user, name="Eva Talare")
    now = timezone.now()
    seminar = make_seminar(title="Trygghetslarm", speakers=[speaker], start=now - timedelta(hours=2),
                           end=now - timedelta(hours=1))
    user = make_user()
    registration = Registration.objects.create(conference=conference, user=user, email=user.email,
                                               name="Karin Lind", organisation_type="company",
                                               organisation_name="Exempel AB")
    Booking.objects.create(registration=registration, seminar=seminar, status="confirmed",
                           queued_at=now - timedelta(days=3))

    # The emailed link, without logging in.
    page.goto(f"{live_server.url}/feedback/{feedback_token(registration, seminar)}/")
    axe_check(page)
    page.get_by_label("4 – bra").check()
    page.get_by_label("Kommentar (frivillig)").fill("Mycket givande")
    page.get_by_role("button", name="Skicka mitt betyg").click()
    page.wait_for_load_state()
    assert "Tack för att du betygsatte" in page.locator(".messages").inner_text()
    assert page.locator("input[name=rating]").count() == 0  # the link worked once
    axe_check(page)
    assert Feedback.objects.get(registration=registration).rating == 4

    log_in(page, live_server, organiser)
    page.goto(f"{live_server.url}/staff/desk/{conference.slug}/feedback/")
    assert "Mycket givande" in page.locator("main").inner_text()
    assert "Karin" not in page.locator("main").inner_text()
    axe_check(page)

    page.context.clear_cookies()
    log_in(page, live_server, speaker_user)
    page.goto(f"{live_server.url}/{conference.slug}/me/speaker-feedback/")
    assert "För få svar" in page.locator("main").inner_text()
    axe_check(page)
