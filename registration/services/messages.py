"""Organisers' messages: one text to a group of people, an outbox email per recipient, sent once per form."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from sessions.models import Conference, Seminar

from ..emails import message_email
from ..errors import Code, MessageError
from ..models import Audience, Message
from ..selectors.messages import message_recipients


def send_message(
    *, conference: Conference, audience: str, seminar: Seminar | None, subject: str, body: str,
    subject_en: str = "", body_en: str = "", author, token: str, now: datetime | None = None,
) -> tuple[Message, bool]:
    """Write the message, one outbox email per recipient (each address once) and their tasks, in one
    transaction. Returns (message, True), or (the earlier message, False) when a message with this `token`
    exists already: posting the same form twice sends it once.

    Raises MessageError: seminar_required (a seminar audience without a seminar of this conference),
    no_recipients (the group is empty now).
    """
    now = now or timezone.now()
    earlier = Message.objects.filter(token=token).first()
    if earlier is not None:
        return earlier, False
    if audience in Audience.for_seminar():
        if seminar is None or seminar.conference_id != conference.pk:
            raise MessageError(Code.SEMINAR_REQUIRED)
    else:
        seminar = None
    try:
        with transaction.atomic():
            recipients = message_recipients(conference, audience, seminar)
            if not recipients:
                raise MessageError(Code.NO_RECIPIENTS)
            message = Message.objects.create(
                conference=conference, audience=audience, seminar=seminar, subject=subject, body=body,
                subject_en=subject_en if body_en else "", body_en=body_en if subject_en else "", author=author,
                token=token, sent_at=now, recipient_count=len(recipients),
            )
            for person in recipients:
                message_email(message, person, now=now)
    except IntegrityError:
        # The same form, posted twice at once: the other request's message won the token.
        earlier = Message.objects.filter(token=token).first()
        if earlier is None:
            raise
        return earlier, False
    return message, True
