"""Door scanning: check_in's verdicts, idempotency, races, and who may reach the door pages."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override as translation_override

from registration.models import Badge, Booking, BookingStatus, Scan, Verdict
from registration.selectors import door as door_selectors
from registration.selectors.checkpoints import entrance_checkpoint, seminar_checkpoint
from registration.services import badges, door
from registration.services.badges import current_badge, issue_badge, normalise_code
from registration.services.door import check_in
from registration.views.door_display import ScanDisplay
from sessions.models import LOCAL_TZ, SeminarStatus
from tests.conftest import local

NOW = local(3, 9, 30)  # the first conference day, 09:30 in Stockholm


@pytest.fixture
def nonce():
    counter = iter(range(1, 10**6))
    return lambda: f"test-nonce-{next(counter):06d}"


@pytest.fixture
def entrance(conference):
    return entrance_checkpoint(conference, conference.first_day)


@pytest.fixture
def scan(door_staff, nonce):
    def do(code, checkpoint, **kwargs):
        kwargs.setdefault("nonce", nonce())
        kwargs.setdefault("now", NOW)
        return check_in(code=code, checkpoint=checkpoint, staff=door_staff, **kwargs)

    return do


# --- Badge codes ------------------------------------------------------------------------------------


def test_badge_code_is_random_base32_without_personal_data(make_registration):
    reg = make_registration(name="Åsa Öberg", email="asa@example.org")
    badge = current_badge(reg)
    assert len(badge.code) == 26
    assert badges.CODE_RE.match(badge.code)
    assert "ASA" not in badge.code or badge.code.count("ASA") <= 1  # nothing derived from the name
    assert current_badge(reg) == badge  # stable until reissued
    assert badges.qr_payload(badge) == f"MVT:{badge.code}"


def test_issue_badge_revokes_the_old_one(make_registration):
    reg = make_registration()
    old = current_badge(reg)
    new = issue_badge(reg)
    old.refresh_from_db()
    assert old.revoked_at is not None
    assert new.revoked_at is None and new.code != old.code
    assert Badge.objects.filter(registration=reg, revoked_at__isnull=True).count() == 1
    assert current_badge(reg) == new


def test_normalise_code_accepts_prefix_case_spaces_and_urls():
    code = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    assert normalise_code(f"  mvt:{code.lower()}\n") == code
    assert normalise_code("ABCD EFGH-IJKL MNOP QRST UVWX YZ") == code
    assert normalise_code(f"https://example.org/b/{code}/") == code


# --- Entrance ---------------------------------------------------------------------------------------


def test_entrance_admits_then_welcomes_back_counting_once(make_registration, entrance, scan):
    reg = make_registration(name="Åsa Öberg")
    code = current_badge(reg).code
    first = scan(code, entrance)
    assert first.verdict == Verdict.ADMITTED and first.admits
    assert first.name == "Åsa Öberg"
    again = scan(f"MVT:{code}", entrance, now=NOW + timedelta(hours=2))
    assert again.verdict == Verdict.ALREADY_SCANNED
    assert again.admits  # re-entry is allowed at the entrance
    assert again.first_scan_at == first.scan.at
    expected = timezone.localtime(first.scan.at, LOCAL_TZ).strftime("%H:%M")
    assert expected in ScanDisplay(again).message
    assert Scan.objects.filter(checkpoint=entrance.key, verdict=Verdict.ADMITTED).count() == 1
    assert Scan.objects.count() == 2


def test_same_nonce_returns_the_first_verdict_and_counts_once(make_registration, entrance, scan):
    code = current_badge(make_registration()).code
    first = scan(code, entrance, nonce="retry-nonce-1")
    retry = scan(code, entrance, nonce="retry-nonce-1")
    assert first.verdict == retry.verdict == Verdict.ADMITTED
    assert retry.scan.pk == first.scan.pk
    assert Scan.objects.count() == 1


def test_every_single_character_change_is_unknown(make_registration, entrance, scan):
    code = current_badge(make_registration()).code
    for i, char in enumerate(code):
        other = "A" if char != "A" else "B"
        forged = code[:i] + other + code[i + 1:]
        assert scan(forged, entrance).verdict == Verdict.UNKNOWN
    assert scan(code, entrance).verdict == Verdict.ADMITTED


def test_unknown_code_is_logged_with_raw_code_truncated(entrance, scan):
    raw = "x" * 1000
    result = scan(raw, entrance)
    assert result.verdict == Verdict.UNKNOWN and not result.admits
    assert result.scan.raw_code == raw[:200]
    assert result.scan.registration is None
    assert scan("", entrance).verdict == Verdict.UNKNOWN


def test_badge_of_another_conference_is_unknown(make_registration, entrance, scan, conference):
    from sessions.models import Conference

    other = Conference.objects.create(name="MVT2017", slug="mvt2017", venue="X", first_day=conference.first_day,
                                      last_day=conference.last_day)
    reg = make_registration(conference=other)
    assert scan(current_badge(reg).code, entrance).verdict == Verdict.UNKNOWN


def test_revoked_badge_is_refused_and_new_one_admits(make_registration, entrance, scan):
    reg = make_registration()
    old = current_badge(reg)
    new = issue_badge(reg)
    result = scan(old.code, entrance)
    assert result.verdict == Verdict.REVOKED and not result.admits
    assert scan(new.code, entrance).verdict == Verdict.ADMITTED


def test_cancelled_registration_is_refused(make_registration, entrance, scan):
    reg = make_registration()
    code = current_badge(reg).code
    reg.status = "cancelled"
    reg.save()
    assert scan(code, entrance).verdict == Verdict.REVOKED


def test_entrance_of_another_day_is_not_today(make_registration, conference, scan):
    code = current_badge(make_registration()).code
    tomorrow = entrance_checkpoint(conference, conference.last_day)
    assert scan(code, tomorrow).verdict == Verdict.NOT_TODAY
    assert scan(code, tomorrow, now=local(4, 8)).verdict == Verdict.ADMITTED


def test_concurrent_admissions_lose_to_the_unique_constraint(make_registration, make_seminar, make_booking, scan,
                                                             monkeypatch):
    """The backstop: when the pre-check misses the first admission, the constraint turns it into already_scanned."""
    seminar = make_seminar()
    reg = make_registration()
    make_booking(reg, seminar)
    code = current_badge(reg).code
    first = scan(code, seminar_checkpoint(seminar))
    real = door._first_admitted
    calls = {"n": 0}

    def miss_once(*args):
        calls["n"] += 1
        return None if calls["n"] == 1 else real(*args)

    monkeypatch.setattr(door, "_first_admitted", miss_once)
    second = scan(code, seminar_checkpoint(seminar))
    assert calls["n"] == 1  # the pre-check missed; the constraint caught it
    assert second.verdict == Verdict.ALREADY_SCANNED
    assert second.first_scan_at == first.scan.at
    assert Scan.objects.filter(verdict=Verdict.ADMITTED).count() == 1


def test_walk_in_retry_books_once(make_registration, make_seminar, scan):
    seminar = make_seminar(capacity=2)
    reg = make_registration()
    checkpoint = seminar_checkpoint(seminar)
    first = scan(current_badge(reg).code, checkpoint, walk_in=True, nonce="walk-in-retry-1")
    retry = scan(current_badge(reg).code, checkpoint, walk_in=True, nonce="walk-in-retry-1")
    assert first.verdict == retry.verdict == Verdict.ADMITTED
    assert retry.scan.pk == first.scan.pk
    assert Scan.objects.count() == 1 and Booking.objects.count() == 1


# --- Seminar doors ----------------------------------------------------------------------------------


def test_seminar_booked_attendee_admitted(make_registration, make_seminar, make_booking, scan):
    seminar = make_seminar()
    reg = make_registration()
    make_booking(reg, seminar)
    result = scan(current_badge(reg).code, seminar_checkpoint(seminar))
    assert result.verdict == Verdict.ADMITTED
    assert result.scan.seminar == seminar
    assert result.scan.checkpoint == f"seminar-{seminar.code}"
    again = scan(current_badge(reg).code, seminar_checkpoint(seminar))
    assert again.verdict == Verdict.ALREADY_SCANNED and not again.admits


def test_seminar_without_booking_offers_walk_in(make_registration, make_seminar, make_booking, scan):
    seminar = make_seminar(capacity=2)
    reg = make_registration()
    waitlisted = make_registration()
    make_booking(waitlisted, seminar, status=BookingStatus.WAITLISTED)
    result = scan(current_badge(reg).code, seminar_checkpoint(seminar))
    assert result.verdict == Verdict.NO_BOOKING
    assert result.walk_in_possible
    assert scan(current_badge(waitlisted).code, seminar_checkpoint(seminar)).verdict == Verdict.NO_BOOKING


def test_walk_in_books_the_seat_and_admits(make_registration, make_seminar, scan):
    seminar = make_seminar(capacity=2)
    reg = make_registration()
    result = scan(current_badge(reg).code, seminar_checkpoint(seminar), walk_in=True)
    assert result.verdict == Verdict.ADMITTED
    assert result.scan.walk_in
    assert Booking.objects.get(registration=reg, seminar=seminar).status == BookingStatus.CONFIRMED


def test_walk_in_when_every_seat_is_booked_is_room_full(make_registration, make_seminar, make_booking, scan):
    seminar = make_seminar(capacity=1)
    make_booking(make_registration(), seminar)
    reg = make_registration()
    checkpoint = seminar_checkpoint(seminar)
    plain = scan(current_badge(reg).code, checkpoint)
    assert plain.verdict == Verdict.NO_BOOKING and not plain.walk_in_possible
    assert scan(current_badge(reg).code, checkpoint, walk_in=True).verdict == Verdict.ROOM_FULL
    assert not Booking.objects.filter(registration=reg).exists()


def test_room_full_counts_admitted_scans(make_registration, make_seminar, make_booking, scan):
    seminar = make_seminar(capacity=2)
    checkpoint = seminar_checkpoint(seminar)
    people = [make_registration() for _ in range(3)]
    for reg in people:  # three confirmed rows written past the service, as if capacity was lowered later
        make_booking(reg, seminar)
    verdicts = [scan(current_badge(reg).code, checkpoint).verdict for reg in people]
    assert verdicts == [Verdict.ADMITTED, Verdict.ADMITTED, Verdict.ROOM_FULL]


def test_cancelled_seminar(make_registration, make_seminar, make_booking, scan):
    seminar = make_seminar(status=SeminarStatus.CANCELLED)
    reg = make_registration()
    make_booking(reg, seminar)
    assert scan(current_badge(reg).code, seminar_checkpoint(seminar)).verdict == Verdict.CANCELLED


def test_seminar_on_another_day_is_not_today(make_registration, make_seminar, make_booking, scan):
    seminar = make_seminar(start=local(4, 10), end=local(4, 11))
    reg = make_registration()
    make_booking(reg, seminar)
    assert scan(current_badge(reg).code, seminar_checkpoint(seminar)).verdict == Verdict.NOT_TODAY


def test_door_counts(make_registration, make_seminar, make_booking, scan, conference, django_assert_max_num_queries):
    seminar = make_seminar(capacity=5)
    a, b = make_registration(), make_registration()
    make_booking(a, seminar)
    make_booking(b, seminar)
    scan(current_badge(a).code, seminar_checkpoint(seminar))
    scan(current_badge(a).code, entrance_checkpoint(conference, conference.first_day))
    with django_assert_max_num_queries(3):
        counts = door_selectors.door_counts(conference)
    assert counts[f"seminar-{seminar.code}"] == {"checked_in": 1, "booked": 2, "capacity": 5}
    assert counts[f"entrance-{conference.first_day.isoformat()}"]["checked_in"] == 1


# --- True concurrency (PostgreSQL) ------------------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_staff_scanning_one_badge_at_once_admit_once(make_registration, conference, door_staff, make_user):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for true concurrency")
    code = current_badge(make_registration()).code
    checkpoint = entrance_checkpoint(conference, conference.first_day)
    verdicts = []
    barrier = threading.Barrier(2)
    for _round in range(5):
        Scan.objects.all().delete()
        results = []

        def worker(i, results=results, round_=_round):
            from django.db import connections

            barrier.wait()
            try:
                results.append(check_in(code=code, checkpoint=checkpoint, staff=door_staff,
                                        nonce=f"race-{round_}-{i}", now=NOW).verdict)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        verdicts.append(sorted(results))
        assert Scan.objects.filter(verdict=Verdict.ADMITTED).count() == 1
    assert all(v == [Verdict.ADMITTED, Verdict.ALREADY_SCANNED] for v in verdicts)


# --- Pages ------------------------------------------------------------------------------------------


def scan_url(conference, key):
    return reverse("registration:door_scan", kwargs={"conference": conference.slug, "checkpoint": key})


def test_scan_endpoint_json(client, door_staff, today_conference, make_registration):
    reg = make_registration(name="Örjan Ek", accessibility_needs="Rullstol, hörslinga", category="speaker")
    code = current_badge(reg).code
    client.force_login(door_staff)
    url = scan_url(today_conference, f"entrance-{today_conference.first_day.isoformat()}")
    response = client.post(url, {"code": f"MVT:{code}", "nonce": "json-nonce-1"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    data = response.json()
    assert data["verdict"] == "admitted" and data["tone"] == "yes"
    assert data["name"] == "Örjan Ek"
    assert data["counts"]["checked_in"] == 1
    body = response.content.decode()
    assert reg.email not in body and "Rullstol" not in body and "hörslinga" not in body


def test_scan_page_works_without_javascript(client, door_staff, today_conference, make_registration):
    reg = make_registration(name="Åke Lind", email="ake@example.org", accessibility_needs="Teckentolk")
    client.force_login(door_staff)
    url = scan_url(today_conference, f"entrance-{today_conference.first_day.isoformat()}")
    page = client.get(url)
    assert page.status_code == 200
    nonce = page.context["form"].initial["nonce"]
    response = client.post(url, {"code": current_badge(reg).code, "nonce": nonce})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-verdict="admitted"' in html and "Åke Lind" in html
    assert "ake@example.org" not in html and "Teckentolk" not in html
    # The browser resubmits the same form: same nonce, same answer, counted once.
    again = client.post(url, {"code": current_badge(reg).code, "nonce": nonce})
    assert 'data-verdict="admitted"' in again.content.decode()
    assert Scan.objects.count() == 1


def test_walk_in_form_without_javascript(client, door_staff, today_conference, make_registration, make_seminar):
    start = timezone.now().replace(microsecond=0)
    seminar = make_seminar(start=start, end=start + timedelta(hours=1), capacity=3)
    reg = make_registration()
    client.force_login(door_staff)
    url = scan_url(today_conference, f"seminar-{seminar.code}")
    response = client.post(url, {"code": current_badge(reg).code, "nonce": "walk-in-nonce-1"})
    assert response.context["result"].verdict == "no_booking"
    walk_in = response.context["walk_in_form"]
    assert walk_in is not None
    response = client.post(url, {"code": walk_in.initial["code"], "nonce": walk_in.initial["nonce"], "walk_in": "True"})
    assert response.context["result"].verdict == "admitted"
    assert Booking.objects.filter(registration=reg, seminar=seminar, status="confirmed").exists()


@pytest.mark.parametrize("data", [{"code": "", "nonce": "good-nonce-1"}, {"code": "ABC", "nonce": "bad nonce!"},
                                  {"code": "ABC"}, {"code": "x" * 5000, "nonce": "good-nonce-2"}])
def test_bad_scan_input_is_a_clear_400(client, door_staff, today_conference, data):
    client.force_login(door_staff)
    url = scan_url(today_conference, f"entrance-{today_conference.first_day.isoformat()}")
    assert client.post(url, data).status_code == 400
    response = client.post(url, data, HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and response.json()["error"]
    assert Scan.objects.count() == 0


def test_unknown_checkpoint_is_404(client, door_staff, today_conference, make_seminar):
    client.force_login(door_staff)
    draft = make_seminar(status=SeminarStatus.DRAFT)
    for key in ["entrance-2001-01-01", "entrance-nonsense", "seminar-NOPE", f"seminar-{draft.code}", "office"]:
        assert client.get(scan_url(today_conference, key)).status_code == 404


def test_an_unpublished_conference_has_no_doors(client, door_staff, today_conference, make_seminar):
    seminar = make_seminar(status=SeminarStatus.PUBLISHED)
    today_conference.is_published = False
    today_conference.save()
    client.force_login(door_staff)
    door_list = reverse("registration:door_checkpoints", kwargs={"conference": today_conference.slug})
    assert client.get(door_list).status_code == 404
    for key in [f"entrance-{today_conference.first_day.isoformat()}", f"seminar-{seminar.code}"]:
        assert client.get(scan_url(today_conference, key)).status_code == 404
    assert seminar.title not in client.get(reverse("registration:door_home")).content.decode()


def test_attendee_cannot_open_the_scanner(client, make_user, today_conference):
    client.force_login(make_user())
    url = scan_url(today_conference, f"entrance-{today_conference.first_day.isoformat()}")
    assert client.get(url).status_code == 403
    assert client.post(url, {"code": "X", "nonce": "attendee-nonce"}).status_code == 403
    assert client.get(reverse("registration:door_counts", args=[today_conference.slug])).status_code == 403


def test_anonymous_is_sent_to_log_in(client, today_conference):
    response = client.get(reverse("registration:door_checkpoints", args=[today_conference.slug]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_door_staff_reach_neither_admin_nor_organiser_pages(client, door_staff, today_conference):
    client.force_login(door_staff)
    admin = client.get("/admin/programme/seminar/")
    assert admin.status_code == 302 and "login" in admin["Location"]
    assert client.get(reverse("registration:badge_batch", args=[today_conference.slug])).status_code == 403


def test_checkpoint_list_and_counts_json(client, door_staff, today_conference, make_seminar):
    start = timezone.now().replace(microsecond=0)
    seminar = make_seminar(start=start, end=start + timedelta(hours=1))
    client.force_login(door_staff)
    page = client.get(reverse("registration:door_checkpoints", args=[today_conference.slug]))
    assert page.status_code == 200
    assert scan_url(today_conference, f"seminar-{seminar.code}") in page.content.decode()
    data = client.get(reverse("registration:door_counts", args=[today_conference.slug])).json()
    assert data["counts"][f"seminar-{seminar.code}"]["capacity"] == seminar.capacity
    assert client.get(reverse("registration:door_home")).status_code == 302


def test_typed_digits_for_look_alike_letters_still_match():
    from registration.services.badges import normalise_code

    assert normalise_code("oxbq rhte vp55 dqqf of5s faj4 7a") == "OXBQRHTEVP55DQQFOF5SFAJ47A"
    assert normalise_code("0XBQ-RHTE-VP55-DQQF-0F5S-FAJ4-7A") == "OXBQRHTEVP55DQQFOF5SFAJ47A"
    assert normalise_code("1NTB8") == "INTBB"


def test_a_seminar_door_long_before_the_start_answers_with_the_time_it_opens(scan, make_registration, make_seminar,
                                                                             settings):
    """Issue 11, item 11: door staff cannot admit someone to the wrong seminar early."""
    settings.DOOR_OPENS_MINUTES_BEFORE = 30
    seminar = make_seminar(start=local(3, 13), end=local(3, 14))
    reg = make_registration()
    from registration.services.booking import book_seat

    book_seat(registration=reg, seminar=seminar, notify=False)
    early = scan(current_badge(reg).code, seminar_checkpoint(seminar), now=local(3, 12, 29))
    assert early.verdict == Verdict.TOO_EARLY and not early.admits
    with translation_override("en"):
        assert ScanDisplay(early).message == "Too early: this door opens at 12:30, the seminar starts at 13:00."
    assert scan(current_badge(reg).code, seminar_checkpoint(seminar), now=local(3, 12, 30)).verdict == (
        Verdict.ADMITTED)
    assert Scan.objects.filter(verdict=Verdict.TOO_EARLY).count() == 1  # recorded like every scan


def test_the_door_list_puts_now_and_next_first_and_filters_by_room(client, door_staff, today_conference,
                                                                   make_seminar, make_room):
    """Issue 11, item 11: two taps to the right door on a phone, not an 8000 px list."""
    now = timezone.now().replace(microsecond=0)
    hall = make_room(name="Stora salen")
    running = make_seminar(title="Pågår nu", room=hall, start=now - timedelta(minutes=10),
                           end=now + timedelta(minutes=50))
    later = make_seminar(title="Om fem timmar", start=now + timedelta(hours=5), end=now + timedelta(hours=6))
    client.force_login(door_staff)
    page = client.get(reverse("registration:door_checkpoints", args=[today_conference.slug])).content.decode()
    soon = page[page.index("soon-heading"):page.index(f"day-{today_conference.first_day.isoformat()}")]
    assert running.title in soon and later.title not in soon
    filtered = client.get(reverse("registration:door_checkpoints", args=[today_conference.slug]),
                          {"room": hall.pk}).content.decode()
    assert running.title in filtered and later.title not in filtered


def test_a_plenary_door_admits_every_registered_attendee(make_registration, make_seminar, scan):
    """Issue 11 item 9: nobody books a plenary; its door lets in any valid badge and welcomes back on re-entry,
    while a revoked badge still stays out."""
    plenary = make_seminar(kind="plenary", track=None, start=local(3, 9), end=local(3, 10), capacity=1)
    door_ = seminar_checkpoint(plenary)
    first, second = make_registration(), make_registration()
    assert scan(current_badge(first).code, door_).verdict == Verdict.ADMITTED
    assert scan(current_badge(second).code, door_).verdict == Verdict.ADMITTED  # no room_full, no booking
    again = scan(current_badge(first).code, door_)
    assert again.verdict == Verdict.ALREADY_SCANNED and again.admits
    old = current_badge(first).code
    issue_badge(first)
    assert scan(old, door_).verdict == Verdict.REVOKED
    assert not Booking.objects.exists()
