"""Delegations: a coordinator registers colleagues; each claims their place; places can be handed over."""

import re
from datetime import date

import pytest

from registration.models import Booking, Registration
from registration.services.booking import book_seat
from tests.helpers import deliver_emails


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def colleagues(n, domain="vasteras.se"):
    return "\n".join(f"Kollega {i}, kollega{i}@{domain}" for i in range(1, n + 1))


def delegation_form(members, **overrides):
    data = {"organisation_type": "municipality", "municipality": "1980", "region": "", "organisation_name": "",
            "category": "staff", "members": members, "language": "en"}
    data.update(overrides)
    return data


@pytest.fixture
def coordinator(client, conference, make_user):
    user = make_user(email="samordnare@vasteras.se")
    client.force_login(user)
    return user


def claim_path(message):
    return re.search(r"http://127\.0\.0\.1:8000(/claim/[^\s]+/)", message.body).group(1)


def test_coordinator_registers_a_delegation_of_twelve(client, coordinator):
    response = client.post("/mvt2016/delegations/new/", delegation_form(colleagues(12)))
    assert response.status_code == 302
    members = Registration.objects.filter(delegation__coordinator=coordinator)
    assert members.count() == 12
    assert {m.organisation for m in members} == {"Västerås"}
    assert all(m.user_id is None for m in members)
    assert sorted(m.to[0] for m in deliver_emails()) == sorted(f"kollega{i}@vasteras.se" for i in range(1, 13))
    page = client.get(response.url).content.decode()
    assert page.count("Waiting to be claimed") == 12


def test_delegation_input_errors_name_the_line(client, coordinator):
    response = client.post("/mvt2016/delegations/new/",
                           delegation_form("Anna Andersson, anna@example.se\nBertil utan adress"))
    assert response.status_code == 200
    assert "Line 2" in response.content.decode()
    assert not Registration.objects.exists()


def test_delegation_over_twenty_is_refused(client, coordinator):
    response = client.post("/mvt2016/delegations/new/", delegation_form(colleagues(21)))
    assert response.status_code == 200
    assert "1 to 20 people" in response.content.decode()
    assert not Registration.objects.exists()


def test_delegation_with_someone_already_registered_is_refused_whole(client, coordinator, make_registration):
    make_registration(email="kollega2@vasteras.se")
    response = client.post("/mvt2016/delegations/new/", delegation_form(colleagues(3)))
    assert "kollega2@vasteras.se is already registered" in response.content.decode()
    assert Registration.objects.count() == 1


def test_member_claims_by_setting_a_password_then_books(client, coordinator, make_seminar):
    seminar = make_seminar()
    client.post("/mvt2016/delegations/new/", delegation_form(colleagues(2)))
    link = claim_path(next(m for m in deliver_emails() if m.to == ["kollega1@vasteras.se"]))
    client.logout()
    client.cookies["django_language"] = "en"
    response = client.post(link, {"password1": "Nattillsyn-2016!", "password2": "Nattillsyn-2016!"})
    assert response.status_code == 302 and response.url == "/mvt2016/me/"
    registration = Registration.objects.get(email="kollega1@vasteras.se")
    assert registration.user is not None and registration.user.email == "kollega1@vasteras.se"
    client.post(f"/mvt2016/seminars/{seminar.code}/book/")
    assert Booking.objects.get(registration=registration).status == "confirmed"
    # The link works once.
    client.logout()
    assert client.get(link).status_code == 404


def test_member_with_an_account_logs_in_and_claims(client, coordinator, make_user):
    client.post("/mvt2016/delegations/new/", delegation_form(colleagues(1)))
    link = claim_path(deliver_emails()[-1])
    member = make_user(email="kollega1@vasteras.se")
    client.force_login(member)
    assert client.post(link).status_code == 302
    assert Registration.objects.get(email="kollega1@vasteras.se").user == member


def test_coordinator_replaces_a_person_whose_seat_goes_to_the_line(client, conference, coordinator, make_seminar,
                                                                   make_registration):
    seminar = make_seminar(capacity=1)
    conference.first_day, conference.last_day = date(2099, 2, 3), date(2099, 2, 4)  # not started yet
    conference.save()
    client.post("/mvt2016/delegations/new/", delegation_form(colleagues(2)))
    leaving = Registration.objects.get(email="kollega1@vasteras.se")
    book_seat(registration=leaving, seminar=seminar, notify=False)
    waiting = make_registration()
    book_seat(registration=waiting, seminar=seminar, notify=False)
    delegation = leaving.delegation
    deliver_emails().clear()
    url = f"/mvt2016/delegations/{delegation.public_id}/members/{leaving.public_id}/replace/"
    response = client.post(url, {"name": "Ny Person", "email": "ny@vasteras.se"})
    assert response.status_code == 302
    leaving.refresh_from_db()
    assert leaving.status == "cancelled"
    assert Booking.objects.get(registration=waiting).status == "confirmed"
    assert Registration.objects.get(email="ny@vasteras.se", status="active").delegation == delegation
    assert {m.to[0] for m in deliver_emails()} >= {"ny@vasteras.se", waiting.email}


def test_other_people_cannot_see_or_change_a_delegation(client, coordinator, make_user):
    client.post("/mvt2016/delegations/new/", delegation_form(colleagues(2)))
    member = Registration.objects.first()
    delegation = member.delegation
    client.force_login(make_user())
    assert client.get(f"/mvt2016/delegations/{delegation.public_id}/").status_code == 404
    url = f"/mvt2016/delegations/{delegation.public_id}/members/{member.public_id}/replace/"
    assert client.post(url, {"name": "Inkräktare", "email": "x@example.org"}).status_code == 404
    member.refresh_from_db()
    assert member.status == "active"


def test_replacing_after_the_conference_started_is_refused(client, coordinator):
    client.post("/mvt2016/delegations/new/", delegation_form(colleagues(1)))
    member = Registration.objects.get()
    url = f"/mvt2016/delegations/{member.delegation.public_id}/members/{member.public_id}/replace/"
    response = client.post(url, {"name": "Ny Person", "email": "ny@vasteras.se"})
    assert "can no longer be handed over" in response.content.decode()
    member.refresh_from_db()
    assert member.status == "active"


def test_bad_claim_link_answers_404(client, db):
    assert client.get("/claim/not-a-real-token/").status_code == 404


def test_registering_yourself_takes_the_place_a_coordinator_made(client, coordinator, make_user):
    client.post("/mvt2016/delegations/new/", delegation_form(colleagues(1)))
    member = make_user(email="kollega1@vasteras.se")
    client.force_login(member)
    response = client.post("/mvt2016/register/", {
        "name": "Kollega Ett", "organisation_type": "municipality", "municipality": "1980", "organisation_name": "",
        "job_title": "", "category": "staff", "accessibility_needs": "", "language": "sv",
    })
    assert response.status_code == 302
    registration = Registration.objects.get(email="kollega1@vasteras.se", status="active")
    assert registration.user == member and registration.delegation is not None
    assert Registration.objects.filter(email="kollega1@vasteras.se").count() == 1


def test_claim_page_for_someone_already_registered_says_so(client, coordinator, make_registration):
    client.post("/mvt2016/delegations/new/", delegation_form(colleagues(1)))
    link = claim_path(deliver_emails()[-1])
    other = make_registration()
    client.force_login(other.user)
    page = client.get(link).content.decode()
    assert "already registered for this conference" in page
    assert client.post(link).status_code == 200
    assert Registration.objects.get(email="kollega1@vasteras.se").user is None


def test_claim_with_an_existing_account_but_logged_out_does_not_crash(client, coordinator, make_user):
    client.post("/mvt2016/delegations/new/", delegation_form(colleagues(1)))
    link = claim_path(deliver_emails()[-1])
    make_user(email="kollega1@vasteras.se")
    client.logout()
    assert client.post(link, {"password1": "x", "password2": "x"}).status_code == 200


def test_overlong_email_in_a_delegation_is_an_error_not_a_crash(client, coordinator):
    long_email = "a" * 250 + "@vasteras.se"
    response = client.post("/mvt2016/delegations/new/", delegation_form(f"Anna, {long_email}"))
    assert response.status_code == 200 and "Line 1" in response.content.decode()
