"""Seminar feedback (issue 11 item 13): once per person, only for those who took part, by My programme or a
signed emailed link that works once; organisers see results per seminar and track, speakers only
aggregates without names, hidden below a few answers."""

from datetime import timedelta

import pytest
from django.core import signing
from django.core.management import call_command
from django.urls import reverse

from registration.errors import Code, FeedbackError
from registration.models import Feedback, OutgoingEmail, Scan, TicketCategory, Verdict
from registration.services.badges import issue_badge
from registration.services.feedback import feedback_token, give_feedback, request_feedback, resolve_feedback_token
from tests.conftest import local
from tests.helpers import deliver_emails

AFTER = local(3, 11, 30)  # the seminar (10–11 on 3 February) has ended


@pytest.fixture
def seminar(make_seminar):
    return make_seminar(title="Trygghetslarm i hemtjänsten")


@pytest.fixture
def seated(make_registration, make_booking, seminar):
    def make(**fields):
        person = make_registration(**fields)
        make_booking(person, seminar)
        return person

    return make


def admit(person, seminar, door_staff, n=[0]):  # noqa: B006 - a counter for unique nonces
    n[0] += 1
    return Scan.objects.create(nonce=f"feedback-nonce-{n[0]:04d}", checkpoint=f"seminar-{seminar.code}",
                               seminar=seminar, conference=seminar.conference, badge=issue_badge(person),
                               registration=person, staff=door_staff, verdict=Verdict.ADMITTED)


def code_of(call) -> str:
    with pytest.raises(FeedbackError) as refused:
        call()
    return refused.value.code


# --- Who may rate, and once ---------------------------------------------------------------------------


def test_booked_person_rates_once(seated, seminar):
    person = seated()
    give_feedback(registration=person, seminar=seminar, rating=4, comment="Bra!", now=AFTER)
    assert code_of(lambda: give_feedback(registration=person, seminar=seminar, rating=1, now=AFTER)) \
        == Code.FEEDBACK_ALREADY_GIVEN
    assert list(Feedback.objects.values_list("rating", flat=True)) == [4]


def test_not_before_the_seminar_ends(seated, seminar):
    assert code_of(lambda: give_feedback(registration=seated(), seminar=seminar, rating=5, now=local(3, 10, 59))) \
        == Code.FEEDBACK_NOT_ENDED


def test_someone_without_a_booking_may_not_rate(make_registration, seminar):
    assert code_of(lambda: give_feedback(registration=make_registration(), seminar=seminar, rating=5, now=AFTER)) \
        == Code.FEEDBACK_NOT_ELIGIBLE


def test_a_place_in_line_is_not_enough(make_registration, make_booking, seminar):
    person = make_registration()
    make_booking(person, seminar, status="waitlisted")
    assert code_of(lambda: give_feedback(registration=person, seminar=seminar, rating=5, now=AFTER)) \
        == Code.FEEDBACK_NOT_ELIGIBLE


def test_with_door_scanning_only_those_let_in_may_rate(seated, seminar, door_staff):
    came, stayed_away = seated(), seated()
    admit(came, seminar, door_staff)
    give_feedback(registration=came, seminar=seminar, rating=5, now=AFTER)
    assert code_of(lambda: give_feedback(registration=stayed_away, seminar=seminar, rating=5, now=AFTER)) \
        == Code.FEEDBACK_NOT_ELIGIBLE


def test_a_watcher_may_rate_even_when_the_door_was_scanned(make_registration, make_booking, seated, seminar,
                                                           door_staff):
    admit(seated(), seminar, door_staff)
    watcher = make_registration(category=TicketCategory.DIGITAL)
    make_booking(watcher, seminar, status="watching")
    assert give_feedback(registration=watcher, seminar=seminar, rating=3, now=AFTER).rating == 3


def test_a_cancelled_seminar_cannot_be_rated(seated, seminar):
    person = seated()
    seminar.status = "cancelled"
    seminar.save()
    assert code_of(lambda: give_feedback(registration=person, seminar=seminar, rating=5, now=AFTER)) \
        == Code.FEEDBACK_NOT_ELIGIBLE


@pytest.mark.parametrize("rating", [0, 6, "5", None])
def test_rating_outside_one_to_five_is_refused(seated, seminar, rating):
    with pytest.raises(ValueError):
        give_feedback(registration=seated(), seminar=seminar, rating=rating, now=AFTER)


# --- Over HTTP ----------------------------------------------------------------------------------------


def test_my_programme_offers_the_rating_and_the_form_takes_it_once(client, seated, seminar, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: AFTER)
    person = seated()
    client.force_login(person.user)
    my = reverse("registration:my_programme", args=[seminar.conference.slug])
    form = reverse("registration:feedback", args=[seminar.conference.slug, seminar.code])
    assert form in client.get(my).content.decode()
    response = client.post(form, {"rating": "4", "comment": "Mycket bra"})
    assert response.status_code == 302 and response["X-MVT-Code"] == "feedback_given"
    assert form not in client.get(my).content.decode()
    again = client.post(form, {"rating": "1"})
    assert again["X-MVT-Code"] == Code.FEEDBACK_ALREADY_GIVEN
    assert Feedback.objects.get().rating == 4


def test_hostile_form_input_is_refused_with_a_message(client, seated, seminar, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: AFTER)
    client.force_login(seated().user)
    form = reverse("registration:feedback", args=[seminar.conference.slug, seminar.code])
    for body in ({"rating": "9"}, {"rating": "x"}, {}, {"rating": "3", "comment": "x" * 3000}):
        response = client.post(form, body)
        assert response.status_code == 200
        assert 'role="alert"' in response.content.decode()
    assert not Feedback.objects.exists()


def test_signed_link_works_once_without_logging_in(client, seated, seminar, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: AFTER)
    person = seated()
    url = reverse("registration:feedback_link", kwargs={"token": feedback_token(person, seminar)})
    assert client.get(url).status_code == 200
    assert client.post(url, {"rating": "5"})["X-MVT-Code"] == "feedback_given"
    second = client.get(url)
    assert second["X-MVT-Code"] == Code.FEEDBACK_ALREADY_GIVEN
    assert 'name="rating"' not in second.content.decode()
    assert client.post(url, {"rating": "1"})["X-MVT-Code"] == Code.FEEDBACK_ALREADY_GIVEN
    assert Feedback.objects.get(registration=person).rating == 5


def test_altered_or_expired_link_is_refused(client, seated, seminar, settings):
    person = seated()
    token = feedback_token(person, seminar)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    other_salt = signing.dumps([str(person.public_id), seminar.code], salt="registration.claim")
    for bad in (tampered, other_salt, "x" * 43, "a:b:c"):
        response = client.get(reverse("registration:feedback_link", kwargs={"token": bad}))
        assert response.status_code == 404 and response["X-MVT-Code"] == Code.FEEDBACK_LINK_INVALID
    assert resolve_feedback_token(token) == (person, seminar)
    import time
    from unittest import mock

    with mock.patch("django.core.signing.time.time", return_value=time.time() - 31 * 86400):
        old = feedback_token(person, seminar)  # made 31 days ago; links work for 30
    with pytest.raises(FeedbackError) as refused:
        resolve_feedback_token(old)
    assert refused.value.code == Code.FEEDBACK_LINK_INVALID
    settings.FEEDBACK_LINK_DAYS = 40
    assert resolve_feedback_token(old) == (person, seminar)


# --- Asking by email ----------------------------------------------------------------------------------


def test_request_feedback_emails_each_eligible_person_once(seated, make_registration, make_booking, seminar,
                                                           conference, client, monkeypatch):
    first, second = seated(language="en"), seated()
    make_booking(make_registration(), seminar, status="waitlisted")  # not asked
    give_feedback(registration=second, seminar=seminar, rating=3, now=AFTER)  # already rated: not asked
    assert request_feedback(conference=conference, now=local(3, 10, 30)) == 0  # not ended yet
    assert request_feedback(conference=conference, now=AFTER) == 1
    assert request_feedback(conference=conference, now=AFTER) == 0
    call_command("request_feedback", conference.slug)
    assert OutgoingEmail.objects.filter(kind="feedback.request").count() == 1
    sent = [m for m in deliver_emails() if m.to == [first.email]]
    assert len(sent) == 1 and "Trygghetslarm" in sent[0].subject
    link = next(word for word in sent[0].body.split() if "/feedback/" in word)
    monkeypatch.setattr("django.utils.timezone.now", lambda: AFTER)
    path = "/" + link.split("/", 3)[-1] if link.startswith("http") else link
    assert client.post(path, {"rating": "2"})["X-MVT-Code"] == "feedback_given"
    assert Feedback.objects.get(registration=first).rating == 2
    assert "feedback_url" not in OutgoingEmail.objects.get(kind="feedback.request").params  # nothing stored


# --- Results ------------------------------------------------------------------------------------------


def test_desk_shows_results_per_seminar_and_track_without_names(client, organiser, seated, seminar, track):
    people = [seated(name=f"Namn{n} Efternamn") for n in range(3)]
    for person, rating in zip(people, [5, 4, 2], strict=True):
        give_feedback(registration=person, seminar=seminar, rating=rating, comment=f"Kommentar {rating}", now=AFTER)
    client.force_login(organiser)
    page = client.get(reverse("registration:desk_feedback", args=[seminar.conference.slug])).content.decode()
    assert 'data-number="answers">3<' in page and 'data-number="average">3,7<' in page
    assert f'data-track="{track.slug}"' in page and "Kommentar 2" in page
    assert "Namn0" not in page and people[0].email not in page


def test_desk_feedback_needs_an_organiser(client, seated, seminar):
    client.force_login(seated().user)
    assert client.get(reverse("registration:desk_feedback", args=[seminar.conference.slug])).status_code == 403


def _speaker_page(client, speaker_user, conference):
    client.force_login(speaker_user)
    return client.get(reverse("registration:speaker_feedback", args=[conference.slug]))


def test_speaker_sees_aggregate_from_three_answers_without_names_or_comments(client, make_user, make_speaker,
                                                                              make_seminar, seated, conference):
    user = make_user()
    speaker = make_speaker(user=user)
    own = make_seminar(speakers=[speaker], title="Min egen")
    from registration.models import Booking

    people = [seated(name=f"Hemlig{n}") for n in range(3)]
    for person in people:
        Booking.objects.create(registration=person, seminar=own, status="confirmed", queued_at=local(20, 9, month=1))
    give_feedback(registration=people[0], seminar=own, rating=5, comment="Hemlig kommentar", now=AFTER)
    give_feedback(registration=people[1], seminar=own, rating=1, now=AFTER)
    page = _speaker_page(client, user, conference).content.decode()
    assert "data-hidden-figures" in page and "data-average" not in page
    give_feedback(registration=people[2], seminar=own, rating=3, now=AFTER)
    page = _speaker_page(client, user, conference).content.decode()
    assert "data-average" in page and "3,0" in page
    assert "Hemlig" not in page  # neither names nor the comment


def test_speaker_found_by_verified_email(client, make_user, make_speaker, conference):
    from allauth.account.models import EmailAddress

    user = make_user(email="talare@example.org")
    make_speaker(email="Talare@Example.org")
    assert _speaker_page(client, user, conference).status_code == 404  # not verified yet
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    assert _speaker_page(client, user, conference).status_code == 200


def test_other_people_get_404_on_the_speaker_page(client, make_user, make_speaker, conference):
    make_speaker(email="someone@example.org", user=make_user())
    assert _speaker_page(client, make_user(), conference).status_code == 404


# --- Query counts -------------------------------------------------------------------------------------


def _fill(make_seminar, make_registration, make_booking, speaker, n):
    for i in range(n):
        seminar = make_seminar(speakers=[speaker], start=local(3, 8) + timedelta(minutes=i),
                               end=local(3, 9) + timedelta(minutes=i))
        for _ in range(2):
            person = make_registration()
            make_booking(person, seminar)
            give_feedback(registration=person, seminar=seminar, rating=4, comment="ok", now=AFTER)


@pytest.mark.parametrize("n", [2, 8])
def test_feedback_pages_query_counts_do_not_grow(client, organiser, make_user, make_speaker, make_seminar,
                                                 make_registration, make_booking, conference, n,
                                                 django_assert_num_queries):
    user = make_user()
    speaker = make_speaker(user=user)
    _fill(make_seminar, make_registration, make_booking, speaker, n)
    client.force_login(organiser)
    with django_assert_num_queries(DESK_FEEDBACK_QUERIES):
        assert client.get(reverse("registration:desk_feedback", args=[conference.slug])).status_code == 200
    client.force_login(user)
    with django_assert_num_queries(SPEAKER_FEEDBACK_QUERIES):
        assert client.get(reverse("registration:speaker_feedback", args=[conference.slug])).status_code == 200


DESK_FEEDBACK_QUERIES = 7
SPEAKER_FEEDBACK_QUERIES = 9


@pytest.mark.parametrize("n", [2, 8])
def test_my_programme_with_ratings_query_count_does_not_grow(client, make_seminar, make_registration, make_booking,
                                                            make_room, conference, n, monkeypatch,
                                                            django_assert_num_queries):
    monkeypatch.setattr("django.utils.timezone.now", lambda: local(5, 12))
    person = make_registration()
    for i in range(n):
        seminar = make_seminar(room=make_room(), stream_url="https://meet.example.org/s", start=local(3, 8 + i),
                               end=local(3, 9 + i))
        make_booking(person, seminar)
        if i % 2:
            give_feedback(registration=person, seminar=seminar, rating=4, now=local(5, 12))
    client.force_login(person.user)
    with django_assert_num_queries(MY_PROGRAMME_QUERIES):
        page = client.get(reverse("registration:my_programme", args=[conference.slug]))
    assert page.content.decode().count("/feedback/") == n - n // 2


MY_PROGRAMME_QUERIES = 14  # with the streamed plenaries (selectors.streamed_items_for)


def test_a_plenary_without_a_track_is_rated_and_the_desk_still_answers(client, organiser, make_seminar, make_room,
                                                                       make_registration, make_booking, door_staff):
    plenary = make_seminar(title="Invigning", kind="plenary", track=None, room=make_room())
    person = make_registration()
    admit(person, plenary, door_staff)  # a plenary's door admits everyone; no booking needed
    give_feedback(registration=person, seminar=plenary, rating=5, now=AFTER)
    make_seminar(title="Kaffe", kind="break", track=None, room=make_room())
    client.force_login(organiser)
    page = client.get(reverse("registration:desk_feedback", args=[plenary.conference.slug]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Invigning" in body and "Kaffe" not in body  # breaks are not rated


def test_breaks_and_exhibitions_are_not_rated(make_seminar, make_room, make_registration, door_staff):
    coffee = make_seminar(title="Kaffe", kind="break", track=None, room=make_room())
    person = make_registration()
    admit(person, coffee, door_staff)
    assert code_of(lambda: give_feedback(registration=person, seminar=coffee, rating=3, now=AFTER)) \
        == Code.FEEDBACK_NOT_ELIGIBLE
    assert request_feedback(conference=coffee.conference, now=AFTER) == 0


def test_a_speaker_scanned_in_does_not_take_the_rating_from_the_seated(seated, seminar, make_speaker, door_staff):
    from registration.selectors.checkpoints import seminar_checkpoint
    from registration.services.badges import current_speaker_badges
    from registration.services.door import check_in
    from sessions.models import SeminarSpeaker

    person = seated()
    speaker = make_speaker()
    SeminarSpeaker.objects.create(seminar=seminar, speaker=speaker, order=0)
    code = current_speaker_badges([speaker])[speaker.pk].code
    result = check_in(code=code, checkpoint=seminar_checkpoint(seminar), staff=door_staff, nonce="speaker-in-1",
                      now=local(3, 9, 50))
    assert result.verdict == Verdict.ADMITTED
    give_feedback(registration=person, seminar=seminar, rating=4, now=AFTER)  # still eligible
    assert Feedback.objects.filter(registration=person).exists()
