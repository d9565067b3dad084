"""Run background tasks (the email outbox) until stopped: `manage.py run_worker`.

A loop of django-tasks-db workers in batch mode, with `recover_lost_emails` between batches, so an
email whose worker was killed mid-send is tried again. Run as many as you like, on as many machines:
they share the task rows in the database and never run the same task twice at once.
"""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from registration.outbox import recover_lost_emails


class Command(BaseCommand):
    help = "Run background tasks (email outbox) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds to sleep when idle (default 1).")
        parser.add_argument("--batch-size", type=int, default=200, help="Tasks between recovery sweeps.")
        parser.add_argument("--once", action="store_true", help="Run what is due, then exit (scripts, tests).")
        parser.add_argument("--worker-id", default="", help="Unique id of this worker (default: random).")

    def handle(self, *, interval, batch_size, once, worker_id, verbosity, **options):
        self.running = True
        self.worker = None
        worker_id = worker_id or get_random_string(12)

        def stop(signum, frame):
            # Let a task that is running finish (its email is sent and recorded), then leave.
            self.running = False
            if self.worker is not None and self.worker.running_task:
                self.worker.running = False
            else:
                raise SystemExit(0)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        if verbosity:
            self.stdout.write(f"Worker {worker_id} running background tasks (Ctrl-C stops).")
        while self.running:
            close_old_connections()
            recover_lost_emails()
            worker = self.worker = Worker(
                queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                max_tasks=batch_size, worker_id=worker_id, excluded_queue_names=[],
            )
            worker.run()
            if once:
                return
            if worker._run_tasks == 0:
                time.sleep(interval)
