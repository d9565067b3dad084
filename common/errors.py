"""One base for the errors a service raises on purpose: a stable code and a message fit to show.

Each app keeps its codes as enum members and their messages in one table (`messages`); views put the
code in the HTTP answer (a JSON field, or the `X-MVT-Code` header on a redirect), so scanners, the API
and benchmarks never have to match translated text.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import ClassVar

CODE_HEADER = "X-MVT-Code"


class AppError(Exception):
    """Raised by a service when it refuses. `code` is stable; `message` is translated for people.

    `AppError(Code.X, name="…")` takes the message from the class's table and fills it in;
    `AppError(Code.X, "a message")` gives it directly (for messages assembled from several parts).
    """

    messages: ClassVar[Mapping[str, str]] = {}

    def __init__(self, code: str, message: str | None = None, /, **params):
        self.code = code
        template = message if message is not None else self.messages[code]
        self.message = str(template) % params if params else str(template)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class CommonCode(StrEnum):
    BUSY = "busy"
    READ_ONLY = "read_only"


class BusyError(AppError):
    """A row another request holds stayed locked for longer than we are willing to wait."""

    def __init__(self, message: str | None = None):
        from django.utils.translation import gettext

        super().__init__(CommonCode.BUSY, message or gettext(
            "Many people are doing the same thing right now. Nothing was changed; please try again in a moment."
        ))


class ReadOnlyError(AppError):
    """The database only reads (maintenance, or a replica promoted for failover): changes must wait."""

    def __init__(self):
        from django.utils.translation import gettext

        super().__init__(CommonCode.READ_ONLY, gettext(
            "The system is in maintenance and cannot save changes right now. Nothing was changed; please try "
            "again later."
        ))


def with_code(response, error: AppError | str | None):
    """Put an error's (or an outcome's) stable code on a response, as the X-MVT-Code header."""
    code = getattr(error, "code", error)
    if code:
        response[CODE_HEADER] = str(code)
    return response
