"""The one way to take row locks: inside a transaction, in a stable order, waiting a bounded time.

Every `select_for_update` in the project goes through `lock`. On PostgreSQL a lock that is not granted
within LOCK_TIMEOUT_MS (and a deadlock, which PostgreSQL breaks after a second) becomes BusyError, so a
request answers "busy" instead of hanging. SQLite has no row locks: writers there are serialised by
IMMEDIATE transactions with a busy timeout, and `lock` only reads the rows. A database that only reads
(maintenance) becomes ReadOnlyError, so people are told to come back later rather than that it is busy.
"""

from __future__ import annotations

from django.conf import settings
from django.db import InternalError, OperationalError, connections, router
from django.db.models import QuerySet

from .errors import BusyError, ReadOnlyError

READ_ONLY_SQLSTATE = "25006"  # read_only_sql_transaction


def is_read_only_error(error: Exception) -> bool:
    cause = getattr(error, "__cause__", None)
    return getattr(cause, "sqlstate", None) == READ_ONLY_SQLSTATE or "read-only transaction" in str(error)


def lock_timeout_ms() -> int:
    return int(getattr(settings, "LOCK_TIMEOUT_MS", 3000))


class NotInTransaction(RuntimeError):
    """A lock outside `transaction.atomic()` would be released at once: always a programming error."""


def lock(queryset: QuerySet, *, order_by: tuple[str, ...] = ("pk",)) -> list:
    """Lock the rows of `queryset` (only its own table's rows, never joined ones) and return them.

    Rows are locked in `order_by` order (primary key by default) so two transactions locking overlapping
    sets cannot deadlock on each other. Call inside atomic; raises NotInTransaction outside one and
    BusyError when the rows stay locked by others for longer than LOCK_TIMEOUT_MS.
    """
    alias = queryset.db or router.db_for_write(queryset.model)
    connection = connections[alias]
    if not connection.in_atomic_block:
        raise NotInTransaction("lock() needs transaction.atomic()")
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # SET LOCAL lasts until the end of the transaction; lock_timeout_ms() is an int.
                cursor.execute(f"SET LOCAL lock_timeout = '{lock_timeout_ms()}ms'")
        return list(queryset.select_for_update(of=("self",)).order_by(*order_by))
    except OperationalError as error:
        raise BusyError() from error
    except InternalError as error:
        if is_read_only_error(error):
            raise ReadOnlyError() from error
        raise


def lock_one(queryset: QuerySet, pk):
    """Lock and return one row by primary key (DoesNotExist when it is gone). See `lock`."""
    rows = lock(queryset.filter(pk=pk))
    if not rows:
        raise queryset.model.DoesNotExist(f"{queryset.model.__name__} {pk} does not exist")
    return rows[0]
