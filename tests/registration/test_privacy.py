"""Personal data (invariant 13): a person sees and downloads what we hold; erasing removes it everywhere
while seat totals and the figures stay right."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse

from registration.models import Badge, Booking, BookingStatus, Feedback, OutgoingEmail, Registration, Verdict
from registration.selectors.checkpoints import entrance_checkpoint
from registration.services.badges import current_badge
from registration.services.booking import book_seat
from registration.services.door import check_in
from registration.services.privacy import erase_person, erase_registration, export_personal_data
from tests.conftest import local
from tests.helpers import deliver_emails

NAME, EMAIL = "Ingrid Värmlänning", "ingrid.varmlanning@example.org"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def person(make_user, make_registration):
    user = make_user(email=EMAIL)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    registration = make_registration(user=user, name=NAME, email=EMAIL, job_title="Enhetschef Hemtjänst Väst",
                                     accessibility_needs="Ledsagare och hörslinga")
    return user, registration


@pytest.fixture
def full_seminar(make_seminar, make_registration, person):
    """A one-seat seminar: the person holds the seat, someone else waits in line."""
    seminar = make_seminar(title="Digital nattillsyn", capacity=1)
    book_seat(registration=person[1], seminar=seminar)
    waiting = book_seat(registration=make_registration(), seminar=seminar)
    assert waiting.status == BookingStatus.WAITLISTED
    return seminar, waiting


def _rows_mentioning(*needles: str) -> list[str]:
    """Every text or JSON value in every table of our apps and allauth's that contains one of `needles`."""
    found = []
    for model in apps.get_models():
        if model._meta.app_label not in {"registration", "programme", "account", "mfa", "auth"}:
            continue
        fields = [f.name for f in model._meta.concrete_fields
                  if isinstance(f, models.CharField | models.TextField | models.JSONField | models.EmailField)]
        for row in model.objects.values(*fields):
            text = json.dumps(row, default=str, ensure_ascii=False).lower()
            found += [f"{model.__name__}: {needle}" for needle in needles if needle.lower() in text]
    return found


def test_the_export_holds_what_we_keep_and_no_secrets(person, full_seminar):
    user, registration = person
    badge = current_badge(registration)
    Feedback.objects.create(registration=registration, seminar=full_seminar[0], rating=5, comment="Mycket bra")
    data = export_personal_data(user)
    [reg] = data["registrations"]
    assert reg["name"] == NAME and reg["email"] == EMAIL and reg["accessibility_needs"] == "Ledsagare och hörslinga"
    assert [b["seminar"] for b in reg["bookings"]] == ["Digital nattillsyn"]
    assert reg["badges"][0]["revoked_at"] is None
    assert [(f["rating"], f["comment"]) for f in reg["feedback"]] == [(5, "Mycket bra")]
    assert data["account"]["email_addresses"] == [{"email": EMAIL, "verified": True, "primary": True}]
    assert any(e["to"] == EMAIL for e in data["emails"])
    assert badge.code not in json.dumps(data)  # the export must not print a badge


def test_erasing_a_person_gives_the_seat_to_the_line_and_leaves_no_trace(person, full_seminar, door_staff):
    user, registration = person
    seminar, waiting = full_seminar
    code = current_badge(registration).code
    feedback = Feedback.objects.create(registration=registration, seminar=seminar, rating=4,
                                       comment=f"Mycket bra. Hälsningar {NAME}")
    registrations_before = Registration.objects.count()
    deliver_emails().clear()

    result = erase_person(user=user)

    assert result.registrations == 1 and result.emails >= 1 and result.account
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.CONFIRMED  # the first in line got the seat
    assert Booking.objects.filter(seminar=seminar, status=BookingStatus.CONFIRMED).count() == 1
    assert Registration.objects.count() == registrations_before  # the figures keep their rows
    registration.refresh_from_db()
    assert registration.status == "cancelled" and registration.organisation_name == "Exempel AB"
    assert not Badge.objects.filter(registration=registration, revoked_at__isnull=True).exists()
    verdict = check_in(code=code, checkpoint=entrance_checkpoint(seminar.conference, seminar.conference.first_day),
                       staff=door_staff, nonce="erased-1", now=local(3, 9)).verdict
    assert verdict == Verdict.REVOKED
    assert _rows_mentioning(NAME, EMAIL, "ingrid.varmlanning", "Enhetschef", "hörslinga") == []
    assert not OutgoingEmail.objects.filter(to__iexact=EMAIL).exists()
    feedback.refresh_from_db()
    assert feedback.rating == 4 and feedback.comment == ""  # the seminar's results keep the rating
    assert [m.to for m in deliver_emails()] == [[waiting.registration.email]]  # only the promoted one is told
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password() and user.email == ""


def test_staff_accounts_are_not_erased_here(organiser):
    with pytest.raises(Exception) as refused:
        erase_person(user=organiser)
    assert refused.value.code == "staff_account"
    organiser.refresh_from_db()
    assert organiser.is_active


def test_the_page_shows_my_data_and_only_mine(client, person, make_registration):
    make_registration(name="Någon Annan", email="annan@example.org")
    client.force_login(person[0])
    page = client.get(reverse("registration:my_data")).content.decode()
    assert NAME in page and "Ledsagare och hörslinga" in page and "Någon Annan" not in page
    download = client.get(reverse("registration:my_data_download"))
    assert download["Content-Disposition"].startswith("attachment;")
    assert json.loads(download.content)["registrations"][0]["email"] == EMAIL


@pytest.mark.parametrize("form", [
    {"password": PASSWORD},  # no tick
    {"confirm": "on", "password": "not my password"},
    {"confirm": "on"},
])
def test_erasing_needs_the_tick_and_the_password(client, person, form):
    client.force_login(person[0])
    response = client.post(reverse("registration:my_data"), form)
    assert response.status_code == 400 and response["X-MVT-Code"] == "confirm_erase"
    person[1].refresh_from_db()
    assert person[1].name == NAME and person[1].status == "active"


def test_erasing_from_the_page_logs_out_for_good(client, person):
    user, registration = person
    client.force_login(user)
    response = client.post(reverse("registration:my_data"), {"confirm": "on", "password": PASSWORD})
    assert response.status_code == 302 and response["X-MVT-Code"] == "erased"
    registration.refresh_from_db()
    assert registration.name != NAME
    assert client.get(reverse("registration:my_data")).status_code == 302  # to the login page
    assert not client.login(username=user.username, password=PASSWORD)
    assert not get_user_model().objects.filter(email__iexact=EMAIL).exists()


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("registration:my_data"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_organiser_erases_an_unclaimed_place_from_the_admin_after_confirming(client, organiser, make_registration):
    unclaimed = make_registration(user=None, name="Oanvänd Plats", email="oanvand@example.org")
    client.force_login(organiser)
    url = reverse("admin:registration_registration_changelist")
    ask = client.post(url, {"action": "erase_selected", "_selected_action": [unclaimed.pk]})
    assert ask.status_code == 200 and "Oanvänd Plats" in ask.content.decode()
    unclaimed.refresh_from_db()
    assert unclaimed.name == "Oanvänd Plats"  # nothing happens before the confirmation
    done = client.post(url, {"action": "erase_selected", "_selected_action": [unclaimed.pk], "confirmed": "yes"})
    assert done.status_code == 302
    unclaimed.refresh_from_db()
    assert unclaimed.name != "Oanvänd Plats" and "oanvand" not in unclaimed.email
    assert _rows_mentioning("Oanvänd Plats", "oanvand@example.org") == []


def test_erase_registration_keeps_the_account(person):
    user, registration = person
    erase_registration(registration=registration)
    user.refresh_from_db()
    assert user.is_active and user.email == EMAIL
    registration.refresh_from_db()
    assert registration.name != NAME and registration.user is None


def test_erasing_a_coordinator_takes_their_name_out_of_the_members_claim_emails(conference, make_user):
    from registration.models import Municipality
    from registration.services.registrations import Member, register_delegation

    coordinator = make_user(email="karin.samordnare@example.org", first_name="Karin", last_name="Samordnare")
    register_delegation(
        coordinator=coordinator, conference=conference, organisation_name="Västerås",
        members=[Member("Kollega Ett", "kollega1@example.org"), Member("Kollega Två", "kollega2@example.org")],
        organisation_type="municipality", municipality=Municipality.objects.get(code="1980"), category="staff",
    )
    assert _rows_mentioning("Karin Samordnare")  # the claim emails name her
    erase_person(user=coordinator)
    assert _rows_mentioning("Karin Samordnare", "karin.samordnare") == []
    claims = deliver_emails()
    assert len(claims) == 2 and all("Västerås" in m.body for m in claims)
