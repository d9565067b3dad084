"""Query counts of the API's lists stay flat as the data grows (two sizes each)."""

import pytest
from django.test import Client

from registration.models import Scan
from tests.api.conftest import token_client
from tests.conftest import local

BASE = "/api/v1/conferences/mvt2016"
# A token's request adds: the token (1), its use row (1) and trimming the log (1); last_used_at is written at
# most once a minute, so the measured (second) request does not write it.
TOKEN = 3


@pytest.fixture
def programme(make_seminar, make_speaker, make_room, make_registration, make_booking, conference, door_staff):
    def build(size):
        rooms = [make_room() for _ in range(3)]
        for n in range(size):
            seminar = make_seminar(room=rooms[n % 3], start=local(3, 9 + n // 3), end=local(3, 9 + n // 3, 45),
                                   speakers=[make_speaker(), make_speaker()])
            person = make_registration()
            booking = make_booking(person, seminar)
            make_booking(make_registration(), seminar, status="waitlisted")
            Scan.objects.create(nonce=f"n{booking.pk}", checkpoint=f"seminar-{seminar.code}", seminar=seminar,
                                conference=conference, registration=person, staff=door_staff, verdict="admitted")
        return seminar

    return build


@pytest.mark.parametrize("size", [2, 8])
@pytest.mark.parametrize(("path", "queries"), [
    ("/api/v1/conferences/", 2),
    ("/api/v1/conferences/mvt2016/", 1),
    (f"{BASE}/seminars/", 5),
    (f"{BASE}/seminars/?day=2016-02-03&track=aldreomsorg", 5),
    (f"{BASE}/speakers/", 4),
    (f"{BASE}/rooms/", 3),
    (f"{BASE}/tracks/", 3),
])
def test_public_lists(programme, size, path, queries, django_assert_num_queries):
    programme(size)
    client = Client()
    client.get(path)
    with django_assert_num_queries(queries):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("size", [2, 8])
def test_seminar_detail(programme, size, django_assert_num_queries):
    seminar = programme(size)
    with django_assert_num_queries(4):
        assert Client().get(f"{BASE}/seminars/{seminar.code}/").status_code == 200


@pytest.mark.parametrize("size", [2, 8])
@pytest.mark.parametrize(("path", "queries"), [
    (f"{BASE}/registrations/", 2),
    (f"{BASE}/bookings/", 2),
    (f"{BASE}/check-ins/", 2),
    ("LINE", 3),
])
def test_organiser_lists(programme, make_token, size, path, queries, django_assert_num_queries):
    seminar = programme(size)
    path = f"{BASE}/seminars/{seminar.code}/line/" if path == "LINE" else path
    client = token_client(make_token("registrations:read", "bookings:read", "checkins:read"))
    client.get(path)
    with django_assert_num_queries(TOKEN + queries):
        assert client.get(path).status_code == 200
