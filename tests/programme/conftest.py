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
