"""The frab schedule export (JSON and XML) at 60 and 240 seminars: CPU ms per request and queries. Run on purpose.

    .venv/bin/python bench/bench_frab.py [--runs 40]

Throwaway SQLite, DEBUG off, Django's test client, after a warm-up; each timed request is a full build
(no If-None-Match). Targets: at least 5× faster than pretalx 2025.2.2 on this machine kind (XML 84 / 291 ms,
JSON 296 / 1270 ms CPU at 60 / 240 talks), so XML ≤ 16.8 / 58.2 ms and JSON ≤ 59.2 / 254 ms, with a query
count that does not grow.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGETS = {("xml", 60): 84 / 5, ("xml", 240): 291 / 5, ("json", 60): 296 / 5, ("json", 240): 1270 / 5}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="mvt-bench-frab-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mvt.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from sessions.demo import build_demo_programme

    settings.DEBUG = False
    warnings.filterwarnings("ignore", message="No directory at")
    call_command("migrate", verbosity=0)
    missed, counts = [], {}
    for size in (60, 240):
        conference = build_demo_programme(seminars=size)
        client = Client()
        for fmt in ("xml", "json"):
            path = f"/{conference.slug}/schedule.{fmt}"
            for _ in range(5):
                client.get(path)
            cpu = []
            for _ in range(args.runs):
                started = time.process_time()
                response = client.get(path)
                cpu.append((time.process_time() - started) * 1000)
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            counts.setdefault(fmt, set()).add(len(queries))
            median = statistics.median(cpu)
            target = TARGETS[(fmt, size)]
            print(f"{fmt:>4} at {size:>3} seminars: median {median:6.1f} ms CPU, {len(queries)} queries, "
                  f"{len(response.content) / 1024:.0f} KB (target ≤ {target:.1f} ms)")
            if median > target:
                missed.append(f"{fmt} at {size}")
    grew = [fmt for fmt, seen in counts.items() if len(seen) > 1]
    if grew or missed:
        print("Missed: " + ", ".join(missed + [f"{fmt} query count grew" for fmt in grew]))
        return 2
    print("All targets met; query counts do not grow.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
