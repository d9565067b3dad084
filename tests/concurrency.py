"""Helpers for the PostgreSQL race tests."""

import threading

from django.db import connections


def run_at_once(functions):
    """Run each function in its own thread and connection, released together; return the exceptions raised."""
    barrier = threading.Barrier(len(functions))
    errors = []

    def worker(fn):
        try:
            barrier.wait(timeout=30)
            fn()
        except Exception as error:  # noqa: BLE001 - collected and asserted by the caller
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(fn,)) for fn in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors
