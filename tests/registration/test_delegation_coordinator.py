"""Issue 11, item 7: a coordinator adds people to a delegation (up to 20), cancels a place without replacing it,
resends a claim link, books seats for members who have not claimed yet, downloads the members' badges, and starts
a new delegation from their own organisation. Tab-separated paste keeps working."""

import re
from datetime import date

import pypdfium2 as pdfium
import pytest
import zxingcpp

from registration.forms import parse_members
from registration.models import Badge, Booking, Municipality, OutgoingEmail, Registration
from registration.services.booking import book_seat
from registration.services.registrations import Member, register_delegation
from tests.helpers import deliver_emails


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def future(conference):
    """The conference has not started yet (places can be cancelled and replaced)."""
    conference.first_day, conference.last_day = date(2099, 2, 3), date(2099, 2, 4)
    conference.save()
    return conference


@pytest.fixture
def coordinator(client, conference, make_user):
    user = make_user(email="samordnare@vasteras.se")
    client.force_login(user)
    return user


def make_delegation(coordinator, conference, n, domain="vasteras.se"):
    return register_delegation(
        coordinator=coordinator, conference=conference, organisation_name="Västerås",
        members=[Member(f"Kollega {i}", f"kollega{i}@{domain}") for i in range(1, n + 1)],
        organisation_type="municipality", municipality=Municipality.objects.get(code="1980"), category="staff",
        language="en",
    )


def base(delegation):
    return f"/mvt2016/delegations/{delegation.public_id}"


def member_url(delegation, member, action):
    return f"{base(delegation)}/members/{member.public_id}/{action}/"


def claim_path(message):
    return re.search(r"http://127\.0\.0\.1:8000(/claim/[^\s]+/)", message.body).group(1)


# --- Adding people --------------------------------------------------------------------------------------


def test_coordinator_adds_colleagues_who_get_the_delegations_organisation_and_a_claim_email(
        client, conference, coordinator):
    delegation = make_delegation(coordinator, conference, 2)
    deliver_emails().clear()
    response = client.post(f"{base(delegation)}/add/", {"members": "Ny Ett, ny1@vasteras.se\nNy Två, ny2@vasteras.se"})
    assert response.status_code == 302 and response["X-MVT-Code"] == "added"
    added = Registration.objects.filter(email__startswith="ny", delegation=delegation)
    assert sorted((r.name, r.organisation, r.category, r.language) for r in added) == [
        ("Ny Ett", "Västerås", "staff", "en"), ("Ny Två", "Västerås", "staff", "en")]
    assert sorted(m.to[0] for m in deliver_emails()) == ["ny1@vasteras.se", "ny2@vasteras.se"]


def test_adding_beyond_twenty_active_members_is_refused_whole(client, conference, coordinator):
    delegation = make_delegation(coordinator, conference, 18)
    response = client.post(f"{base(delegation)}/add/", {"members": "\n".join(
        f"Ny {i}, ny{i}@vasteras.se" for i in range(3))})
    assert response.status_code == 200
    assert "It has 18, so you can add 2 more" in response.content.decode()
    assert delegation.members.count() == 18
    assert client.post(f"{base(delegation)}/add/", {"members": "Ny 1, ny1@vasteras.se\nNy 2, ny2@vasteras.se"}
                       ).status_code == 302
    assert delegation.members.count() == 20
    page = client.get(base(delegation) + "/").content.decode()
    assert "Add colleagues" not in page


def test_a_cancelled_place_frees_room_for_another_colleague(client, future, coordinator):
    delegation = make_delegation(coordinator, future, 20)
    client.post(member_url(delegation, delegation.members.first(), "cancel"), {"confirmed": "yes"})
    assert client.post(f"{base(delegation)}/add/", {"members": "Ny, ny@vasteras.se"}).status_code == 302
    assert delegation.members.filter(status="active").count() == 20


def test_adding_someone_already_registered_is_refused(client, conference, coordinator, make_registration):
    delegation = make_delegation(coordinator, conference, 1)
    make_registration(email="upptagen@vasteras.se")
    response = client.post(f"{base(delegation)}/add/", {"members": "Upptagen, upptagen@vasteras.se"})
    assert "upptagen@vasteras.se is already registered" in response.content.decode()
    assert delegation.members.count() == 1


@pytest.mark.parametrize("line", ["Anna Andersson\tanna@example.se", "Anna\tAndersson\tanna@example.se",
                                  "Anna Andersson\tanna@example.se\tEnhetschef", "Anna Andersson, anna@example.se",
                                  "Anna Andersson; anna@example.se"])
def test_pasted_spreadsheet_rows_and_typed_lines_give_the_same_member(line):
    assert parse_members(line) == [Member("Anna Andersson", "anna@example.se")]


def test_tab_separated_paste_registers_a_delegation(client, conference, coordinator):
    response = client.post("/mvt2016/delegations/new/", {
        "organisation_type": "municipality", "municipality": "1980", "region": "", "organisation_name": "",
        "category": "staff", "language": "en",
        "members": "Anna\tAndersson\tanna@vasteras.se\r\nBertil Berg\tbertil@vasteras.se\r\n"})
    assert response.status_code == 302
    assert sorted(Registration.objects.values_list("name", flat=True)) == ["Anna Andersson", "Bertil Berg"]


# --- The new-delegation form starts from the coordinator's organisation -----------------------------------


def test_new_delegation_form_starts_from_the_coordinators_own_registration(client, conference, coordinator):
    Registration.objects.create(conference=conference, user=coordinator, email=coordinator.email, name="Sam",
                                organisation_type="municipality", municipality_id="1980", category="staff")
    page = client.get("/mvt2016/delegations/new/").content.decode()
    assert re.search(r'<option value="1980" selected>Västerås</option>', page)
    assert re.search(r'value="municipality"[^>]* checked', page)


# --- Cancelling a place without replacing it --------------------------------------------------------------


def test_cancelling_a_member_asks_first_then_frees_the_seat_for_the_line(client, future, coordinator,
                                                                       make_seminar, make_registration):
    seminar = make_seminar(capacity=1)
    delegation = make_delegation(coordinator, future, 2)
    leaving = delegation.members.get(email="kollega1@vasteras.se")
    book_seat(registration=leaving, seminar=seminar, notify=False)
    waiting = make_registration()
    book_seat(registration=waiting, seminar=seminar, notify=False)
    url = member_url(delegation, leaving, "cancel")
    response = client.get(url)
    assert response["X-MVT-Code"] == "confirm_needed" and "Yes, cancel the place" in response.content.decode()
    leaving.refresh_from_db()
    assert leaving.status == "active"

    response = client.post(url, {"confirmed": "yes"})
    assert response.status_code == 302 and response["X-MVT-Code"] == "cancelled"
    leaving.refresh_from_db()
    assert leaving.status == "cancelled"
    assert Booking.objects.get(registration=waiting).status == "confirmed"
    assert delegation.members.filter(status="active").count() == 1  # nobody took the place
    assert OutgoingEmail.objects.filter(kind="registration.cancelled", registration=leaving).count() == 1


def test_cancelling_a_member_after_the_start_is_refused(client, conference, coordinator):
    delegation = make_delegation(coordinator, conference, 1)
    member = delegation.members.get()
    response = client.post(member_url(delegation, member, "cancel"), {"confirmed": "yes"})
    assert response["X-MVT-Code"] == "too_late"
    member.refresh_from_db()
    assert member.status == "active"


# --- Resending the claim link -----------------------------------------------------------------------------


def test_resending_a_claim_link_mails_a_new_one_and_the_old_stops(client, conference, coordinator):
    delegation = make_delegation(coordinator, conference, 1)
    member = delegation.members.get()
    old_link = claim_path(deliver_emails()[-1])
    response = client.post(member_url(delegation, member, "resend"))
    assert response["X-MVT-Code"] == "resent"
    sent = deliver_emails()
    assert [m.to for m in sent] == [["kollega1@vasteras.se"], ["kollega1@vasteras.se"]]
    new_link = claim_path(sent[-1])
    assert new_link != old_link
    client.logout()
    assert client.get(old_link).status_code == 404
    assert client.get(new_link).status_code == 200


def test_a_claimed_member_gets_no_new_link_and_no_coordinator_bookings(client, conference, coordinator, make_user):
    delegation = make_delegation(coordinator, conference, 1)
    member = delegation.members.get()
    member.user = make_user(email=member.email)
    member.save()
    assert client.post(member_url(delegation, member, "resend"))["X-MVT-Code"] == "already_claimed"
    assert client.get(member_url(delegation, member, "seats"))["X-MVT-Code"] == "already_claimed"


# --- Booking seats for members who have not claimed yet ---------------------------------------------------


def test_coordinator_books_for_an_unclaimed_member_who_can_change_it_after_claiming(
        client, conference, coordinator, make_seminar, make_user):
    seminar = make_seminar(title="Digitala nattronder", capacity=5)
    delegation = make_delegation(coordinator, conference, 1)
    member = delegation.members.get()
    url = member_url(delegation, member, "seats")
    page = client.get(url).content.decode()
    assert "Digitala nattronder" in page and "Book a seat" in page
    response = client.post(url, {"seminar": seminar.code, "action": "book"})
    assert response["X-MVT-Code"] == "confirmed"
    booking = Booking.objects.get(registration=member, seminar=seminar)
    assert booking.status == "confirmed"
    assert "Cancel the seat" in client.get(url).content.decode()

    # The member claims and sees the seat in My programme, and can give it up.
    link = claim_path([m for m in deliver_emails() if "claim" in m.body.lower() or "/claim/" in m.body][0])
    client.logout()
    person = make_user(email=member.email)
    client.force_login(person)
    client.cookies["django_language"] = "en"
    client.post(link)
    assert "Digitala nattronder" in client.get("/mvt2016/me/").content.decode()
    client.post(f"/bookings/{booking.public_id}/cancel/")
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_coordinator_cancels_a_seat_booked_for_a_member(client, conference, coordinator, make_seminar):
    seminar = make_seminar(capacity=5)
    delegation = make_delegation(coordinator, conference, 1)
    member = delegation.members.get()
    book_seat(registration=member, seminar=seminar, notify=False)
    response = client.post(member_url(delegation, member, "seats"), {"seminar": seminar.code, "action": "cancel"})
    assert response["X-MVT-Code"] == "cancelled"
    assert Booking.objects.get(registration=member).status == "cancelled"


def test_coordinator_bookings_keep_the_seat_rules(client, conference, coordinator, make_seminar,
                                                  make_registration):
    first = make_seminar(capacity=5)
    overlapping = make_seminar(capacity=5)
    full = make_seminar(capacity=1, start=first.end, end=first.end + (first.end - first.start))
    book_seat(registration=make_registration(), seminar=full, notify=False)
    delegation = make_delegation(coordinator, conference, 1)
    member = delegation.members.get()
    url = member_url(delegation, member, "seats")
    assert client.post(url, {"seminar": first.code, "action": "book"})["X-MVT-Code"] == "confirmed"
    assert client.post(url, {"seminar": overlapping.code, "action": "book"})["X-MVT-Code"] == "overlap"
    assert client.post(url, {"seminar": full.code, "action": "book"})["X-MVT-Code"] == "waitlisted"
    assert client.post(url, {"seminar": "NOSUCH", "action": "book"})["X-MVT-Code"] == "invalid"
    assert client.post(url, {"seminar": first.code, "action": "steal"})["X-MVT-Code"] == "invalid"


# --- Badges -----------------------------------------------------------------------------------------------


def test_coordinator_downloads_the_active_members_badges_on_a4(client, future, coordinator):
    delegation = make_delegation(coordinator, future, 5)
    gone = delegation.members.get(email="kollega5@vasteras.se")
    client.post(member_url(delegation, gone, "cancel"), {"confirmed": "yes"})
    response = client.get(f"{base(delegation)}/badges.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = pdfium.PdfDocument(response.content)
    assert len(pdf) == 1  # four badges, four to a sheet
    image = pdf[0].render(scale=2).to_pil()
    codes = {r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode}
    active = delegation.members.filter(status="active")
    assert codes == {f"MVT:{b.code}" for b in Badge.objects.filter(registration__in=active, revoked_at=None)}
    assert len(codes) == 4
    # The organisers' "printed" marks are theirs: a coordinator's download leaves them alone.
    assert not delegation.members.filter(badge_printed_at__isnull=False).exists()


# --- Only the coordinator ---------------------------------------------------------------------------------


def test_other_people_reach_none_of_the_coordinators_pages(client, conference, coordinator, make_user,
                                                          make_seminar):
    seminar = make_seminar()
    delegation = make_delegation(coordinator, conference, 1)
    member = delegation.members.get()
    client.force_login(make_user())
    assert client.get(f"{base(delegation)}/add/").status_code == 404
    assert client.post(f"{base(delegation)}/add/", {"members": "X, x@example.org"}).status_code == 404
    assert client.get(f"{base(delegation)}/badges.pdf").status_code == 404
    assert client.post(member_url(delegation, member, "cancel"), {"confirmed": "yes"}).status_code == 404
    assert client.post(member_url(delegation, member, "resend")).status_code == 404
    assert client.post(member_url(delegation, member, "seats"),
                       {"seminar": seminar.code, "action": "book"}).status_code == 404
    member.refresh_from_db()
    assert member.status == "active" and delegation.members.count() == 1 and not Booking.objects.exists()
