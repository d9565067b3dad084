"""Real races on PostgreSQL: coordinators' tabs adding colleagues to one delegation at once never pass 20."""

import time

import pytest
from django.db import connection

from registration.models import RegistrationStatus
from registration.services import registrations as registration_service
from registration.services.registrations import Member, add_delegation_members, register_delegation
from tests.concurrency import run_at_once

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="true concurrency needs PostgreSQL; SQLite "
                       "serialises all writers, so a race cannot happen there"),
]


@pytest.fixture
def slow_check(monkeypatch):
    """Widen the window between counting the members and adding the new ones, so a missing lock shows."""
    real = registration_service._email_taken

    def slow(conference, emails):
        taken = real(conference, emails)
        time.sleep(0.05)
        return taken

    monkeypatch.setattr(registration_service, "_email_taken", slow)


def race(conference, make_user):
    delegation = register_delegation(
        coordinator=make_user(), conference=conference, organisation_name="Exempel AB",
        members=[Member(f"Kollega {i}", f"k{i}@example.org") for i in range(16)],
        organisation_type="company", category="staff",
    )
    batches = [[Member(f"Ny {t}-{i}", f"ny{t}-{i}@example.org") for i in range(2)] for t in range(6)]
    errors = run_at_once([lambda b=b: add_delegation_members(delegation=delegation, members=b) for b in batches])
    return delegation, errors


@pytest.mark.django_db(transaction=True)
def test_six_tabs_adding_two_each_to_sixteen_stop_at_twenty(conference, make_user, slow_check):
    delegation, errors = race(conference, make_user)
    assert {getattr(e, "code", None) for e in errors} <= {"delegation_size", "busy"}, errors
    assert delegation.members.filter(status=RegistrationStatus.ACTIVE).count() == 20
    assert sum(1 for e in errors if e.code == "delegation_size") == 4


@pytest.mark.django_db(transaction=True)
def test_negative_control_without_the_lock_the_delegation_grows_past_twenty(conference, make_user, slow_check,
                                                                            monkeypatch):
    """Proves the test above can see a race at all: with the delegation lock switched off, it overfills."""
    monkeypatch.setattr(registration_service, "lock_one", lambda queryset, pk: queryset.get(pk=pk))
    delegation, _errors = race(conference, make_user)
    assert delegation.members.filter(status=RegistrationStatus.ACTIVE).count() > 20
