"""Organisers' messages (issue 9 item 4): recipients exactly the selected group, each once, in their language;
a preview that sends nothing; one send per form; a log of who got what."""

import re

import pytest

from registration.errors import Code
from registration.models import (
    Audience,
    BookingStatus,
    Delegation,
    EmailStatus,
    Message,
    OutgoingEmail,
    RegistrationStatus,
)
from registration.services.messages import MessageError, send_message
from sessions.services import cancel_seminar
from tests.conftest import local
from tests.helpers import deliver_emails

BASE = "/staff/desk/mvt2016/messages/"
TOKEN = "t" * 32


@pytest.fixture
def desk(client, organiser):
    client.cookies["django_language"] = "en"
    client.force_login(organiser)
    return client


@pytest.fixture
def group(make_seminar, make_registration, make_booking):
    """One seminar with two seats (Swedish and English), one in line (English), a cancelled place and a
    cancelled registration that still holds a confirmed row; another seminar's attendee."""
    seminar = make_seminar(title="Trygghetslarm")
    other = make_seminar(title="Annat pass", start=local(3, 13), end=local(3, 14))
    people = {
        "sv_seat": make_registration(name="Åsa Svensk", language="sv"),
        "en_seat": make_registration(name="Emma English", language="en"),
        "en_line": make_registration(name="Liam Line", language="en"),
        "gave_up": make_registration(name="Greta Gav-upp"),
        "cancelled": make_registration(name="Carl Cancelled", status=RegistrationStatus.CANCELLED),
        "elsewhere": make_registration(name="Olle Annanstans"),
    }
    make_booking(people["sv_seat"], seminar)
    make_booking(people["en_seat"], seminar)
    make_booking(people["en_line"], seminar, status=BookingStatus.WAITLISTED)
    make_booking(people["gave_up"], seminar, status=BookingStatus.CANCELLED)
    make_booking(people["cancelled"], seminar)
    make_booking(people["elsewhere"], other)
    return seminar, people


def send(conference, audience, seminar=None, *, token=TOKEN, **texts):
    texts.setdefault("subject", "Ändrad sal")
    texts.setdefault("body", "Vi ses i sal B i stället.")
    return send_message(conference=conference, audience=audience, seminar=seminar, author=None, token=token, **texts)


def addresses(mails) -> list[str]:
    return sorted(address for mail in mails for address in mail.to)


# Recipients: exactly the group, each once, in their language


@pytest.mark.parametrize(("audience", "expected"), [
    (Audience.SEMINAR_ALL, {"sv_seat", "en_seat", "en_line"}),
    (Audience.SEMINAR_BOOKED, {"sv_seat", "en_seat"}),
    (Audience.SEMINAR_WAITLISTED, {"en_line"}),
])
def test_seminar_messages_reach_exactly_the_chosen_group_each_once(conference, group, audience, expected):
    seminar, people = group
    message, created = send(conference, audience, seminar)
    mails = deliver_emails()
    assert created and message.recipient_count == len(expected)
    assert addresses(mails) == sorted(people[key].email for key in expected)


def test_everyone_registered_means_every_active_registration_once(conference, group):
    _seminar, people = group
    send(conference, Audience.REGISTERED)
    expected = sorted(p.email for key, p in people.items() if key != "cancelled")
    assert addresses(deliver_emails()) == expected


def test_each_recipient_reads_the_frame_in_their_language(conference, group):
    seminar, people = group
    send(conference, Audience.SEMINAR_ALL, seminar)
    by_address = {mail.to[0]: mail for mail in deliver_emails()}
    swedish, english = by_address[people["sv_seat"].email], by_address[people["en_seat"].email]
    assert swedish.body.startswith("Hej Åsa Svensk!")
    assert "har en plats i ”Trygghetslarm”" in swedish.body
    assert english.body.startswith("Hello Emma English,")
    assert "you have a seat in “Trygghetslarm”" in english.body
    assert "you are in line for “Trygghetslarm”" in by_address[people["en_line"].email].body
    # Without an English version the English readers get the organisers' one text, and are told so.
    assert "Vi ses i sal B i stället." in english.body and "wrote no English version" in english.body
    assert english.subject == swedish.subject == "Ändrad sal"
    assert "wrote no English version" not in swedish.body


def test_an_english_version_goes_to_english_readers_only(conference, group):
    seminar, people = group
    send(conference, Audience.SEMINAR_ALL, seminar, subject_en="New room", body_en="See you in room B instead.")
    by_address = {mail.to[0]: mail for mail in deliver_emails()}
    english, swedish = by_address[people["en_seat"].email], by_address[people["sv_seat"].email]
    assert (english.subject, swedish.subject) == ("New room", "Ändrad sal")
    assert "See you in room B instead." in english.body and "Vi ses" not in english.body
    assert "Vi ses i sal B i stället." in swedish.body and "See you" not in swedish.body
    assert "wrote no English version" not in english.body
    assert "See you in room B instead." in english.alternatives[0][0]


def test_coordinators_get_one_email_each_in_their_own_registrations_language(
    conference, make_user, make_registration,
):
    busy = make_user(email="samordnare@example.org", first_name="Sara", last_name="Samordnare")
    unregistered = make_user(email="chef@example.org")
    quiet = make_user(email="tyst@example.org")
    make_registration(user=busy, name="Sara Samordnare", language="en")
    for coordinator, statuses in ((busy, ["active"]), (busy, ["active", "cancelled"]), (unregistered, ["active"]),
                                  (quiet, ["cancelled"])):
        delegation = Delegation.objects.create(conference=conference, coordinator=coordinator,
                                               organisation_name="Kommunen")
        for status in statuses:
            make_registration(user=None, delegation=delegation, status=status)
    message, _created = send(conference, Audience.COORDINATORS)
    mails = deliver_emails()
    assert addresses(mails) == ["chef@example.org", "samordnare@example.org"]
    assert message.recipient_count == 2
    by_address = {mail.to[0]: mail for mail in mails}
    assert by_address["samordnare@example.org"].body.startswith("Hello Sara Samordnare,")
    assert "you coordinate a delegation" in by_address["samordnare@example.org"].body
    assert by_address["chef@example.org"].body.startswith("Hej!")


def test_an_empty_group_is_refused_and_nothing_is_written(conference, make_seminar):
    with pytest.raises(MessageError) as error:
        send(conference, Audience.SEMINAR_ALL, make_seminar())
    assert error.value.code == Code.NO_RECIPIENTS
    assert not Message.objects.exists() and not OutgoingEmail.objects.exists()


def test_a_seminar_group_needs_a_seminar_of_this_conference(conference, group):
    from sessions.models import Conference

    elsewhere = Conference.objects.create(name="MVT2017", slug="mvt2017", first_day="2017-02-01",
                                          last_day="2017-02-02")
    seminar, _people = group
    with pytest.raises(MessageError) as error:
        send(elsewhere, Audience.SEMINAR_ALL, seminar)
    assert error.value.code == Code.SEMINAR_REQUIRED


def test_the_same_token_sends_once(conference, group):
    seminar, _people = group
    first, created = send(conference, Audience.SEMINAR_ALL, seminar)
    again, created_again = send(conference, Audience.REGISTERED)
    assert (created, created_again) == (True, False) and again == first
    assert OutgoingEmail.objects.filter(organiser_message=first).count() == 3
    assert len(deliver_emails()) == 3


# The desk pages


def form(chosen=None, **fields):
    data = {"audience": Audience.SEMINAR_ALL, "seminar": chosen.code if chosen else "", "subject": "Ändrad sal",
            "body": "Vi ses i sal B i stället.", "subject_en": "", "body_en": "", "token": TOKEN}
    data.update(fields)
    return data


def test_preview_shows_the_count_names_and_the_email_and_sends_nothing(desk, group):
    seminar, people = group
    response = desk.post(BASE + "new/", {**form(seminar), "action": "preview"})
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'data-number="recipients">3<', page)
    assert re.search(r'data-number="en">2<', page)
    for key in ("sv_seat", "en_seat", "en_line"):
        assert people[key].name in page
    assert people["cancelled"].name not in page and people["gave_up"].name not in page
    assert "Vi ses i sal B i stället." in page and "Send to 3 people" in page
    assert f'name="token" value="{TOKEN}"' in page
    assert not Message.objects.exists() and not OutgoingEmail.objects.exists()


def test_sending_twice_from_the_same_preview_sends_once(desk, group):
    seminar, _people = group
    first = desk.post(BASE + "new/", {**form(seminar), "action": "send"})
    second = desk.post(BASE + "new/", {**form(seminar), "action": "send"}, follow=True)
    message = Message.objects.get()
    assert first.status_code == 302 and first.url == f"{BASE}{message.public_id}/"
    assert "was sent already; it was not sent again" in second.content.decode()
    assert OutgoingEmail.objects.count() == 3 and len(deliver_emails()) == 3


def test_the_form_refuses_bad_input_with_reasons(desk, group, make_seminar):
    seminar, _people = group
    cases = [
        ({"subject": "Klocka\x07"}, "subject"),
        ({"body": "x" * 5001}, "body"),
        ({"seminar": ""}, "seminar"),
        ({"subject_en": "Only a subject"}, "body_en"),
        ({"token": "short"}, "token"),
        ({"audience": "everyone-ever"}, "audience"),
    ]
    for fields, field in cases:
        response = desk.post(BASE + "new/", {**form(seminar, **fields), "action": "send"})
        assert response.status_code == 200, fields
        assert field in response.context["form"].errors, fields
    empty = desk.post(BASE + "new/", {**form(make_seminar()), "action": "send"})
    assert empty.status_code == 409 and empty["X-MVT-Code"] == "no_recipients"
    assert not Message.objects.exists()


def test_the_log_and_the_detail_show_who_got_it_and_how_delivery_went(desk, group, organiser):
    seminar, people = group
    desk.post(BASE + "new/", {**form(seminar), "action": "send"})
    message = Message.objects.get()
    assert message.author == organiser
    detail = desk.get(f"{BASE}{message.public_id}/").content.decode()
    assert detail.count('data-email="pending"') == 3
    deliver_emails()
    detail = desk.get(f"{BASE}{message.public_id}/").content.decode()
    assert detail.count('data-email="sent"') == 3
    for key in ("sv_seat", "en_seat", "en_line"):
        assert people[key].email in detail
    assert people["elsewhere"].email not in detail
    log = desk.get(BASE).content.decode()
    assert f'data-message="{message.public_id}"' in log and "Trygghetslarm" in log


def test_the_desk_links_to_messages_and_each_seminar_preselects_itself(desk, group):
    seminar, _people = group
    page = desk.get("/staff/desk/mvt2016/").content.decode()
    assert f'href="{BASE}"' in page
    link = f"{BASE}new/?seminar={seminar.code}"
    assert f'href="{link}"' in page
    chosen = desk.get(link)
    assert chosen.context["form"].initial["seminar"] == seminar.code
    assert f'<option value="{seminar.code}" selected>' in chosen.content.decode()


def test_messages_pages_are_for_organisers_only(client, conference, group, make_user):
    seminar, _people = group
    message, _created = send(conference, Audience.SEMINAR_ALL, seminar)
    client.force_login(make_user())
    for url in (BASE, BASE + "new/", f"{BASE}{message.public_id}/"):
        assert client.get(url).status_code == 403
    assert client.post(BASE + "new/", {**form(seminar, token="u" * 32), "action": "send"}).status_code == 403
    assert Message.objects.count() == 1


def test_another_conferences_message_is_not_found(desk, conference, group):
    from sessions.models import Conference

    seminar, _people = group
    message, _created = send(conference, Audience.SEMINAR_ALL, seminar)
    Conference.objects.create(name="MVT2017", slug="mvt2017", first_day="2017-02-01", last_day="2017-02-02")
    assert desk.get(f"/staff/desk/mvt2017/messages/{message.public_id}/").status_code == 404


# Query counts, at two sizes


def _people(conference, make_registration, make_booking, seminar, n):
    for _ in range(n):
        make_booking(make_registration(), seminar)


@pytest.mark.parametrize("n", [2, 12])
def test_the_pages_take_the_same_queries_whatever_the_size(
    desk, conference, make_seminar, make_registration, make_booking, django_assert_num_queries, n,
):
    seminar = make_seminar()
    _people(conference, make_registration, make_booking, seminar, n)
    for i in range(n):
        send(conference, Audience.SEMINAR_ALL, seminar, token=f"token-{i:030d}")
    message = Message.objects.first()
    # session, user, groups, MFA, conference: 5; then the log (1), message + its emails (2), seminar + people (2)
    with django_assert_num_queries(6):
        assert desk.get(BASE).status_code == 200
    with django_assert_num_queries(7):
        assert desk.get(f"{BASE}{message.public_id}/").status_code == 200
    with django_assert_num_queries(7):
        assert desk.post(BASE + "new/", {**form(seminar), "action": "preview"}).status_code == 200


# The seminar-cancellation email


def test_the_cancellation_email_gives_the_reason_and_seminars_at_the_same_time_with_seats(
    conference, make_seminar, make_room, make_registration, make_booking,
):
    cancelled = make_seminar(title="Inställt pass")
    free = make_seminar(title="Sensorer i hemmet", room=make_room(capacity=40), capacity=40)
    full = make_seminar(title="Fullsatt pass", room=make_room(capacity=1), capacity=1)
    held = make_seminar(title="Redan i kö", room=make_room(capacity=40), capacity=40)
    later = make_seminar(title="Senare pass", start=local(3, 13), end=local(3, 14))
    person, other = make_registration(language="en"), make_registration()
    make_booking(person, cancelled)
    make_booking(person, held, status=BookingStatus.WAITLISTED)
    make_booking(other, full)
    cancel_seminar(seminar=cancelled, reason="The speaker is ill.")
    mail = next(m for m in deliver_emails() if m.to == [person.email])
    assert "The speaker is ill." in mail.body
    assert "These seminars at the same time still have seats:" in mail.body
    assert f"“Sensorer i hemmet”, Wednesday 3 February 10:00–11:00, {free.room.name}" in mail.body
    assert free.get_absolute_url() in mail.body
    for title in (full.title, held.title, later.title):
        assert title not in mail.body


def test_a_failed_email_shows_as_failed_on_the_detail(desk, conference, group):
    seminar, _people = group
    message, _created = send(conference, Audience.SEMINAR_ALL, seminar)
    OutgoingEmail.objects.filter(organiser_message=message).update(status=EmailStatus.FAILED, attempts=8)
    detail = desk.get(f"{BASE}{message.public_id}/").content.decode()
    assert detail.count('data-email="failed"') == 3



# Erasure (invariant 13): the outbox and the message log forget the person, the counts stay


def test_erasing_a_person_removes_them_from_the_outbox_and_the_message_log(desk, conference, group, make_user):
    from registration.outbox import enqueue_email
    from registration.services.privacy import erase_from_outbox

    seminar, people = group
    person = people["en_seat"]
    message, _created = send(conference, Audience.SEMINAR_ALL, seminar)
    enqueue_email(kind="account.reset", to=person.email.upper(), obj="user:1", revision=0,
                  params={"subject": "Reset", "text": f"Hello {person.name}"})  # no registration: found by address
    deliver_emails()
    before = desk.get(f"{BASE}{message.public_id}/").content.decode()
    assert person.email in before and person.name in before

    # the message and the account email
    assert erase_from_outbox(emails=[person.email], registration_ids=[person.pk]) == 2
    for row in OutgoingEmail.objects.all():
        text = f"{row.to} {row.key} {row.params} {row.last_error}".lower()
        if row.to == "erased@invalid":
            assert person.email.lower() not in text and person.name.lower() not in text
    assert not OutgoingEmail.objects.filter(to__iexact=person.email).exists()
    assert not OutgoingEmail.objects.filter(registration=person).exists()
    after = desk.get(f"{BASE}{message.public_id}/").content.decode()
    assert person.email not in after and person.name not in after
    assert people["sv_seat"].email in after  # the others stay
    message.refresh_from_db()
    assert message.recipient_count == 3 and message.emails.count() == 3
    assert after.count('data-email="sent"') == 3


def test_people_following_online_get_the_seminar_messages(conference, group, make_registration, make_booking):
    seminar, people = group
    watcher = make_registration(name="Wilma Webb", language="sv", category="digital")
    make_booking(watcher, seminar, status=BookingStatus.WATCHING)
    deliver_emails().clear()
    send(conference, Audience.SEMINAR_BOOKED, seminar)
    mails = deliver_emails()
    assert addresses(mails) == sorted([people["sv_seat"].email, people["en_seat"].email, watcher.email])
    to_watcher = next(m for m in mails if m.to == [watcher.email])
    assert "online" in to_watcher.body or "på nätet" in to_watcher.body
    deliver_emails().clear()
    send(conference, Audience.SEMINAR_WAITLISTED, seminar, token="another-token-0001")
    assert addresses(deliver_emails()) == [people["en_line"].email]
