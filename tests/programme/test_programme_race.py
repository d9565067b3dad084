"""Two organisers saving at once cannot double-book a room or a speaker (PostgreSQL, real connections)."""

import time

import pytest
from django.db import connection
from django.db.models.query import QuerySet

from sessions import services
from sessions.models import Seminar, SeminarStatus
from sessions.services import save_seminar
from tests.concurrency import run_at_once
from tests.conftest import local

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="true concurrency needs PostgreSQL; SQLite "
                       "serialises all writers, so a race cannot happen there"),
]


@pytest.fixture
def slow_check(monkeypatch):
    """Widen the window between checking the programme and writing the seminar, so a missing lock shows."""
    real = services.check_conflicts

    def slow(*args, **kwargs):
        problems = real(*args, **kwargs)
        time.sleep(0.3)
        return problems

    monkeypatch.setattr(services, "check_conflicts", slow)


def saver(conference, track, room, title, speaker_ids=None):
    def save():
        seminar = Seminar(conference=conference, track=track, room=room, title=title, start=local(3, 10),
                          end=local(3, 11), status=SeminarStatus.PUBLISHED)
        save_seminar(seminar=seminar, speaker_ids=speaker_ids)

    return save


@pytest.mark.django_db(transaction=True)
def test_two_organisers_cannot_book_one_room_at_once(conference, track, room, slow_check):
    errors = run_at_once([saver(conference, track, room, "Först"), saver(conference, track, room, "Också först")])

    assert [getattr(e, "code", e) for e in errors] == ["conflict"]
    assert Seminar.objects.filter(room=room).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_organisers_cannot_book_one_speaker_at_once(conference, track, make_room, make_speaker, slow_check):
    anna = make_speaker()
    errors = run_at_once([
        saver(conference, track, make_room(capacity=100), "Sal ett", [anna.pk]),
        saver(conference, track, make_room(capacity=100), "Sal två", [anna.pk]),
    ])

    assert [getattr(e, "code", e) for e in errors] == ["conflict"]
    assert Seminar.objects.filter(seminar_speakers__speaker=anna).count() == 1


@pytest.mark.django_db(transaction=True)
def test_negative_control_without_the_locks_the_room_is_double_booked(
    conference, track, room, slow_check, monkeypatch,
):
    """Proves the tests above can see a race at all: with row locks switched off, both seminars get the room."""
    monkeypatch.setattr(QuerySet, "select_for_update", lambda self, *args, **kwargs: self)

    errors = run_at_once([saver(conference, track, room, "Först"), saver(conference, track, room, "Också först")])

    assert errors == []
    assert Seminar.objects.filter(room=room).count() == 2
