"""Migration 0014: existing registrations get updated_at from when they were made, claimed or cancelled."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone


@pytest.mark.django_db(transaction=True)
def test_existing_registrations_are_stamped_with_their_latest_moment():
    before = [("registration", "0013_message_audience_watch_places")]
    after = [("registration", "0014_registration_updated_at")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    conference = old.get_model("programme", "Conference").objects.create(
        slug="old", name="Old", first_day="2016-02-03", last_day="2016-02-04")
    Registration = old.get_model("registration", "Registration")
    made = timezone.now() - timedelta(days=30)
    cancelled_at = made + timedelta(days=3)
    plain = Registration.objects.create(conference=conference, name="A", email="a@example.org")
    cancelled = Registration.objects.create(conference=conference, name="B", email="b@example.org",
                                            cancelled_at=cancelled_at, claimed_at=made + timedelta(days=1))
    Registration.objects.update(created_at=made)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new = executor.loader.project_state(after).apps.get_model("registration", "Registration")
    assert new.objects.get(pk=plain.pk).updated_at == made
    assert new.objects.get(pk=cancelled.pk).updated_at == cancelled_at

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
