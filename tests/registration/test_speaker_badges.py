"""Speakers' badges: one code format with attendees', admitted as speakers at any open door, scans recorded,
never admitted once revoked; a PDF batch from the desk."""

import itertools

import pypdfium2
import pytest
import zxingcpp
from django.utils import translation

from registration.models import Booking, Scan, SpeakerBadge, Verdict
from registration.selectors.checkpoints import entrance_checkpoint, seminar_checkpoint
from registration.selectors.door import checkpoint_counts
from registration.services import badges
from registration.services.badges import current_speaker_badges, issue_speaker_badge
from registration.services.door import ROLE_SPEAKER, check_in
from registration.views.door_display import ScanDisplay
from sessions.models import Conference, SeminarStatus, Speaker
from tests.conftest import local

NOW = local(3, 9, 30)
_nonce = itertools.count(1)


@pytest.fixture
def scan(door_staff):
    def do(code, checkpoint, now=NOW, **kwargs):
        kwargs.setdefault("nonce", f"speaker-nonce-{next(_nonce):06d}")
        return check_in(code=code, checkpoint=checkpoint, staff=door_staff, now=now, **kwargs)

    return do


@pytest.fixture
def speaker(make_speaker):
    return make_speaker(name="Åsa Öberg", organisation="Region Östergötland", email="asa@example.org")


@pytest.fixture
def badge(speaker):
    return current_speaker_badges([speaker])[speaker.pk]


def test_speaker_badge_code_has_the_attendee_format(badge):
    assert badges.CODE_RE.match(badge.code)
    assert badges.qr_payload(badge) == f"MVT:{badge.code}"


def test_speaker_is_admitted_at_the_entrance_and_the_scan_is_recorded(scan, conference, badge):
    result = scan(f"MVT:{badge.code}", entrance_checkpoint(conference, conference.first_day))
    assert result.verdict == Verdict.ADMITTED
    assert result.role == ROLE_SPEAKER
    assert result.admits
    assert result.name == "Åsa Öberg"
    row = Scan.objects.get()
    assert (row.speaker_badge, row.registration, row.verdict) == (badge, None, Verdict.ADMITTED)


def test_speaker_is_admitted_at_any_published_seminar_door_without_a_seat(scan, make_seminar, badge):
    other = make_seminar(title="Someone else's seminar")  # the speaker does not speak here
    result = scan(badge.code, seminar_checkpoint(other), now=local(3, 9, 0))  # an hour before: no too_early
    assert result.verdict == Verdict.ADMITTED
    with translation.override("sv"):
        assert ScanDisplay(result).category == "Talare"
    assert ScanDisplay(result).as_json()["role"] == "speaker"
    assert not Booking.objects.exists()


def test_speaker_does_not_take_an_attendees_seat(scan, make_seminar, make_registration, badge, speaker,
                                                  make_booking):
    seminar = make_seminar(capacity=1)
    attendee = make_registration()
    make_booking(attendee, seminar)
    door = seminar_checkpoint(seminar)
    assert scan(badge.code, door).verdict == Verdict.ADMITTED
    assert checkpoint_counts(door)["checked_in"] == 0
    assert scan(badges.current_badge(attendee).code, door).verdict == Verdict.ADMITTED


def test_speaker_coming_back_through_a_seminar_door_is_let_in_again(scan, make_seminar, badge):
    door = seminar_checkpoint(make_seminar())
    first = scan(badge.code, door)
    again = scan(badge.code, door)
    assert (first.verdict, again.verdict) == (Verdict.ADMITTED, Verdict.ALREADY_SCANNED)
    assert again.admits
    assert again.first_scan_at == first.scan.at
    assert Scan.objects.filter(verdict=Verdict.ADMITTED).count() == 1
    assert Scan.objects.count() == 2


def test_revoked_speaker_badge_is_never_admitted(scan, conference, speaker, badge):
    issue_speaker_badge(speaker)
    result = scan(badge.code, entrance_checkpoint(conference, conference.first_day))
    assert result.verdict == Verdict.REVOKED
    assert not result.admits
    assert Scan.objects.get().verdict == Verdict.REVOKED


def test_speaker_at_a_cancelled_seminar_door_is_refused(scan, make_seminar, badge):
    seminar = make_seminar(status=SeminarStatus.CANCELLED)
    assert scan(badge.code, seminar_checkpoint(seminar)).verdict == Verdict.CANCELLED


def test_speaker_on_another_day_is_not_today(scan, conference, badge):
    result = scan(badge.code, entrance_checkpoint(conference, conference.last_day))
    assert result.verdict == Verdict.NOT_TODAY


def test_speaker_badge_of_another_conference_is_unknown(scan, conference, badge):
    other = Conference.objects.create(name="MVT2017", slug="mvt2017", venue="Kista", first_day=conference.first_day,
                                      last_day=conference.last_day)
    result = scan(badge.code, entrance_checkpoint(other, other.first_day))
    assert result.verdict == Verdict.UNKNOWN


def test_speaker_nonce_retry_counts_once(scan, conference, badge):
    door = entrance_checkpoint(conference, conference.first_day)
    first = scan(badge.code, door, nonce="speaker-retry-1")
    again = scan(badge.code, door, nonce="speaker-retry-1")
    assert (first.verdict, again.verdict) == (Verdict.ADMITTED, Verdict.ADMITTED)
    assert again.role == ROLE_SPEAKER
    assert Scan.objects.count() == 1


def test_reissue_leaves_one_valid_speaker_badge(speaker, badge):
    new = issue_speaker_badge(speaker)
    assert new.code != badge.code
    assert list(SpeakerBadge.objects.filter(speaker=speaker, revoked_at__isnull=True)) == [new]
    assert current_speaker_badges([speaker])[speaker.pk] == new


# --- The PDF batch from the desk ---------------------------------------------------------------------------


def decode_pages(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    texts = []
    for page in document:
        image = page.render(scale=3).to_pil()
        texts += [r.text for r in zxingcpp.read_barcodes(image)]
    return texts


def test_speaker_badge_batch_is_one_badge_per_speaker_of_a_published_seminar(
    client, organiser, make_speaker, make_seminar, speaker,
):
    drafted = make_speaker(name="Only in a draft")
    cancelled = make_speaker(name="Only in a cancelled seminar")
    make_seminar(speakers=[speaker, make_speaker(name="Bo Ek")])
    make_seminar(speakers=[speaker])
    make_seminar(speakers=[drafted], status=SeminarStatus.DRAFT)
    make_seminar(speakers=[cancelled], status=SeminarStatus.CANCELLED)
    client.force_login(organiser)
    response = client.post("/staff/desk/mvt2016/speaker-badges/", {"layout": "a6"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "mvt2016" in response["Content-Disposition"]
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    codes = decode_pages(pdf)
    valid = {f"MVT:{b.code}": b.speaker.name for b in SpeakerBadge.objects.filter(revoked_at__isnull=True)}
    assert sorted(valid[c] for c in codes) == ["Bo Ek", "Åsa Öberg"]
    assert SpeakerBadge.objects.filter(printed_at__isnull=False).count() == 2
    assert not SpeakerBadge.objects.filter(speaker__in=[drafted, cancelled]).exists()


def test_speaker_badge_batch_without_speakers_says_so(client, organiser, conference):
    client.force_login(organiser)
    response = client.post("/staff/desk/mvt2016/speaker-badges/", {"layout": "a6"}, follow=True)
    assert response.status_code == 200
    assert "Inga talare" in response.content.decode()


def test_speaker_badge_batch_is_for_organisers_only(client, door_staff, conference):
    client.force_login(door_staff)
    assert client.post("/staff/desk/mvt2016/speaker-badges/", {"layout": "a6"}).status_code == 403


def test_speaker_badge_batch_with_a_bad_layout_is_a_clear_error(client, organiser, speaker, make_seminar):
    make_seminar(speakers=[speaker])
    client.force_login(organiser)
    response = client.post("/staff/desk/mvt2016/speaker-badges/", {"layout": "poster"}, follow=True)
    assert response.status_code == 200
    assert not SpeakerBadge.objects.exists()


def test_speaker_is_still_a_programme_speaker(speaker):
    # The badge lives in registration; the programme's Speaker is unchanged and can be deleted.
    current_speaker_badges([speaker])
    Speaker.objects.filter(pk=speaker.pk).delete()
    assert not SpeakerBadge.objects.exists()
