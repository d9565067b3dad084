"""Fixtures for the programme tests (the shared builders live in tests/conftest.py)."""

import pytest

from sessions.signals import seminar_changed


@pytest.fixture
def changes_sent():
    """Every `seminar_changed` signal sent while the test runs, as (seminar, changes, previous) tuples."""
    sent = []

    def receiver(sender, seminar, changes, previous, **kwargs):
        sent.append((seminar, changes, previous))

    seminar_changed.connect(receiver, dispatch_uid="progtests-changes-sent")
    yield sent
    seminar_changed.disconnect(dispatch_uid="progtests-changes-sent")


@pytest.fixture
def other_conference(db):
    """A second, published edition, for rules that must not mix conferences."""
    from datetime import date

    from sessions.models import Conference

    return Conference.objects.create(name="MVT2017", slug="mvt2017", venue="Kistamässan", is_published=True,
                                     first_day=date(2017, 2, 1), last_day=date(2017, 2, 2))
