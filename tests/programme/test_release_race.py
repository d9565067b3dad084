"""Two organisers publishing a release at once get one release, not two with one number (PostgreSQL)."""

import time

import pytest
from django.db import IntegrityError, connection
from django.db.models.query import QuerySet

from sessions import releases
from sessions.models import Release
from sessions.releases import ReleaseCode, publish_release
from tests.concurrency import run_at_once

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="true concurrency needs PostgreSQL; SQLite "
                       "serialises all writers, so a race cannot happen there"),
]


@pytest.fixture
def slow_snapshot(monkeypatch):
    """Widen the window between reading the latest release and writing the next one."""
    real = releases.programme_snapshot

    def slow(conference):
        snapshot = real(conference)
        time.sleep(0.3)
        return snapshot

    monkeypatch.setattr(releases, "programme_snapshot", slow)


def publisher(conference):
    return lambda: publish_release(conference=conference)


@pytest.mark.django_db(transaction=True)
def test_two_organisers_publishing_at_once_make_one_release(conference, make_seminar, slow_snapshot):
    make_seminar()
    errors = run_at_once([publisher(conference), publisher(conference)])
    assert [getattr(e, "code", e) for e in errors] == [ReleaseCode.NOTHING_CHANGED]
    assert list(Release.objects.values_list("number", flat=True)) == [1]


@pytest.mark.django_db(transaction=True)
def test_negative_control_without_the_lock_both_take_number_one(conference, make_seminar, slow_snapshot,
                                                                monkeypatch):
    monkeypatch.setattr(QuerySet, "select_for_update", lambda self, *args, **kwargs: self)
    make_seminar()
    errors = run_at_once([publisher(conference), publisher(conference)])
    assert [type(e) for e in errors] == [IntegrityError]  # only the unique constraint stopped the second
