"""Fixtures for the programme tests (the shared builders live in tests/conftest.py)."""

import pytest

from sessions import ports


@pytest.fixture
def changes_sent():
    """Every change the programme hands to the bookings port while the test runs, as (seminar, changes,
    before) tuples, recorded as the port is called (inside the change's transaction)."""
    sent = []
    real = ports.bookings()

    class Recording:
        def __getattr__(self, name):
            return getattr(real, name)

        def apply_change(self, seminar, before, changes):
            sent.append((seminar, changes, before))
            return real.apply_change(seminar, before, changes)

    ports.register_bookings(Recording())
    yield sent
    ports.register_bookings(real)


@pytest.fixture
def other_conference(db):
    """A second, published edition, for rules that must not mix conferences."""
    from datetime import date

    from sessions.models import Conference

    return Conference.objects.create(name="MVT2017", slug="mvt2017", venue="Kistamässan", is_published=True,
                                     first_day=date(2017, 2, 1), last_day=date(2017, 2, 2))
