"""The schedule board in a real browser: drag and drop, the keyboard way, confirmations, and axe."""

import pytest
from django.urls import reverse

from registration.models import Booking, Registration
from sessions.models import Seminar

from ..conftest import local
from .conftest import PHONE, axe_check
from .test_door_scan import log_in

WIDE = {"width": 1280, "height": 1600}  # the whole day in view: a drag cannot scroll the page


@pytest.fixture
def programme(conference, room, make_room, make_seminar, make_speaker):
    akalla = make_room(name="Sal Akalla", capacity=80)
    speaker = make_speaker(name="Anna Andersson")
    first = make_seminar(title="Trygghetslarm i hemmet", speakers=[speaker])
    second = make_seminar(title="Digital tillsyn", room=akalla, start=local(3, 13), end=local(3, 14))
    make_seminar(title="Robotar i vården", room=akalla, start=local(4, 10), end=local(4, 11), speakers=[speaker])
    return {"kista": room, "akalla": akalla, "first": first, "second": second}


def open_board(page, live_server, organiser, conference, viewport=WIDE):
    page.set_viewport_size(viewport)
    log_in(page, live_server, organiser)
    page.goto(live_server.url + reverse("programme:board", args=[conference.slug, conference.first_day]))


def slot(page, room, time):
    return page.locator(f"td[data-room='{room.pk}'][data-start='{time}']")


def test_dragging_to_a_free_slot_saves_it_and_the_public_grid_shows_it(page, live_server, organiser, conference,
                                                                       programme):
    open_board(page, live_server, organiser, conference)
    page.locator("#seminar-" + programme["first"].code).drag_to(slot(page, programme["akalla"], "15:00"))
    message = page.locator("div.messages")
    message.wait_for()
    assert "flyttades till Sal Akalla" in message.inner_text()
    assert page.evaluate("() => document.activeElement.classList.contains('messages')")
    seminar = Seminar.objects.get(pk=programme["first"].pk)
    assert (seminar.room_id, seminar.start) == (programme["akalla"].pk, local(3, 15))
    # On the board it now sits in its new cell, and the public grid shows it there.
    assert slot(page, programme["akalla"], "15:00").locator(".board-item").count() == 1
    page.goto(live_server.url + reverse("programme:day_grid", args=[conference.slug, conference.first_day]))
    cell = page.locator(f"td[data-seminar='{seminar.code}']")
    assert cell.count() == 1
    row = cell.locator("xpath=..")
    assert row.locator("th time").inner_text() == "15:00"
    column = page.evaluate("(code) => document.querySelector(`td[data-seminar='${code}']`).cellIndex", seminar.code)
    assert page.locator("thead th").nth(column).inner_text().startswith("Sal Akalla")


def test_a_drop_onto_an_occupied_room_is_refused_with_the_message(page, live_server, organiser, conference,
                                                                  programme):
    open_board(page, live_server, organiser, conference)
    item = page.locator("#seminar-" + programme["first"].code)
    item.drag_to(page.locator("#seminar-" + programme["second"].code))
    status = page.locator("#board-status.is-error")
    status.wait_for()
    assert "Digital tillsyn" in status.inner_text()
    assert page.evaluate("() => document.activeElement.id") == "board-status"
    # It snapped back: still in its own cell, and nothing was saved.
    assert slot(page, programme["kista"], "10:00").locator("#seminar-" + programme["first"].code).count() == 1
    assert Seminar.objects.get(pk=programme["first"].pk).revision == 0


def test_the_keyboard_way_picks_up_moves_and_drops(page, live_server, organiser, conference, programme):
    open_board(page, live_server, organiser, conference, viewport=PHONE)
    grab = page.locator("#seminar-" + programme["first"].code + " [data-grab]")
    grab.focus()
    page.keyboard.press("Enter")
    status = page.locator("#board-status")
    assert "Lyft ”Trygghetslarm i hemmet”" in status.inner_text()
    assert "Robotar i vården" in status.inner_text()  # the speaker's other seminar is named
    assert page.locator("#seminar-" + programme["first"].code).get_attribute("class").count("is-picked") == 1
    page.keyboard.press("ArrowLeft")  # the rooms in their order: Sal Akalla, Sal Kista
    assert status.inner_text() == "Sal Akalla (80 platser), 10:00"
    page.keyboard.press("ArrowLeft")
    assert status.inner_text() == "De oplanerade"
    page.keyboard.press("Escape")
    assert "avbröts" in status.inner_text()
    page.keyboard.press("Enter")  # focus stayed on "Pick up"
    page.keyboard.press("ArrowLeft")
    for _ in range(2):  # rows of 30 minutes: 10:00 → 11:00
        page.keyboard.press("ArrowDown")
    assert status.inner_text() == "Sal Akalla (80 platser), 11:00"
    page.keyboard.press("Enter")
    page.locator("div.messages").wait_for()
    seminar = Seminar.objects.get(pk=programme["first"].pk)
    assert (seminar.room_id, seminar.start) == (programme["akalla"].pk, local(3, 11))
    axe_check(page)


def test_a_drop_on_a_booked_seminar_asks_to_confirm_and_can_be_undone(page, live_server, organiser, conference,
                                                                      programme):
    for i in range(3):
        registration = Registration.objects.create(
            conference=conference, email=f"b{i}@example.org", name=f"Bokare {i}", organisation_type="company",
            organisation_name="Exempel AB")
        Booking.objects.create(registration=registration, seminar=programme["first"], status="confirmed",
                               queued_at=local(20, 10, month=1))
    open_board(page, live_server, organiser, conference)
    page.locator("#seminar-" + programme["first"].code).drag_to(slot(page, programme["kista"], "15:00"))
    dialog = page.locator("#board-confirm")
    dialog.wait_for()
    assert "3 personer har bokat" in dialog.inner_text()
    assert page.evaluate("() => document.activeElement.id") == "board-confirm"
    axe_check(page)
    dialog.get_by_role("button", name="Flytta ändå").click()
    page.locator("div.messages").wait_for()
    assert Seminar.objects.get(pk=programme["first"].pk).start == local(3, 15)
    # Undo goes through the same path: it asks again, then puts the seminar back.
    page.get_by_role("button", name="Ångra senaste flytten (”Trygghetslarm i hemmet”)").click()
    page.get_by_role("button", name="Flytta ändå").click()  # the no-JavaScript confirm page
    page.locator("div.messages").wait_for()
    assert "Ångrat" in page.locator("div.messages").inner_text()
    assert Seminar.objects.get(pk=programme["first"].pk).start == local(3, 10)


def test_dragging_into_the_pool_makes_a_draft(page, live_server, organiser, conference, programme):
    open_board(page, live_server, organiser, conference)
    page.locator("#seminar-" + programme["second"].code).drag_to(page.locator("[data-pool]"))
    page.locator("div.messages").wait_for()
    assert page.locator("[data-pool] #seminar-" + programme["second"].code).count() == 1
    assert Seminar.objects.get(pk=programme["second"].pk).status == "draft"


def test_board_and_desk_pages_pass_axe_on_a_phone(page, live_server, organiser, conference, programme):
    log_in(page, live_server, organiser)
    page.goto(live_server.url + reverse("registration:desk", args=[conference.slug]))
    page.get_by_role("link", name="Schemaplanering").click()
    page.wait_for_url(f"**/staff/board/{conference.slug}/{conference.first_day}/")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    axe_check(page)
    page.locator("#seminar-" + programme["first"].code + " summary").click()
    axe_check(page)
    page.goto(live_server.url + reverse("programme:board", args=[conference.slug, conference.last_day]))
    axe_check(page)
