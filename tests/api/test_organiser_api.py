"""The organisers' API: scoped tokens for one conference, other conferences' objects 404, book and cancel
through the booking services, token use logged."""

from datetime import date, timedelta

from django.test import Client
from django.utils import timezone

from api.models import ApiToken, ApiTokenUse
from api.services import USES_KEPT, record_use, revoke_token
from registration.models import Booking, Scan
from sessions.models import Conference, SeminarStatus
from tests.api.conftest import token_client
from tests.helpers import deliver_emails

BASE = "/api/v1/conferences/mvt2016"


def test_registrations_need_a_token(conference, make_registration):
    make_registration()
    answer = Client().get(f"{BASE}/registrations/")
    assert answer.status_code == 401
    assert answer.json()["code"] == "not_authenticated"
    assert answer["WWW-Authenticate"] == "Bearer"


def test_a_programme_only_token_is_refused_attendee_data(make_token, make_registration):
    make_registration(name="Anna Andersson")
    client = token_client(make_token("programme:read"))
    for path in ("registrations/", "bookings/", "check-ins/"):
        answer = client.get(f"{BASE}/{path}")
        assert answer.status_code == 403, path
        assert answer.json()["code"] == "permission_denied"
        assert b"Anna" not in answer.content
    assert client.get(f"{BASE}/seminars/").status_code == 200


def test_a_registrations_token_lists_its_conferences_registrations(make_token, make_registration):
    person = make_registration(name="Anna Andersson", accessibility_needs="Rullstol")
    answer = token_client(make_token("registrations:read")).get(f"{BASE}/registrations/")
    assert answer.status_code == 200
    [row] = answer.json()["results"]
    assert row["id"] == str(person.public_id) and row["name"] == "Anna Andersson"
    assert "accessibility_needs" not in row and b"Rullstol" not in answer.content


def test_another_conferences_objects_answer_404(conference, make_token, make_registration, make_seminar,
                                                make_booking, organiser):
    other = Conference.objects.create(name="MVT2017", slug="mvt2017", venue="Kista", first_day=date(2017, 2, 1),
                                      last_day=date(2017, 2, 2), is_published=True)
    theirs = make_registration(conference=other, name="Bo Berg")
    mine = make_registration()
    booking = make_booking(mine, make_seminar())
    client = token_client(make_token("registrations:read", "bookings:read", "bookings:write", "checkins:read"))
    # Their objects exist (a token of their conference sees them) ...
    their_client = token_client(make_token("registrations:read", "bookings:read", "bookings:write", conference=other))
    assert their_client.get(f"/api/v1/conferences/mvt2017/registrations/{theirs.public_id}/").status_code == 200
    # ... but not for this conference's token: neither through their conference nor through ours.
    for path in (f"/api/v1/conferences/mvt2017/registrations/{theirs.public_id}/",
                 "/api/v1/conferences/mvt2017/registrations/", "/api/v1/conferences/mvt2017/bookings/",
                 "/api/v1/conferences/mvt2017/check-ins/", f"{BASE}/registrations/{theirs.public_id}/"):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert b"Bo Berg" not in answer.content
    assert their_client.get(f"/api/v1/conferences/mvt2017/bookings/{booking.public_id}/").status_code == 404
    assert their_client.post(f"/api/v1/conferences/mvt2017/bookings/{booking.public_id}/cancel/").status_code == 404
    assert client.get(f"{BASE}/bookings/{booking.public_id}/").status_code == 200


def test_revoked_and_expired_tokens_answer_401(conference, make_token, organiser):
    secret = make_token("registrations:read")
    client = token_client(secret)
    assert client.get(f"{BASE}/registrations/").status_code == 200
    revoke_token(token=ApiToken.objects.get())
    answer = client.get(f"{BASE}/registrations/")
    assert answer.status_code == 401 and answer.json()["code"] == "authentication_failed"
    expired = make_token("registrations:read", expires_at=timezone.now() - timedelta(seconds=1))
    assert token_client(expired).get(f"{BASE}/registrations/").status_code == 401
    assert token_client(secret + "x").get(f"{BASE}/registrations/").status_code == 401
    assert token_client("mvt_nonsense").get("/api/v1/conferences/").status_code == 401


def test_only_the_hash_of_the_secret_is_stored(make_token):
    secret = make_token("programme:read")
    token = ApiToken.objects.get()
    assert secret.startswith(f"mvt_{token.prefix}_")
    assert secret not in str(ApiToken.objects.values().get())


def test_book_on_behalf_confirms_then_lines_and_emails(make_token, make_registration, make_seminar):
    seminar = make_seminar(capacity=1)
    first, second = make_registration(), make_registration()
    client = token_client(make_token("bookings:write", "bookings:read"))
    answer = client.post(f"{BASE}/bookings/", {"registration": str(first.public_id), "seminar": seminar.code},
                         content_type="application/json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["status"] == "confirmed" and answer.json()["position"] is None
    answer = client.post(f"{BASE}/bookings/", {"registration": str(second.public_id), "seminar": seminar.code},
                         content_type="application/json")
    assert answer.json()["status"] == "waitlisted" and answer.json()["position"] == 1
    again = client.post(f"{BASE}/bookings/", {"registration": str(second.public_id), "seminar": seminar.code},
                        content_type="application/json")
    assert again.json()["id"] == answer.json()["id"] and again.json()["position"] == 1
    line = client.get(f"{BASE}/seminars/{seminar.code}/line/").json()["results"]
    assert [(row["position"], row["registration"]) for row in line] == [(1, str(second.public_id))]
    sent = deliver_emails()
    assert sorted(message.to[0] for message in sent) == sorted([first.email, second.email])


def test_book_on_behalf_refusals_carry_the_booking_code(make_token, make_registration, make_seminar):
    seminar = make_seminar(capacity=1)
    make_registration()
    client = token_client(make_token("bookings:write"))
    client.post(f"{BASE}/bookings/", {"registration": str(make_registration().public_id), "seminar": seminar.code},
                content_type="application/json")
    answer = client.post(f"{BASE}/bookings/", {"registration": str(make_registration().public_id),
                                               "seminar": seminar.code, "waitlist": False},
                         content_type="application/json")
    assert answer.status_code == 409
    assert answer.json()["code"] == "full" and answer["X-MVT-Code"] == "full"
    assert answer.json()["detail"]


def test_book_on_behalf_refuses_drafts_and_unknown_people(make_token, make_registration, make_seminar):
    draft = make_seminar(status=SeminarStatus.DRAFT)
    client = token_client(make_token("bookings:write"))
    answer = client.post(f"{BASE}/bookings/", {"registration": "4c5e0a3e-3a4e-4f0e-9d8a-7c1d2b3a4f5e",
                                               "seminar": draft.code}, content_type="application/json")
    assert answer.status_code == 400
    assert set(answer.json()["fields"]) == {"registration", "seminar"}
    assert not Booking.objects.exists()


def test_a_read_token_cannot_book(make_token, make_registration, make_seminar):
    seminar = make_seminar()
    answer = token_client(make_token("bookings:read")).post(
        f"{BASE}/bookings/", {"registration": str(make_registration().public_id), "seminar": seminar.code},
        content_type="application/json")
    assert answer.status_code == 403
    assert not Booking.objects.exists()


def test_cancel_on_behalf_promotes_the_first_in_line(make_token, make_registration, make_seminar, make_booking):
    seminar = make_seminar(capacity=1)
    seat = make_booking(make_registration(), seminar)
    waiting = make_booking(make_registration(), seminar, status="waitlisted")
    answer = token_client(make_token("bookings:write")).post(f"{BASE}/bookings/{seat.public_id}/cancel/")
    assert answer.status_code == 200
    assert answer.json()["booking"]["status"] == "cancelled" and answer.json()["promoted"] == 1
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_check_ins_list_scans_without_staff_or_raw_codes(conference, make_token, make_registration, door_staff):
    person = make_registration()
    Scan.objects.create(nonce="n1", checkpoint="entrance-2016-02-03", conference=conference, registration=person,
                        staff=door_staff, verdict="admitted")
    Scan.objects.create(nonce="n2", checkpoint="entrance-2016-02-03", conference=conference, staff=door_staff,
                        verdict="unknown", raw_code="HEMLIG-KOD")
    answer = token_client(make_token("checkins:read")).get(f"{BASE}/check-ins/?verdict=admitted")
    [row] = answer.json()["results"]
    assert row["registration"] == str(person.public_id) and row["verdict"] == "admitted"
    all_rows = token_client(make_token("checkins:read")).get(f"{BASE}/check-ins/")
    assert b"HEMLIG" not in all_rows.content and door_staff.email.encode() not in all_rows.content


def test_token_use_is_logged_without_personal_data(make_token, make_registration):
    person = make_registration()
    client = token_client(make_token("registrations:read"))
    client.get(f"{BASE}/registrations/{person.public_id}/")
    client.get(f"{BASE}/bookings/")
    uses = list(ApiTokenUse.objects.order_by("id").values_list("method", "operation", "status"))
    assert uses == [("GET", "registration", 200), ("GET", "bookings", 403)]
    assert ApiToken.objects.get().last_used_at is not None


def test_token_use_log_keeps_only_the_newest_rows(make_token, settings):
    make_token("programme:read")
    token = ApiToken.objects.get()
    ApiTokenUse.objects.bulk_create([ApiTokenUse(token=token, method="GET", operation="old", status=200)
                                     for _ in range(USES_KEPT + 5)])
    record_use(token=token, method="GET", operation="new", status=200)
    assert ApiTokenUse.objects.count() == USES_KEPT
    assert ApiTokenUse.objects.order_by("-id").first().operation == "new"


def test_tokens_are_rate_limited_per_token(make_token, settings):
    settings.API_RATE_TOKEN = "2/min"
    first, second = token_client(make_token("programme:read")), token_client(make_token("programme:read"))
    assert [first.get("/api/v1/conferences/").status_code for _ in range(3)] == [200, 200, 429]
    assert second.get("/api/v1/conferences/").status_code == 200


def test_changed_since_finds_registrations_edited_claimed_cancelled_or_erased(make_token, make_registration,
                                                                              make_user):
    from urllib.parse import quote

    from registration.models import Registration
    from registration.services.privacy import erase_registration
    from registration.services.registrations import cancel_registration, update_registration

    edited, cancelled, erased, untouched = (make_registration(name=f"Person {n}") for n in range(4))
    cancel_registration(registration=erased)  # long ago: erasing it later is its change
    Registration.objects.update(created_at=timezone.now() - timedelta(days=2),
                                updated_at=timezone.now() - timedelta(days=2))
    since = timezone.now() - timedelta(hours=1)
    client = token_client(make_token("registrations:read"))

    def changed() -> set:
        answer = client.get(f"{BASE}/registrations/?changed_since={quote(since.isoformat())}")
        assert answer.status_code == 200
        return {row["id"] for row in answer.json()["results"]}

    assert changed() == set()
    update_registration(registration=edited, name="Ny Namnsdotter")
    cancel_registration(registration=cancelled)
    erase_registration(registration=erased)
    assert changed() == {str(r.public_id) for r in (edited, cancelled, erased)}
    assert str(untouched.public_id) not in changed()
