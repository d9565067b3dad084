"""Time the whole-programme calendar feed in-process at two programme sizes. Run on purpose, not in tests.

    .venv/bin/python bench/bench_feeds.py [--sizes 60 240] [--runs 30] [--warmup 5]

Uses a throwaway SQLite file, DEBUG off, and Django's test client (full middleware, no network).
For each size: the full 200 response (aggregate, load, build with icalendar) and the 304 answer to
If-None-Match, as median and p95 wall-clock milliseconds (and the process's CPU time, which other
load on the machine disturbs less), with the body size and the query count.
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

TARGETS_MS = {("feed", 60): 20, ("feed", 240): 71, ("304", 60): 2, ("304", 240): 2}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[60, 240], help="seminar counts (default 60 240)")
    parser.add_argument("--runs", type=int, default=30, help="timed requests per case (default 30, at least 20)")
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    args.runs = max(args.runs, 20)

    workdir = tempfile.mkdtemp(prefix="mvt-bench-feeds-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mvt.settings")

    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from sessions.demo import build_demo_programme

    settings.DEBUG = False  # as in production: no query log
    warnings.filterwarnings("ignore", message="No directory at")
    call_command("migrate", verbosity=0)

    print(f"Django {django.get_version()}, Python {sys.version.split()[0]}, SQLite file in {workdir}, "
          f"{args.runs} runs after {args.warmup} warm-up requests\n")
    failed = False
    for size in args.sizes:
        conference = build_demo_programme(seminars=size)
        url = reverse("programme:feed", kwargs={"conference": conference.slug})
        client = Client()
        first = client.get(url)
        if first.status_code != 200:
            print(f"{size:>4} seminars: HTTP {first.status_code} at {url}")
            return 1
        cases = {"feed": {}, "304": {"HTTP_IF_NONE_MATCH": first["ETag"]}}
        for name, headers in cases.items():
            for _ in range(args.warmup):
                client.get(url, **headers)
            timings, cpu = [], []
            for _ in range(args.runs):
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url, **headers)
                timings.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == (200 if name == "feed" else 304), response.status_code
            with CaptureQueriesContext(connection) as queries:
                client.get(url, **headers)
            timings.sort()
            median = statistics.median(timings)
            p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
            target = TARGETS_MS.get((name, size))
            verdict = "" if target is None else ("ok" if median <= target else "OVER")
            failed |= verdict == "OVER"
            print(f"{size:>4} seminars  {name:<5} median {median:7.2f} ms  p95 {p95:7.2f} ms  "
                  f"(CPU median {statistics.median(cpu):6.2f} ms)  "
                  f"{len(queries):>2} queries  {len(response.content):>7} bytes"
                  + (f"  target ≤{target} ms {verdict}" if target else ""))
        print()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
