"""The email outbox with real parts: an SMTP server in the test, a real worker process killed mid-batch."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from registration.models import EmailStatus, OutgoingEmail
from registration.outbox import deliver_email, enqueue_email, recover_lost_emails
from registration.services.booking import book_seat
from tests.helpers import deliver_emails

ROOT = Path(__file__).resolve().parents[2]


class Sink:
    """An SMTP server's message handler that keeps what it accepts (optionally slowly)."""

    def __init__(self, delay: float = 0.0):
        self.messages = []
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def message_ids(self):
        return [m["Message-ID"] for m in self.messages]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback, and the app's SMTP backend pointed at it."""
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    sink.port, sink.controller = port, controller
    yield sink
    controller.stop()


@pytest.fixture
def booked_people(make_seminar, make_registration):
    seminar = make_seminar(title="Trygghetslarm", capacity=50)
    people = [make_registration() for _ in range(5)]
    for person in people:
        book_seat(registration=person, seminar=seminar)
    return seminar, people


def test_each_promised_email_reaches_the_smtp_server_exactly_once(smtp, booked_people):
    _seminar, people = booked_people
    deliver_emails()
    deliver_emails()  # a second worker run finds everything sent
    assert sorted(m["To"] for m in smtp.messages) == sorted(p.email for p in people)
    assert sorted(smtp.message_ids()) == sorted(OutgoingEmail.objects.values_list("message_id", flat=True))
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {EmailStatus.SENT}


def test_a_task_run_twice_sends_once(smtp, booked_people):
    email = OutgoingEmail.objects.first()
    assert deliver_email.call(email.key) == "sent"
    assert deliver_email.call(email.key) == "already sent"
    assert len(smtp.messages) == 1


def test_promising_the_same_email_twice_keeps_one_row_and_sends_once(smtp, make_registration):
    person = make_registration()
    for _ in range(2):
        enqueue_email(kind="registration.registered", to=person.email, obj=f"registration:{person.pk}",
                      revision=0, params={"registration": person.pk})
    assert OutgoingEmail.objects.count() == 1
    deliver_emails()
    assert [m["To"] for m in smtp.messages] == [person.email]


def test_smtp_down_loses_nothing_and_delivers_when_it_is_back(settings, booked_people):
    _seminar, people = booked_people
    port = free_port()  # nothing listens here yet
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    deliver_emails()
    rows = list(OutgoingEmail.objects.all())
    assert {r.status for r in rows} == {EmailStatus.PENDING}
    assert all(r.attempts == 1 and "Connection refused" in r.last_error for r in rows)
    retries = DBTaskResult.objects.filter(status="READY")
    assert retries.count() == 5 and all(t.run_after > timezone.now() for t in retries)  # backed off

    retries.update(run_after=timezone.now())  # the back-off has passed

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        deliver_emails()
    finally:
        controller.stop()
    assert sorted(m["To"] for m in sink.messages) == sorted(p.email for p in people)
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {EmailStatus.SENT}


def test_after_the_last_attempt_the_email_is_marked_failed_for_organisers(settings, booked_people, monkeypatch):
    from registration import outbox

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.OUTBOX_RETRY_BASE_SECONDS = 0
    monkeypatch.setattr(outbox, "MAX_ATTEMPTS", 2)
    deliver_emails()
    assert set(OutgoingEmail.objects.values_list("status", "attempts")) == {(EmailStatus.FAILED, 2)}



def test_an_email_whose_worker_died_mid_send_is_sent_again_with_the_same_message_id(smtp, settings, booked_people):
    """A worker took the lease and died before recording the send: after the lease, another sends it."""
    from datetime import timedelta

    email = OutgoingEmail.objects.order_by("pk").first()
    OutgoingEmail.objects.filter(pk=email.pk).update(status=EmailStatus.SENDING, attempts=1,
                                                     lease_until=timezone.now() - timedelta(seconds=1))
    DBTaskResult.objects.filter(id=email.task_id).update(status="RUNNING", started_at=timezone.now())
    assert recover_lost_emails() == 1
    deliver_emails()
    assert smtp.message_ids().count(email.message_id) == 1
    assert OutgoingEmail.objects.get(pk=email.pk).status == EmailStatus.SENT
    assert recover_lost_emails() == 0


def test_recovery_never_puts_back_an_email_sent_while_it_looked(smtp, booked_people, monkeypatch):
    """The race the two-worker rush found: the sweep reads a pending email, its task finishes (sent) before
    the sweep reads the task, and the task looks ended without settling the email."""
    from datetime import timedelta

    email = OutgoingEmail.objects.order_by("pk").first()
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=5))
    real_in_bulk = DBTaskResult.objects.in_bulk

    def worker_finishes_meanwhile(*args, **kwargs):
        assert deliver_email.call(email.key) == "sent"
        DBTaskResult.objects.filter(id=email.task_id).update(status="SUCCESSFUL")
        return real_in_bulk(*args, **kwargs)

    monkeypatch.setattr(DBTaskResult.objects, "in_bulk", worker_finishes_meanwhile)
    assert recover_lost_emails() == 0
    monkeypatch.undo()
    assert OutgoingEmail.objects.get(pk=email.pk).status == EmailStatus.SENT
    deliver_emails()
    assert smtp.message_ids().count(email.message_id) == 1


def test_a_send_that_fails_after_another_worker_took_over_does_not_undo_its_success(booked_people, monkeypatch):
    """Found in review: worker A's lease runs out mid-send, worker B sends and records it, then A's send
    fails: A must not put the email back in line (a third copy would follow)."""
    from django.core.mail.backends.locmem import EmailBackend

    email = OutgoingEmail.objects.order_by("pk").first()

    def taken_over_then_failing(self, messages):
        OutgoingEmail.objects.filter(pk=email.pk).update(status=EmailStatus.SENT, attempts=2)  # worker B
        raise TimeoutError("A's mail server connection timed out")

    monkeypatch.setattr(EmailBackend, "send_messages", taken_over_then_failing)
    assert deliver_email.call(email.key) == "superseded"
    assert OutgoingEmail.objects.get(pk=email.pk).status == EmailStatus.SENT


def test_the_message_id_does_not_reveal_the_recipient(booked_people):
    import hashlib

    email = OutgoingEmail.objects.first()
    assert hashlib.sha256(email.key.encode()).hexdigest()[:40] not in email.message_id
    assert email.to not in email.message_id


def test_neither_the_key_nor_the_task_row_holds_the_address(booked_people):
    """The task row outlives an erased person's email rows, so its argument carries no address."""
    for email in OutgoingEmail.objects.all():
        local_part = email.to.split("@")[0].lower()
        assert local_part not in email.key.lower()
        task = DBTaskResult.objects.get(id=email.task_id)
        assert local_part not in str(task.args_kwargs).lower()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_nothing_and_doubles_at_most_the_one_in_flight(
    make_seminar, make_registration,
):
    if connection.vendor != "postgresql":
        pytest.skip("the worker runs in another process, which cannot see SQLite's in-memory test database")
    seminar = make_seminar(title="Digital tillsyn", capacity=100)
    people = [make_registration() for _ in range(30)]
    for person in people:
        book_seat(registration=person, seminar=seminar)
    promised = set(OutgoingEmail.objects.values_list("message_id", flat=True))
    assert len(promised) == 30

    sink = Sink(delay=0.1)
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "OUTBOX_LEASE_SECONDS": "1",
    }
    env.pop("DATABASE_TEST_NAME", None)
    command = [sys.executable, "manage.py", "run_worker", "--interval", "0.1", "--verbosity", "0"]
    try:
        worker = subprocess.Popen(command, cwd=ROOT, env=env)
        deadline = time.monotonic() + 60
        while len(sink.messages) < 10 and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
        delivered_before_kill = len(sink.messages)
        assert 10 <= delivered_before_kill < 30, "the kill must land in the middle of the batch"

        time.sleep(1.2)  # the killed worker's lease on the message it was sending runs out
        worker = subprocess.Popen(command, cwd=ROOT, env=env)
        deadline = time.monotonic() + 90
        while OutgoingEmail.objects.exclude(status=EmailStatus.SENT).exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        worker.send_signal(signal.SIGTERM)
        worker.wait(20)
    finally:
        if worker.poll() is None:
            worker.kill()
        controller.stop()

    received = sink.message_ids()
    assert set(received) == promised  # every promised email arrived
    doubled = [mid for mid in set(received) if received.count(mid) > 1]
    assert len(received) - len(set(received)) <= 1 and len(doubled) <= 1
    assert recover_lost_emails() == 0
