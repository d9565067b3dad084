"""Erasure (DESIGN invariant 13), the part that covers emails: the outbox and the organisers' message log.

There is no erase-a-person service yet; `erase_from_outbox` is the step it must call for emails.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.db.models import Q

from common.locking import lock

from ..models import EmailStatus, OutgoingEmail

ERASED_ADDRESS = "erased@invalid"


def erase_from_outbox(*, email: str, registration_ids=()) -> int:
    """Remove a person's personal data from every outbox row about them: rows linked to one of
    `registration_ids`, and rows sent to `email` whatever their link (account emails have no registration).

    The rows stay, so a message's recipient count and its delivery counts stay right: the address, the key
    (which holds the address), names and secrets in the parameters and the last error go. A row not sent yet
    is not sent any more. Returns how many rows were erased.
    """
    match = Q(to__iexact=email) if email else Q(pk__in=[])
    if registration_ids:
        match |= Q(registration_id__in=list(registration_ids))
    erased = 0
    with transaction.atomic():
        for row in lock(OutgoingEmail.objects.filter(match).exclude(to=ERASED_ADDRESS)):
            row.key = "erased|" + hashlib.sha256(row.key.encode()).hexdigest()
            row.to = ERASED_ADDRESS
            row.registration = None
            row.params = {k: v for k, v in row.params.items() if k in KEPT_PARAMS}
            row.last_error = ""
            if row.status in (EmailStatus.PENDING, EmailStatus.SENDING):
                row.status, row.lease_until = EmailStatus.FAILED, None
            row.save(update_fields=["key", "to", "registration", "params", "last_error", "status", "lease_until"])
            erased += 1
    return erased


# Ids of the things an email was about, never about the person: what the rows may keep.
KEPT_PARAMS = frozenset({"message", "role", "booking", "released", "kept"})
