"""The email outbox: promised emails are rows written with the change; a worker sends them.

`enqueue_email` is called inside the transaction of the change that promises the email. It writes an
OutgoingEmail row and a task row (django-tasks' database backend), so either both exist after commit or
neither does. The task (`deliver_email`) runs in a worker process: it takes a short lease on the row,
renders the message in the recipient's language, sends it with a Message-ID derived from the row's key,
and records the outcome. A failed send is retried with exponential back-off by enqueueing a new task
with a later `run_after` (the framework has no retries of its own); after MAX_ATTEMPTS the row is marked
failed, which organisers see in the admin. `recover_lost_emails` (run by the worker between batches)
re-enqueues rows whose task died with its worker. Web requests never talk to SMTP.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

try:  # Django 6 ships the tasks framework; 5.2 uses the django-tasks backport.
    from django.tasks import task
except ImportError:  # pragma: no cover - depends on the Django version
    from django_tasks import task

from common.errors import BusyError
from common.locking import lock

from .models import EmailStatus, OutgoingEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


def _setting(name: str, default):
    return getattr(settings, name, default)


def retry_delay(attempts: int) -> timedelta:
    """Back-off after the n-th failed attempt: base, 2×base, 4×base … capped at an hour."""
    base = float(_setting("OUTBOX_RETRY_BASE_SECONDS", 30))
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def lease_length() -> timedelta:
    """How long a worker may take to send one message before another worker may try it again."""
    return timedelta(seconds=float(_setting("OUTBOX_LEASE_SECONDS", 120)))


def message_id_for(key: str) -> str:
    """Stable per key, and keyed with SECRET_KEY, so the Message-ID tells nothing about the key's parts."""
    digest = hmac.new(settings.SECRET_KEY.encode(), key.encode(), hashlib.sha256).hexdigest()[:40]
    domain = urlsplit(settings.SITE_URL).hostname or "mvt.invalid"
    return f"<{digest}@{domain}>"


def make_key(kind: str, to: str, obj: str, revision) -> str:
    """(kind, recipient, object, revision) as one string, the recipient as a keyed hash: the key is also the
    task row's argument, which outlives an erased person's OutgoingEmail rows, so it must not hold the
    address. Long parts are hashed to fit the column."""
    recipient = hmac.new(settings.SECRET_KEY.encode(), to.lower().encode(), hashlib.sha256).hexdigest()[:24]
    key = f"{kind}|{recipient}|{obj}|{revision}"
    if len(key) > 255:
        key = f"{kind}|{hashlib.sha256(key.encode()).hexdigest()}"
    return key


def enqueue_email(
    *, kind: str, to: str, obj: str, revision, params: dict, language: str = "sv", registration=None,
    organiser_message=None, now: datetime | None = None,
) -> None:
    """Promise one email. Call inside the transaction of the change that causes it.

    Idempotent per (kind, recipient, object, revision): a second promise keeps the first row (its extra
    task finds the row sent, leased or pending, and the lease stops two sends at once). Two INSERTs, no
    read first. `params` must be JSON: ids and small values the renderer needs (see registration.emails).
    """
    now = now or timezone.now()
    key = make_key(kind, to, obj, revision)
    with transaction.atomic():  # both rows or neither, also when called outside a transaction (allauth)
        result = deliver_email.enqueue(key)
        OutgoingEmail.objects.bulk_create([OutgoingEmail(
            key=key, kind=kind, to=to, language=language or "sv", params=params, registration=registration,
            organiser_message=organiser_message, message_id=message_id_for(key), next_attempt_at=now,
            task_id=str(result.id),
        )], ignore_conflicts=True)


def _schedule(email: OutgoingEmail, *, at: datetime | None) -> None:
    """Enqueue another task that delivers `email` (at `at`, or as soon as a worker is free)."""
    job = deliver_email.using(run_after=at) if at is not None else deliver_email
    result = job.enqueue(email.key)
    email.task_id = str(result.id)
    OutgoingEmail.objects.filter(pk=email.pk).update(task_id=email.task_id)


@task()
def deliver_email(key: str) -> str:
    """Send the outbox row with this key once. Returns what happened ("sent", "retry", "failed", or why it
    was skipped)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            rows = lock(OutgoingEmail.objects.filter(key=key))
            if not rows:
                return "missing"
            email = rows[0]
            if email.status in (EmailStatus.SENT, EmailStatus.FAILED):
                return f"already {email.status}"
            if email.status == EmailStatus.SENDING and email.lease_until and email.lease_until > now:
                return "leased"
            email.status = EmailStatus.SENDING
            email.lease_until = now + lease_length()
            email.attempts += 1
            email.save(update_fields=["status", "lease_until", "attempts"])
    except BusyError:
        return "busy"

    from .emails import build_message

    try:
        message = build_message(email)
        message.send()
    except Exception as error:
        return _record_failure(email, error)
    # Only this attempt's lease is settled: if it ran out and another worker took over, that one records.
    OutgoingEmail.objects.filter(pk=email.pk, status=EmailStatus.SENDING, attempts=email.attempts).update(
        status=EmailStatus.SENT, sent_at=timezone.now(), subject=message.subject[:255], last_error="",
        lease_until=None, params=_without_secrets(email.params),
    )
    return "sent"


# One-time links (claim links, allauth's verification and reset keys) are kept only until they are sent.
SECRET_PARAMS = frozenset({"claim_url", "text", "html"})


def _without_secrets(params: dict) -> dict:
    return {key: value for key, value in params.items() if key not in SECRET_PARAMS}


def _record_failure(email: OutgoingEmail, error: Exception) -> str:
    text = f"{type(error).__name__}: {error}"[:2000]
    logger.warning("Email %s (%s to %s) failed, attempt %d: %s", email.pk, email.kind, email.to, email.attempts, text)
    mine = OutgoingEmail.objects.filter(pk=email.pk, status=EmailStatus.SENDING, attempts=email.attempts)
    with transaction.atomic():
        if email.attempts >= MAX_ATTEMPTS:
            mine.update(status=EmailStatus.FAILED, last_error=text, lease_until=None,
                        params=_without_secrets(email.params))
            return "failed"
        at = timezone.now() + retry_delay(email.attempts)
        # Unless another worker took over after our lease ran out (and perhaps sent it meanwhile).
        if not mine.update(status=EmailStatus.PENDING, last_error=text, lease_until=None, next_attempt_at=at):
            return "superseded"
        _schedule(email, at=at)
    return "retry"


def recover_lost_emails(*, now: datetime | None = None, grace: timedelta = timedelta(seconds=30)) -> int:
    """Re-enqueue promised emails whose task was lost: its worker died while running it (the task row is
    stuck RUNNING, or the row's lease ran out mid-send), or the task ended without settling the row.

    Returns how many were re-enqueued. Safe to run from several workers at once: a duplicate task finds
    the row sent or leased and does nothing.
    """
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    candidates = list(
        OutgoingEmail.objects.filter(
            Q(status=EmailStatus.PENDING, next_attempt_at__lte=now - grace)
            | Q(status=EmailStatus.SENDING, lease_until__lte=now)
        ).order_by("pk")[:500]
    )
    if not candidates:
        return 0
    tasks = DBTaskResult.objects.in_bulk([e.task_id for e in candidates if e.task_id])
    stale_start = now - lease_length()
    lost = []
    for email in candidates:
        job = tasks.get(_uuid_or_none(email.task_id))
        ended = job is None or job.status in ("FAILED", "SUCCESSFUL")
        stuck = job is not None and job.status == "RUNNING" and job.started_at and job.started_at < stale_start
        if email.status == EmailStatus.SENDING or ended or stuck:
            lost.append(email)
    recovered = 0
    for email in lost:
        with transaction.atomic():
            # Only if the row is still as we read it: a worker may have sent or leased it meanwhile (its task
            # ended between our two reads), and then it must not be put back.
            still_lost = OutgoingEmail.objects.filter(
                pk=email.pk, status=email.status, attempts=email.attempts, lease_until=email.lease_until,
                task_id=email.task_id,
            ).update(status=EmailStatus.PENDING, lease_until=None, next_attempt_at=now)
            if still_lost:
                _schedule(email, at=None)
                recovered += 1
    if recovered:
        logger.warning("Re-enqueued %d emails whose worker was lost", recovered)
    return recovered


def _uuid_or_none(value: str):
    import uuid

    try:
        return uuid.UUID(value)
    except (TypeError, ValueError):
        return None
