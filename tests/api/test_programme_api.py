"""The public programme API: published conferences only, no drafts, live seats, filters, ETags, errors."""

from datetime import date

from django.test import Client

from sessions.models import Conference, SeminarStatus
from tests.conftest import local

BASE = "/api/v1/conferences/mvt2016"


def test_conference_list_shows_only_published_conferences(conference):
    Conference.objects.create(name="Hemlig", slug="hemlig", venue="X", first_day=date(2017, 2, 1),
                              last_day=date(2017, 2, 2), is_published=False)
    answer = Client().get("/api/v1/conferences/")
    assert answer.status_code == 200
    assert [c["slug"] for c in answer.json()["results"]] == ["mvt2016"]
    assert Client().get("/api/v1/conferences/hemlig/").status_code == 404


def test_seminar_list_never_shows_drafts_and_shows_cancelled(make_seminar, make_room):
    published = make_seminar(title="Publicerat")
    cancelled = make_seminar(title="Inställt", status=SeminarStatus.CANCELLED, room=make_room())
    draft = make_seminar(title="Utkast", status=SeminarStatus.DRAFT, room=make_room())
    answer = Client().get(f"{BASE}/seminars/").json()
    codes = {s["code"]: s["status"] for s in answer["results"]}
    assert codes == {published.code: "published", cancelled.code: "cancelled"}
    assert Client().get(f"{BASE}/seminars/{draft.code}/").status_code == 404
    assert Client().get(f"{BASE}/seminars/{published.code.lower()}/").status_code == 200


def test_seminar_shows_live_seat_counts(make_seminar, make_registration, make_booking):
    seminar = make_seminar(capacity=2)
    make_booking(make_registration(), seminar)
    make_booking(make_registration(), seminar, status="waitlisted")
    make_booking(make_registration(), seminar, status="cancelled")
    make_booking(make_registration(category="digital"), seminar, status="watching")  # takes no seat
    seats = Client().get(f"{BASE}/seminars/{seminar.code}/").json()["seats"]
    assert seats == {"capacity": 2, "confirmed": 1, "waitlisted": 1, "watching": 1, "free": 1}


def test_seminar_filters_by_day_track_room_and_changed_since(conference, make_seminar, make_room, track):
    from sessions.models import Track

    other_track = Track.objects.create(conference=conference, name="Hälsa", slug="halsa")
    other_room = make_room()
    first = make_seminar(start=local(3, 10), end=local(3, 11))
    second = make_seminar(start=local(4, 10), end=local(4, 11), track=other_track, room=other_room)

    def codes(query):
        answer = Client().get(f"{BASE}/seminars/?{query}")
        assert answer.status_code == 200, answer.content
        return [s["code"] for s in answer.json()["results"]]

    assert codes("day=2016-02-04") == [second.code]
    assert codes("day=2017-01-01") == []
    assert codes("track=aldreomsorg") == [first.code]
    assert codes(f"room={other_room.pk}") == [second.code]
    from django.utils import timezone

    from sessions.models import Seminar

    Seminar.objects.filter(pk=first.pk).update(updated_at=timezone.now() - timezone.timedelta(days=2))
    since = (timezone.now() - timezone.timedelta(days=1)).isoformat()
    assert codes(f"changed_since={since.replace('+', '%2B')}") == [second.code]


def test_bad_filters_answer_400_with_code_and_fields(conference):
    answer = Client().get(f"{BASE}/seminars/?day=tomorrow&room=x")
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"day", "room"}
    assert answer["X-MVT-Code"] == "invalid"


def test_unknown_conference_answers_404_with_code(db):
    answer = Client().get("/api/v1/conferences/nope/seminars/")
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"


def test_errors_are_in_the_requests_language(conference):
    swedish = Client().get("/api/v1/conferences/nope/", HTTP_ACCEPT_LANGUAGE="sv").json()["detail"]
    english = Client().get("/api/v1/conferences/nope/", HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    assert english == "Not found."
    assert swedish != english


def test_etag_answers_304_until_seats_change(make_seminar, make_registration, make_booking):
    seminar = make_seminar()
    client = Client()
    first = client.get(f"{BASE}/seminars/")
    etag = first["ETag"]
    again = client.get(f"{BASE}/seminars/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    make_booking(make_registration(), seminar)
    changed = client.get(f"{BASE}/seminars/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_speakers_show_public_seminars_only_and_no_email(make_seminar, make_speaker, make_room):
    speaker = make_speaker(email="privat@example.org")
    public = make_seminar(speakers=[speaker])
    make_seminar(speakers=[speaker], status=SeminarStatus.DRAFT, room=make_room())
    hidden = make_speaker()
    make_seminar(speakers=[hidden], status=SeminarStatus.DRAFT, room=make_room())
    answer = Client().get(f"{BASE}/speakers/").json()
    assert [s["slug"] for s in answer["results"]] == [speaker.slug]
    assert answer["results"][0]["seminars"] == [public.code]
    assert "email" not in answer["results"][0]
    assert Client().get(f"{BASE}/speakers/{hidden.slug}/").status_code == 404


def test_pagination_pages_the_seminars(make_seminar, make_room):
    for hour in range(9, 14):
        make_seminar(start=local(3, hour), end=local(3, hour, 45))
    answer = Client().get(f"{BASE}/seminars/?page_size=2&page=3").json()
    assert answer["count"] == 5 and len(answer["results"]) == 1 and answer["next"] is None
    assert Client().get(f"{BASE}/seminars/?page=9").json()["code"] == "not_found"


def test_anonymous_clients_are_rate_limited(conference, settings):
    settings.API_RATE_ANONYMOUS = "3/min"
    client = Client()
    answers = [client.get("/api/v1/conferences/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    limited = client.get("/api/v1/conferences/")
    assert limited.json()["code"] == "throttled"
    assert int(limited["Retry-After"]) > 0


def test_schema_and_docs_are_served(db):
    yaml = Client().get("/api/schema/")
    assert yaml.status_code == 200 and b"openapi: 3" in yaml.content
    json = Client().get("/api/schema/?format=json")
    assert json.json()["openapi"].startswith("3.")
    for path, marker in (("/api/docs/", b"swagger-ui-bundle.js"), ("/api/docs/redoc/", b"redoc.standalone.js")):
        page = Client().get(path)
        assert page.status_code == 200 and marker in page.content
        # Everything from this site (vendored by drf-spectacular-sidecar), no inline script or style.
        assert b"//" not in page.content.replace(b"<!doctype", b"")
        assert b"<script>" not in page.content and b"<style" not in page.content
    script = Client().get("/api/docs/?script=")
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content


def test_a_plenary_has_no_seats_and_no_stream_link_ever_leaves(make_seminar, make_room):
    plenary = make_seminar(title="Öppning", kind="plenary", track=None, room=make_room(),
                           stream_url="https://stream.example.org/hemlig-lank")
    seminar = make_seminar(stream_url="https://stream.example.org/annan-hemlig")
    listed = Client().get(f"{BASE}/seminars/")
    by_code = {s["code"]: s for s in listed.json()["results"]}
    assert by_code[plenary.code]["kind"] == "plenary" and by_code[plenary.code]["seats"] is None
    assert by_code[plenary.code]["track"] is None
    assert by_code[seminar.code]["kind"] == "seminar" and by_code[seminar.code]["seats"]["capacity"] > 0
    for path in ["/seminars/", f"/seminars/{plenary.code}/", f"/seminars/{seminar.code}/"]:
        assert "stream.example.org" not in Client().get(BASE + path).content.decode()
