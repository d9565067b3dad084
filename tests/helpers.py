"""Helpers for tests (imported by test modules; fixtures live in conftest.py)."""

from django.core import mail


def deliver_emails() -> list:
    """Run the outbox worker in this process until no task is due, as `manage.py run_worker --once`
    does, and return Django's test outbox (the messages the worker sent)."""
    from unittest import mock

    from django_tasks_db.management.commands import db_worker

    from registration.outbox import recover_lost_emails

    recover_lost_emails()
    # The worker closes "old" connections between tasks; inside a test's transaction that would close it.
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        db_worker.Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                         max_tasks=None, worker_id="test-worker", excluded_queue_names=[]).run()
    return mail.outbox
