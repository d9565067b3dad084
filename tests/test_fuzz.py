"""Fuzzing over HTTP: every URL pattern with hostile parameters and query strings, and generated bodies posted
to every form endpoint, as anonymous, attendee, coordinator, door staff and organiser: never a 5xx.

Bounded for the suite (FUZZ_EXAMPLES sets the examples per test, 25 by default); bench/fuzz_http.py runs the
same tests longer and counts, instead of stopping at the first 5xx (FUZZ_REPORT)."""

import json
import os
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registration.models import Booking, Registration
from registration.services.badges import issue_badge
from registration.services.messages import send_message
from registration.services.registrations import Member, register_delegation
from tests.fuzz import ENCODINGS, METHODS, QUERY_KEYS, encode, form_bodies, form_fields, hostile_text, routes, send

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
REPORT = os.environ.get("FUZZ_REPORT")  # bench mode: record every answer instead of failing on a 5xx
ROLES = ["anonymous", "attendee", "coordinator", "door_staff", "organiser"]
ROUTES = routes()
ADMIN_OBJECT = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/<path:object_id>/")
fuzz_settings = settings(max_examples=EXAMPLES, deadline=None, derandomize=not REPORT, database=None,
                         suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                                HealthCheck.data_too_large])


@pytest.fixture
def world(conference, track, room, make_seminar, make_speaker, make_user, door_staff, organiser):
    """One of everything a URL can name, and a logged-in client per role."""
    speaker = make_speaker()
    seminar = make_seminar(speakers=[speaker])
    user = make_user()
    attendee = Registration.objects.create(conference=conference, user=user, email=user.email, name="Deltagare",
                                           organisation_type="company", organisation_name="Exempel AB")
    booking = Booking.objects.create(registration=attendee, seminar=seminar, status="confirmed",
                                     queued_at=seminar.start - timedelta(days=14))
    issue_badge(attendee)
    coordinator = make_user()
    delegation = register_delegation(coordinator=coordinator, conference=conference, organisation_name="Kommunen",
                                     members=[Member("Kollega Ett", "ett@example.org")],
                                     organisation_type="company", category="staff")
    member = Registration.objects.get(delegation=delegation)
    message, _created = send_message(conference=conference, audience="registered", seminar=None, subject="Hej",
                                     body="Välkomna!", author=organiser, token="f" * 32)
    users = {"attendee": attendee.user, "coordinator": coordinator, "door_staff": door_staff,
             "organiser": organiser}
    values = {
        "conference": conference.slug, "code": seminar.code, "checkpoint": f"entrance-{conference.first_day}",
        "registration": str(attendee.public_id), "member": str(member.public_id), "day": str(conference.first_day),
        "slug": speaker.slug, "track": track.slug, "room": str(room.pk), "token": "x" * 43, "key": "x" * 20,
        "uidb36": "1", "content_type_id": "1", "object_id": "1", "id": str(attendee.user.pk),
        "app_label": "registration", "url": "no-such-page/", "message": str(message.public_id),
        "speaker": str(speaker.pk),
    }
    ids = {"cancel_booking": str(booking.public_id)}
    return {"users": users, "values": values, "ids": ids, "delegation": str(delegation.public_id)}


def client_for(world, role: str) -> Client:
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


def valid_values(world, route) -> dict[str, str]:
    values = dict(world["values"])
    values["public_id"] = world["ids"].get(route.name, world["delegation"])
    admin = ADMIN_OBJECT.match(route.route)
    if admin:
        model = apps.get_model(admin["app"], admin["model"])
        first = model._default_manager.order_by("pk").first()
        values["object_id"] = str(first.pk) if first else "1"
    return values


class Answers:
    """Counts requests and 5xx answers; in bench mode keeps them for the report instead of failing."""

    requests = 0
    errors: list = []

    @classmethod
    def check(cls, response, method, path):
        cls.requests += 1
        if response.status_code < 500:
            return
        exc = getattr(response, "exc_info", None)
        summary = f"{method} {path[:200]!r} -> {response.status_code} {exc[1]!r}"[:600] if exc else \
            f"{method} {path[:200]!r} -> {response.status_code}"
        if REPORT:
            cls.errors.append(summary)
        else:
            raise AssertionError(summary)


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    if REPORT:
        with open(REPORT, "a") as out:
            out.write(json.dumps({"requests": Answers.requests, "errors": Answers.errors}) + "\n")


def test_the_fuzzer_sees_every_url_pattern():
    assert len(ROUTES) > 150 and any(r.name == "door_scan" for r in ROUTES)


@pytest.mark.parametrize("role", ROLES)
def test_every_url_pattern_with_valid_values_answers_without_5xx(world, role):
    client = client_for(world, role)
    for route in ROUTES:
        path = route.fill(valid_values(world, route))
        Answers.check(client.get(path), "GET", path)


@pytest.mark.parametrize("role", ROLES)
def test_hostile_path_values_and_query_strings_never_answer_5xx(world, role):
    client = client_for(world, role)

    @fuzz_settings
    @given(data=st.data())
    def run(data):
        route = data.draw(st.sampled_from(ROUTES))
        values = valid_values(world, route)
        for name in route.params:
            if data.draw(st.booleans()):
                values[name] = data.draw(hostile_text)
        query = data.draw(st.dictionaries(st.sampled_from(QUERY_KEYS), hostile_text, max_size=3))
        path = route.fill(values)
        method = data.draw(st.sampled_from(["GET", "GET", "HEAD"]))
        Answers.check(send(client, method, path, None, None, query), method, path)

    run()


@pytest.mark.parametrize("role", ROLES)
def test_generated_form_bodies_never_answer_5xx(world, role):
    client = client_for(world, role)
    forms = {}
    for route in ROUTES:  # every endpoint, with the fields its page shows this role
        path = route.fill(valid_values(world, route))
        page = client.get(path)
        # Downloads (CSV, XLSX, PDF) stream and hold no forms.
        html = page.status_code == 200 and not page.streaming
        forms[path] = form_fields(page.content.decode("utf-8", "replace")) if html else []

    @fuzz_settings
    @given(data=st.data())
    def run(data):
        path = data.draw(st.sampled_from(sorted(forms)))
        pairs = data.draw(form_bodies(forms[path]))
        method = data.draw(st.sampled_from(["POST"] * 4 + METHODS))
        body, content_type = encode(pairs, data.draw(st.sampled_from(ENCODINGS)))
        Answers.check(send(client, method, path, body, content_type), method, path)

    run()
