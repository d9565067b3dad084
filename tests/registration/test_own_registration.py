"""Issue 11, item 5: attendees change their registration and cancel the whole of it (asked first; seats go to
the lines, badge revoked, calendar feed stopped, an email); a cancelled person can register again."""

import re

import pytest

from registration.models import Badge, Booking, OutgoingEmail, Registration, Verdict
from registration.selectors.checkpoints import entrance_checkpoint
from registration.services.badges import current_badge
from registration.services.booking import book_seat
from registration.services.calendar import issue_calendar_token
from registration.services.door import check_in
from registration.services.registrations import cancel_registration
from tests.conftest import local
from tests.helpers import deliver_emails


@pytest.fixture
def me(client, make_registration):
    client.cookies["django_language"] = "en"
    registration = make_registration(name="Karin Lind", language="en", job_title="Enhetschef")
    client.force_login(registration.user)
    return registration


def edit_data(**overrides):
    data = {"name": "Karin Lind-Berg", "organisation_type": "municipality", "municipality": "1980", "region": "",
            "organisation_name": "", "job_title": "Verksamhetsutvecklare", "accessibility_needs": "Hörslinga",
            "language": "sv"}
    data.update(overrides)
    return data


def test_edit_form_starts_from_what_i_registered(client, me):
    page = client.get("/mvt2016/me/edit/").content.decode()
    assert 'value="Karin Lind"' in page and 'value="Enhetschef"' in page
    assert re.search(r'<input type="radio" name="organisation_type" value="company"[^>]* checked>', page)
    assert "Ticket category" not in page


def test_attendee_changes_name_title_organisation_needs_and_language(client, me):
    response = client.post("/mvt2016/me/edit/", edit_data())
    assert response.status_code == 302 and response["X-MVT-Code"] == "updated"
    me.refresh_from_db()
    assert (me.name, me.job_title, me.organisation, me.organisation_name, me.accessibility_needs, me.language) == (
        "Karin Lind-Berg", "Verksamhetsutvecklare", "Västerås", "", "Hörslinga", "sv")
    assert me.category == "staff"


def test_edit_cannot_change_the_ticket_category(client, me):
    client.post("/mvt2016/me/edit/", edit_data(category="press"))
    me.refresh_from_db()
    assert me.category == "staff"


def test_contradictory_edit_is_refused_and_nothing_changes(client, me):
    response = client.post("/mvt2016/me/edit/", edit_data(organisation_name="Exempel AB"))
    assert response.status_code == 200
    assert "but also wrote an organisation name" in response.content.decode()
    me.refresh_from_db()
    assert (me.name, me.organisation) == ("Karin Lind", "Exempel AB")


def test_cancel_asks_first_and_a_get_changes_nothing(client, me):
    response = client.get("/mvt2016/me/cancel/")
    assert response.status_code == 200 and response["X-MVT-Code"] == "confirm_needed"
    assert "Yes, cancel my registration" in response.content.decode()
    assert client.post("/mvt2016/me/cancel/").status_code == 200  # no "confirmed": asks again
    me.refresh_from_db()
    assert me.status == "active"


def test_cancelling_frees_seats_for_the_line_revokes_badge_stops_feed_and_emails(
        client, me, make_registration, make_seminar, door_staff):
    full = make_seminar(title="Trygghetslarm", capacity=1)
    other = make_seminar(title="Läkemedelsrobotar", start=local(4, 10), end=local(4, 11), capacity=5)
    book_seat(registration=me, seminar=full, notify=False)
    book_seat(registration=me, seminar=other, notify=False)
    waiting = make_registration()
    book_seat(registration=waiting, seminar=full, notify=False)
    badge = current_badge(me)
    token = issue_calendar_token(registration=me)
    assert client.get(f"/cal/{token}.ics").status_code == 200
    deliver_emails().clear()

    response = client.post("/mvt2016/me/cancel/", {"confirmed": "yes"})
    assert response.status_code == 302 and response["X-MVT-Code"] == "cancelled"
    me.refresh_from_db()
    assert me.status == "cancelled" and me.cancelled_at is not None
    assert set(Booking.objects.filter(registration=me).values_list("status", flat=True)) == {"cancelled"}
    assert Booking.objects.get(registration=waiting, seminar=full).status == "confirmed"
    assert Badge.objects.get(pk=badge.pk).revoked_at is not None
    result = check_in(code=badge.code, checkpoint=entrance_checkpoint(me.conference, me.conference.first_day),
                      staff=door_staff, nonce="cancel-test-0001", now=local(3, 9))
    assert result.verdict == Verdict.REVOKED
    assert client.get(f"/cal/{token}.ics").status_code == 404
    sent = deliver_emails()
    mine = [m for m in sent if m.to == [me.email] and m.subject == "Registration cancelled: MVT2016"]
    assert len(mine) == 1 and "/mvt2016/register/" in mine[0].body
    assert OutgoingEmail.objects.filter(kind="booking.promoted", registration=waiting, status="sent").count() == 1
    # My programme is gone; the page sends me to register again.
    assert client.get("/mvt2016/me/").url == "/mvt2016/register/"


def test_cancelling_twice_sends_one_email(me):
    assert cancel_registration(registration=me) is True
    assert cancel_registration(registration=me) is False
    assert OutgoingEmail.objects.filter(kind="registration.cancelled", registration=me).count() == 1


def test_a_cancelled_attendee_can_register_again(client, me):
    client.post("/mvt2016/me/cancel/", {"confirmed": "yes"})
    response = client.post("/mvt2016/register/", {
        "name": "Karin Lind", "organisation_type": "company", "organisation_name": "Exempel AB", "municipality": "",
        "region": "", "job_title": "", "category": "staff", "accessibility_needs": "", "language": "en",
    })
    assert response.status_code == 302
    assert list(Registration.objects.filter(user=me.user).order_by("pk").values_list("status", flat=True)) == [
        "cancelled", "active"]


def test_cancel_and_edit_are_only_for_my_own_active_registration(client, conference, make_user):
    client.force_login(make_user())
    assert client.get("/mvt2016/me/cancel/").url == "/mvt2016/register/"
    assert client.post("/mvt2016/me/cancel/", {"confirmed": "yes"}).url == "/mvt2016/register/"
    assert client.post("/mvt2016/me/edit/", edit_data()).url == "/mvt2016/register/"


def test_cancellation_email_is_written_in_the_persons_language(make_registration):
    person = make_registration(language="sv", name="Olle Ek")
    cancel_registration(registration=person)
    [message] = [m for m in deliver_emails() if m.to == [person.email]]
    assert message.subject == "Anmälan avbruten: MVT2016"
    assert "Hej Olle Ek!" in message.body and "Din anmälan till MVT2016 är avbruten" in message.body
