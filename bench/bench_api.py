"""API and import benchmarks: the programme import of 300 rows (preview and save), and the API's list of all
seminars at 60 and 240 (one page, live seats). CPU ms and queries. Run on purpose.

    .venv/bin/python bench/bench_api.py [--runs 30] [--import-runs 5]

Throwaway SQLite, DEBUG off, Django's test client after a warm-up. The import's rows are the demo's own
programme at 300 seminars as CSV (sessions.demo_samples.clean_rows), imported into the same edition emptied
(rooms and tracks kept, as `load_demo_programme --seminars 0` leaves it): every row creates a seminar and its
speakers through save_seminar. Preview runs again on the saved programme (every row unchanged).
"""

import argparse
import csv
import io
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def cpu_ms(function, runs: int) -> tuple[float, float]:
    """Median CPU and wall-clock milliseconds of `runs` calls."""
    cpu, wall = [], []
    for _ in range(runs):
        started, started_wall = time.process_time(), time.perf_counter()
        function()
        cpu.append((time.process_time() - started) * 1000)
        wall.append((time.perf_counter() - started_wall) * 1000)
    return statistics.median(cpu), statistics.median(wall)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--import-runs", type=int, default=5)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="mvt-bench-api-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mvt.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from sessions import imports
    from sessions.demo import build_demo_programme
    from sessions.demo_samples import _row, _seminars, clean_rows
    from sessions.models import Seminar

    settings.DEBUG = False
    settings.API_RATE_ANONYMOUS = "1000000/min"
    warnings.filterwarnings("ignore", message="No directory at")
    call_command("migrate", verbosity=0)

    # The import: 300 rows.
    conference = build_demo_programme(seminars=301)  # one of them is cancelled: 300 rows
    rows = clean_rows(conference)
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    data = ("\ufeff" + out.getvalue()).encode("utf-8")
    print(f"import: {len(rows) - 1} rows, {len(data) / 1024:.0f} KB CSV")

    def empty():
        Seminar.objects.filter(conference=conference).delete()
        conference.speakers.all().delete()

    def preview():
        return imports.preview_import(conference, imports.parse_rows(io.BytesIO(data), "programme.csv"))

    previews, saves = [], []
    for _ in range(args.import_runs):
        empty()
        reset_queries()
        with CaptureQueriesContext(connection) as preview_queries:
            started = time.process_time()
            planned = preview()
            previews.append((time.process_time() - started) * 1000)
        assert not planned.has_errors, [row.errors for row in planned.rows if row.errors][:3]
        reset_queries()
        with CaptureQueriesContext(connection) as save_queries:
            started = time.process_time()
            counts = imports.apply_import(conference, planned)
            saves.append((time.process_time() - started) * 1000)
    print(f"import preview (new programme): median {statistics.median(previews):7.1f} ms CPU, "
          f"{len(preview_queries)} queries")
    print(f"import save:                    median {statistics.median(saves):7.1f} ms CPU, "
          f"{len(save_queries)} queries ({', '.join(f'{k}: {v}' for k, v in counts.items())})")
    # The same programme exported with its codes: every row previews as unchanged.
    with_codes = [rows[0]] + [_row(s, code=s.code) for s in _seminars(conference).exclude(status="cancelled")]
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(with_codes)
    coded = out.getvalue().encode("utf-8")

    def preview_coded():
        return imports.preview_import(conference, imports.parse_rows(io.BytesIO(coded), "programme.csv"))

    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        again = preview_coded()
    unchanged_queries = len(queries)
    print(f"import preview (all unchanged): median {cpu_ms(preview_coded, args.import_runs)[0]:7.1f} ms CPU, "
          f"{unchanged_queries} queries, {again.count(imports.Action.UNCHANGED)} of {len(with_codes) - 1} unchanged")

    # The API's seminar list.
    counts_seen = set()
    for size in (60, 240):
        conference = build_demo_programme(seminars=size)
        client = Client()
        path = f"/api/v1/conferences/{conference.slug}/seminars/?page_size=500"
        for _ in range(5):
            response = client.get(path)
        assert response.status_code == 200 and response.json()["count"] == len(response.json()["results"])
        median, wall = cpu_ms(lambda client=client, path=path: client.get(path), args.runs)
        reset_queries()  # the log keeps 9000 queries; a full one would count none
        with CaptureQueriesContext(connection) as queries:
            measured = client.get(path)
        assert measured.status_code == 200, measured.status_code
        query_count = len(queries)  # read now: CaptureQueriesContext slices the connection's log lazily
        counts_seen.add(query_count)
        etag = response["ETag"]
        not_modified, _wall = cpu_ms(
            lambda client=client, path=path, etag=etag: client.get(path, HTTP_IF_NONE_MATCH=etag), args.runs)
        print(f"API seminars at {size:>3}: median {median:6.1f} ms CPU ({wall:6.1f} ms wall), {query_count} queries, "
              f"{len(response.content) / 1024:.0f} KB; 304 with If-None-Match {not_modified:6.1f} ms CPU")
    if len(counts_seen) > 1:
        print("Query count grew with the programme.")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
