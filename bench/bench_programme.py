"""Time the public programme pages in-process at two programme sizes. Run on purpose, not in tests.

    .venv/bin/python bench/bench_programme.py [--sizes 60 240] [--runs 50] [--profile day]

Uses a throwaway SQLite file, DEBUG off, and Django's test client (full middleware and template
rendering, no network). Prints median and p95 milliseconds (wall clock) and the median CPU time of
this process (time.process_time, which other load on a shared machine disturbs less) and the query
count per page; the query count must not grow with the programme's size. "days-cold" is every day
page of the conference one after another, each without cache (the goal: ≤15 ms CPU at 60 seminars,
≤50 ms at 240).
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

CPU_TARGETS_MS = {("days-cold", 60): 15, ("days-cold", 240): 50}
TARGETS_MS = {("day", 60): 9, ("day", 240): 26, ("day-cold", 60): 9, ("day-cold", 240): 26, ("seminar", 60): 8,
              ("seminar", 240): 8}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[60, 240], help="seminar counts (default 60 240)")
    parser.add_argument("--runs", type=int, default=50, help="timed requests per page (default 50, at least 20)")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--profile", choices=["day", "grid", "seminar", "speakers", "day-cold", "grid-cold",
                                              "speakers-cold"],
                        help="also profile that page with pyinstrument (pip install pyinstrument)")
    args = parser.parse_args()
    args.runs = max(args.runs, 20)

    workdir = tempfile.mkdtemp(prefix="mvt-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mvt.settings")

    import django

    django.setup()

    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from sessions.demo import build_demo_programme

    # DEBUG off as in production (no query log, no template debug info, cached template loader),
    # set before the first request builds the template engine. Static files stay unhashed, so
    # {% static %} works without collectstatic. (No setup_test_environment(): its instrumented
    # template rendering would be measured too.)
    settings.DEBUG = False
    warnings.filterwarnings("ignore", message="No directory at")
    call_command("migrate", verbosity=0)

    rows = []
    failed = False
    print(f"Django {django.get_version()}, Python {sys.version.split()[0]}, SQLite file in {workdir}, "
          f"{args.runs} runs after {args.warmup} warm-up requests\n")
    for size in args.sizes:
        conference = build_demo_programme(seminars=size)
        seminar = conference.seminars.order_by("start", "code")[size // 2]
        day = conference.first_day
        pages = {
            "day": reverse("programme:day", kwargs={"conference": conference.slug, "day": day}),
            "grid": reverse("programme:day_grid", kwargs={"conference": conference.slug, "day": day}),
            "seminar": seminar.get_absolute_url(),
            "speakers": reverse("programme:speakers", kwargs={"conference": conference.slug}),
        }
        client = Client()
        # Day, grid and speaker pages are cached under the programme's version; "cold" clears the
        # cache before every timed request (the first visit after any programme change).
        variants = [(name, [url], False) for name, url in pages.items()] + [
            (f"{name}-cold", [url], True) for name, url in pages.items() if name != "seminar"
        ] + [("days-cold", [reverse("programme:day", kwargs={"conference": conference.slug, "day": each})
                            for each in conference.days], True)]
        for name, urls, cold in variants:
            url = urls[0]
            response = client.get(url)
            if response.status_code != 200:
                print(f"{size:>4} seminars  {name:<9} HTTP {response.status_code} at {url}: not measured")
                failed = True
                continue
            for _ in range(args.warmup):
                for each in urls:
                    client.get(each)
            timings, cpu = [], []
            for _ in range(args.runs):
                started, started_cpu = time.perf_counter(), time.process_time()
                for each in urls:
                    if cold:
                        cache.clear()
                    client.get(each)
                timings.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            if cold:
                cache.clear()
            with CaptureQueriesContext(connection) as queries:
                for each in urls:
                    response = client.get(each)
            timings.sort()
            median = statistics.median(timings)
            cpu_median = statistics.median(cpu)
            p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
            target = TARGETS_MS.get((name, size))
            verdict = "" if target is None else ("ok" if median <= target else "OVER")
            cpu_target = CPU_TARGETS_MS.get((name, size))
            cpu_verdict = "" if cpu_target is None else ("ok" if cpu_median <= cpu_target else "OVER")
            failed |= "OVER" in (verdict, cpu_verdict)
            rows.append((size, name, median, p95, len(queries), len(response.content), target, verdict))
            print(f"{size:>4} seminars  {name:<14} median {median:7.2f} ms  p95 {p95:7.2f} ms  "
                  f"CPU {cpu_median:7.2f} ms  {len(queries):>2} queries  {len(response.content) // 1024:>4} KiB"
                  + (f"  target ≤{target} ms {verdict}" if target else "")
                  + (f"  CPU target ≤{cpu_target} ms {cpu_verdict}" if cpu_target else ""))
            if args.profile == name:
                _profile(client, url, f"{name} page, {size} seminars", cache.clear if cold else None)
        print()

    counts = {}
    for row in rows:
        counts.setdefault(row[1], set()).add(row[4])
    growing = [name for name, seen in counts.items() if len(seen) > 1]
    if growing:
        print(f"Query counts differ between sizes for: {', '.join(growing)}")
        failed = True
    else:
        print("Query counts are the same at every size.")
    return 1 if failed else 0


def _profile(client, url: str, label: str, before_each=None) -> None:
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("  (pyinstrument is not installed: .venv/bin/pip install pyinstrument)")
        return
    profiler = Profiler(interval=0.0002)
    profiler.start()
    for _ in range(50):
        if before_each is not None:
            before_each()
        client.get(url)
    profiler.stop()
    print(f"--- profile: 50 requests of the {label}")
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    sys.exit(main())
