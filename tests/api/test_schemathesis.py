"""Schemathesis against the served OpenAPI description: generated requests to every operation, public ones
without a token and organiser ones with a token of every scope, answer no 5xx and nothing the description
does not allow (status, content type, headers, body). Bounded (API_EXAMPLES per operation, 10 by default)."""

import os
import zlib

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.models import Scope
from api.services import create_token
from mvt.wsgi import application
from registration.models import Booking, Scan

EXAMPLES = int(os.environ.get("API_EXAMPLES", "10"))
try:
    from schemathesis.checks import not_a_server_error
except ImportError:  # where it lives moved between releases
    from schemathesis.specs.openapi.checks import not_a_server_error
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
bounded = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                   suppress_health_check=list(HealthCheck))


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Schemathesis calls the WSGI application itself, whose request signals would close the database connection
    (and the test's transaction with it); Django's test client switches that off the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_world(conference, make_seminar, make_speaker, make_user, organiser, door_staff, settings):
    """Real objects for the path parameters to name; generous rate limits, so every answer is a real one."""
    from registration.models import Registration

    settings.API_RATE_ANONYMOUS = settings.API_RATE_TOKEN = "100000/min"
    speaker = make_speaker()
    seminar = make_seminar(speakers=[speaker], capacity=1)
    user = make_user()
    person = Registration.objects.create(conference=conference, user=user, email=user.email, name="Deltagare",
                                         organisation_type="company", organisation_name="Exempel AB")
    booking = Booking.objects.create(registration=person, seminar=seminar, status="confirmed",
                                     queued_at=seminar.start)
    Scan.objects.create(nonce="n1", checkpoint=f"seminar-{seminar.code}", seminar=seminar, conference=conference,
                        registration=person, staff=door_staff, verdict="admitted")
    _token, secret = create_token(conference=conference, name="Schemathesis", scopes=Scope.values,
                                  created_by=organiser)
    return {
        "secret": secret,
        "values": {"conference": conference.slug, "code": seminar.code, "slug": speaker.slug,
                   "public_id": str(booking.public_id)},
        "registration": str(person.public_id),
    }


# Loaded when the module is collected, from the served description (building it reads no table). Not through
# schemathesis.pytest.from_fixture: its lazy loader breaks on pytest 9 (it sets Function._nodeid).
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
# The coverage phase (boundary values of every parameter) is not bounded by max_examples; API_COVERAGE=1 adds it.
schema.config.phases.coverage.enabled = os.environ.get("API_COVERAGE") == "1"


def aim_at_real_objects(case, world):
    """Three generated path values in four are replaced by real ones (chosen by the value's checksum, so runs
    repeat), so that the operations answer with bodies and not only 404."""
    for name, value in list((case.path_parameters or {}).items()):
        real = world["values"].get(name)
        if name == "public_id" and "registrations" in case.path:
            real = world["registration"]
        if real is not None and zlib.crc32(str(value).encode()) % 4:
            case.path_parameters[name] = real


@schema.include(tag="programme").parametrize()
@bounded
def test_public_operations_keep_to_the_description(case, api_world):
    aim_at_real_objects(case, api_world)
    case.call_and_validate(checks=CHECKS)


@schema.exclude(tag="programme").parametrize()
@bounded
def test_organiser_operations_keep_to_the_description(case, api_world):
    aim_at_real_objects(case, api_world)
    case.call_and_validate(checks=CHECKS, headers={"Authorization": f"Bearer {api_world['secret']}"})
