"""Names and organisations are one line on every input path, and no email subject can hold a line break."""

import pytest
from django.core.exceptions import ValidationError

from registration.models import Delegation, Registration
from registration.services.booking import book_seat
from tests.helpers import deliver_emails

ONE_LINE_FIELDS = [
    (Registration, "name"), (Registration, "organisation_name"), (Registration, "job_title"),
    (Delegation, "organisation_name"),
]


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


@pytest.mark.parametrize(("model", "name"), ONE_LINE_FIELDS)
@pytest.mark.parametrize("value", ["Karin\r\nBcc: x@example.org", "Karin\tLind", "Karin\x1bLind", "Karin\u2028Lind"])
def test_one_line_fields_refuse_control_characters(model, name, value):
    with pytest.raises(ValidationError) as refused:
        model._meta.get_field(name).clean(value, None)
    assert [error.code for error in refused.value.error_list] == ["not_single_line"]


def registration_form(**overrides):
    data = {"name": "Karin Lind", "organisation_type": "company", "organisation_name": "Exempel AB",
            "job_title": "", "category": "staff", "accessibility_needs": "", "language": "en"}
    data.update(overrides)
    return data


def test_registering_puts_a_pasted_name_on_one_line(client, conference, make_user):
    client.force_login(make_user())
    response = client.post("/mvt2016/register/", registration_form(
        name=" Karin\r\nLind ", organisation_name="Exempel\tAB", job_title="Enhets-\nchef"))
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.name, registration.organisation_name, registration.job_title) == (
        "Karin Lind", "Exempel AB", "Enhets- chef")


@pytest.mark.parametrize("field", ["name", "organisation_name", "job_title"])
def test_registering_with_a_control_character_is_a_form_error(client, conference, make_user, field):
    client.force_login(make_user())
    response = client.post("/mvt2016/register/", registration_form(**{field: "Karin\x1b[31mLind"}))
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()[field]] == ["not_single_line"]
    assert not Registration.objects.exists()


def delegation_form(members, **overrides):
    data = {"organisation_type": "company", "municipality": "", "region": "", "organisation_name": "Exempel AB",
            "category": "staff", "members": members, "language": "en"}
    data.update(overrides)
    return data


def test_delegation_member_names_are_put_on_one_line(client, conference, make_user):
    client.force_login(make_user())
    members = "Anna   Andersson, anna@example.se\r\nBo\u00a0\u00a0Berg; bo@example.se\n"
    response = client.post("/mvt2016/delegations/new/", delegation_form(members, organisation_name=" Exempel \t AB "))
    assert response.status_code == 302
    assert sorted(Registration.objects.values_list("name", flat=True)) == ["Anna Andersson", "Bo Berg"]
    assert Delegation.objects.get().organisation_name == "Exempel AB"


def test_a_delegation_member_name_with_a_control_character_names_the_line(client, conference, make_user):
    client.force_login(make_user())
    response = client.post("/mvt2016/delegations/new/", delegation_form(
        "Anna Andersson, anna@example.se\nBo\x1bBerg, bo@example.se"))
    assert response.status_code == 200
    assert "Line 2: the name contains a control character." in response.content.decode()
    assert not Registration.objects.exists()


def test_the_registration_admin_refuses_a_name_with_a_line_break(client, organiser, make_registration):
    registration = make_registration()
    client.force_login(organiser)
    response = client.post(f"/admin/registration/registration/{registration.pk}/change/", {
        "name": "Karin\r\nBcc: x@example.org", "email": registration.email, "language": "sv",
        "organisation_type": "company", "municipality": "", "region": "", "organisation_name": "Exempel AB",
        "job_title": "", "category": "staff", "accessibility_needs": "",
        "bookings-TOTAL_FORMS": "0", "bookings-INITIAL_FORMS": "0",
        "bookings-MIN_NUM_FORMS": "0", "bookings-MAX_NUM_FORMS": "1000",
    })
    assert response.status_code == 200
    assert [e.code for e in response.context["adminform"].form.errors.as_data()["name"]] == ["not_single_line"]


# --- Email subjects, also for data stored before the rule ----------------------------------------------------


def test_a_seminar_title_stored_with_a_line_break_still_gets_its_booking_email(
    make_seminar, make_registration, django_capture_on_commit_callbacks,
):
    seminar = make_seminar(title="T3 header\r\nBcc: x@example.org")  # saved without validation, as old rows were
    registration = make_registration(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        book_seat(registration=registration, seminar=seminar)
    [message] = deliver_emails()
    assert message.subject == "Seat booked: T3 header Bcc: x@example.org"
    assert message.to == [registration.email] and message.bcc == []
    assert "Bcc" not in message.message()


def test_a_conference_name_with_a_line_break_still_gets_its_registration_email(
    client, conference, make_user, django_capture_on_commit_callbacks,
):
    conference.name = "MVT2016\n\x1bBcc: x@example.org"  # (PostgreSQL cannot store a NUL)
    conference.save()
    client.force_login(make_user())
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/mvt2016/register/", registration_form())
    [message] = deliver_emails()
    assert message.subject == "Registration confirmed: MVT2016 Bcc: x@example.org"
