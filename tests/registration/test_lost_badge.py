"""A lost badge from the organisers' badge page: find the person (attendee or speaker), issue a new badge,
print that one; the old code scans as revoked."""

from django.urls import reverse

from registration.models import RegistrationStatus, SpeakerBadge
from registration.selectors.checkpoints import entrance_checkpoint
from registration.services.badges import current_badge, current_speaker_badges
from registration.services.door import check_in
from sessions.models import SeminarStatus

PAGE = "/staff/badges/mvt2016/"


def test_the_page_finds_attendees_by_name_or_email_and_speakers_by_name(client, organiser, make_registration,
                                                                        make_speaker, make_seminar):
    make_registration(name="Anna Lind", email="anna.lind@example.org")
    make_registration(name="Bo Ek", email="bo@annaberg.example.org")
    make_registration(name="Anna Avbokad", status=RegistrationStatus.CANCELLED)
    make_seminar(speakers=[make_speaker(name="Johanna Talare")])
    make_speaker(name="Anna Utan Seminarium")  # no published seminar: no badge to lose
    client.force_login(organiser)

    page = client.get(PAGE, {"q": " anna "}, HTTP_ACCEPT_LANGUAGE="sv").content.decode()

    for name in ("Anna Lind", "Bo Ek", "Johanna Talare"):
        assert name in page, name
    assert "Anna Avbokad" not in page and "Anna Utan Seminarium" not in page
    assert "Skriv minst två bokstäver" in client.get(PAGE, {"q": "a"}, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    nobody = client.get(PAGE, {"q": "<script>x"}, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "&lt;script&gt;x" in nobody and "<script>x" not in nobody


def test_reissue_then_print_the_new_badge(client, organiser, make_registration, door_staff, today_conference):
    person = make_registration(name="Anna Lind")
    old = current_badge(person).code
    client.force_login(organiser)

    answer = client.post(reverse("registration:badge_reissue", args=["mvt2016", person.public_id]))

    assert answer.status_code == 302 and answer["X-MVT-Code"] == "badge_reissued"
    assert answer["Location"] == f"{PAGE}?q=Anna+Lind"
    new = current_badge(person).code
    assert new != old
    pdf = client.get(reverse("registration:badge_one", args=["mvt2016", person.public_id]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    person.refresh_from_db()
    assert person.badge_printed_at is not None and current_badge(person).code == new  # printing keeps the code

    checkpoint = entrance_checkpoint(today_conference, today_conference.first_day)
    verdict = check_in(code=old, checkpoint=checkpoint, staff=door_staff, nonce="lost-1").verdict
    assert verdict == "revoked"


def test_a_speakers_badge_is_reissued_and_printed_alone(client, organiser, make_speaker, make_seminar):
    speaker = make_speaker(name="Åsa Öberg")
    make_seminar(speakers=[speaker])
    old = current_speaker_badges([speaker])[speaker.pk]
    client.force_login(organiser)

    answer = client.post(reverse("registration:speaker_badge_reissue", args=["mvt2016", speaker.pk]))

    assert answer["X-MVT-Code"] == "badge_reissued"
    old.refresh_from_db()
    assert old.revoked_at is not None
    assert SpeakerBadge.objects.filter(speaker=speaker, revoked_at__isnull=True).count() == 1
    pdf = client.get(reverse("registration:speaker_badge_one", args=["mvt2016", speaker.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_only_organisers_and_only_people_with_a_badge(client, make_registration, make_user, make_speaker,
                                                      make_seminar, organiser, door_staff):
    person = make_registration()
    gone = make_registration(status=RegistrationStatus.CANCELLED)
    drafted = make_speaker()
    make_seminar(speakers=[drafted], status=SeminarStatus.DRAFT)
    code = current_badge(person).code
    reissue = reverse("registration:badge_reissue", args=["mvt2016", person.public_id])
    for user in (make_user(email="vem@example.org"), door_staff):
        client.force_login(user)
        assert client.post(reissue).status_code in (302, 403)
        assert client.get(reverse("registration:badge_one", args=["mvt2016", person.public_id])).status_code in (
            302, 403)
    assert current_badge(person).code == code  # nobody else reissued it
    client.force_login(organiser)
    assert client.post(reverse("registration:badge_reissue", args=["mvt2016", gone.public_id])).status_code == 404
    assert client.post(reverse("registration:speaker_badge_reissue", args=["mvt2016", drafted.pk])).status_code == 404
    assert client.get(reverse("registration:speaker_badge_one", args=["mvt2016", drafted.pk])).status_code == 404
