"""A database connection dropped between two requests costs a read-only request nothing: it is retried once on a
fresh connection. Writes are never retried."""

import psycopg
import pytest
from django.db import connection
from django.test import Client

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("terminating a server backend needs PostgreSQL")
    yield
    if connection.connection is not None and not connection.is_usable():
        connection.close()  # so that emptying the tables after the test has a connection


def terminate_this_connection():
    """Kill the server side of Django's connection from a second connection, as a failover or an idle
    timeout in a pooler would."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]


@pytest.fixture
def attendee_client(make_registration):
    registration = make_registration()
    client = Client(raise_request_exception=False)
    client.force_login(registration.user)
    return client


def test_a_page_after_the_connection_was_dropped_answers_normally(attendee_client, settings):
    assert attendee_client.get("/mvt2016/me/").status_code == 200
    terminate_this_connection()
    assert attendee_client.get("/mvt2016/me/").status_code == 200


def test_a_form_post_after_the_connection_was_dropped_is_not_retried(attendee_client, make_seminar):
    seminar = make_seminar()
    assert attendee_client.get("/mvt2016/me/").status_code == 200
    terminate_this_connection()
    response = attendee_client.post(f"/mvt2016/seminars/{seminar.code}/book/")
    assert response.status_code == 500


def test_connections_are_health_checked_before_reuse(settings):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
