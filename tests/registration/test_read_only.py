"""A database that only reads (maintenance, failover) gets a maintenance answer, not "busy" and not a 500."""

import pytest
from django.db import connection

from registration.models import Booking

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="read-only transactions are a PostgreSQL setting"),
]


@pytest.fixture
def read_only_database():
    def switch(read_only: bool):
        with connection.cursor() as cursor:
            cursor.execute(f"SET SESSION CHARACTERISTICS AS TRANSACTION {'READ ONLY' if read_only else 'READ WRITE'}")

    yield switch
    switch(False)


@pytest.mark.django_db(transaction=True)
def test_booking_while_the_database_only_reads_says_maintenance(client, make_seminar, make_registration,
                                                                 read_only_database):
    seminar = make_seminar()
    registration = make_registration()
    client.force_login(registration.user)
    read_only_database(True)
    response = client.post(f"/mvt2016/seminars/{seminar.code}/book/", HTTP_ACCEPT="application/json")
    assert response.status_code == 503 and response.json()["code"] == "read_only"
    assert "maintenance" in response.json()["message"] or "underhåll" in response.json()["message"]
    read_only_database(False)
    assert not Booking.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_registering_while_the_database_only_reads_says_maintenance(client, conference, make_user, reference_data,
                                                                  read_only_database):
    from tests.registration.test_attendee_views import municipality_form

    client.force_login(make_user())
    read_only_database(True)
    response = client.post("/mvt2016/register/", municipality_form())
    assert "underhåll" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_write_without_a_service_lock_gets_the_maintenance_page(client, make_registration, read_only_database):
    registration = make_registration()
    client.force_login(registration.user)
    read_only_database(True)
    response = client.post("/mvt2016/me/calendar/")  # makes a feed address: a plain INSERT
    assert response.status_code == 503 and response["X-MVT-Code"] == "read_only"
    assert "underhåll" in response.content.decode()
