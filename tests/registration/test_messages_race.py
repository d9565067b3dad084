"""Two posts of the same send form at the same moment make one message (PostgreSQL: real concurrency)."""

import pytest
from django.db import connection

from registration.models import Audience, Message, OutgoingEmail
from registration.services.messages import send_message
from tests.concurrency import run_at_once

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="true concurrency needs PostgreSQL; SQLite "
                       "serialises all writers, so a race cannot happen there"),
]


@pytest.mark.django_db(transaction=True)
def test_the_same_form_posted_at_once_from_four_tabs_sends_once(conference, make_registration, monkeypatch):
    from registration.services import messages as service

    for _ in range(3):
        make_registration()
    # Widen the window between "no message with this token yet" and the insert, so all four pass the check.
    real = service.message_recipients

    def slow(*args, **kwargs):
        import time

        people = real(*args, **kwargs)
        time.sleep(0.2)
        return people

    monkeypatch.setattr(service, "message_recipients", slow)
    outcomes = []

    def post():
        outcomes.append(send_message(conference=conference, audience=Audience.REGISTERED, seminar=None,
                                     subject="Hej", body="Välkomna!", author=None, token="r" * 32)[1])

    assert run_at_once([post] * 4) == []
    assert sorted(outcomes) == [False, False, False, True]
    assert Message.objects.count() == 1
    assert OutgoingEmail.objects.filter(organiser_message__isnull=False).count() == 3
