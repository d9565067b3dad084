"""Badges and door scanning: a 1000-badge PDF, check_in verdicts in process, and scans per second over HTTP.

    .venv/bin/python bench/bench_badges.py [--badges 1000] [--scans 500] [--http-scans 2000] [--workers 3]

Uses a throwaway SQLite file unless DATABASE_URL is set (e.g. postgres://postgres@127.0.0.1:5432/bench_door,
which is created and dropped). The HTTP part starts gunicorn on 127.0.0.1 (DEBUG off), sends a bounded
number of scans from a few httpx clients, and stops the server. Targets: PDF under 10 s, a verdict in at
most 5 ms of server time (p95), at least 200 scans/s over HTTP.
"""

import argparse
import io
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import warnings
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_PDF_S = 10.0
TARGET_VERDICT_MS = 5.0
TARGET_SCANS_PER_S = 200.0


def pct(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--badges", type=int, default=1000)
    parser.add_argument("--scans", type=int, default=500, help="in-process check_in calls per kind")
    parser.add_argument("--http-scans", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds at most for the HTTP loop")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="mvt-bench-door-")
    pg_url = os.environ.get("DATABASE_URL", "")
    db_url = pg_url if pg_url.startswith("postgres") else f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DATABASE_URL"] = db_url
    # The same key in this process and in gunicorn, so the session made here is valid there.
    os.environ["SECRET_KEY"] = "bench-only-secret-" + "x" * 40
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mvt.settings")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.DEBUG = False
    warnings.filterwarnings("ignore", message="No directory at")
    os.environ["PYTHONWARNINGS"] = "ignore::UserWarning"
    if connection.vendor == "postgresql":
        # Our own database, created fresh: never someone else's.
        name = settings.DATABASES["default"]["NAME"]
        if not name.startswith("bench"):
            print("DATABASE_URL for this bench must name a database starting with 'bench'", file=sys.stderr)
            return 2
    call_command("migrate", verbosity=0)

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from registration.badge_pdf import LAYOUT_A4, LAYOUT_A6, batch_registrations, print_batch
    from registration.models import Registration, Scan
    from registration.roles import DOOR_STAFF
    from registration.selectors.checkpoints import entrance_checkpoint
    from registration.services.badges import current_badges
    from registration.services.door import check_in as check_in_service
    from sessions.models import LOCAL_TZ, Conference

    today = timezone.localtime(timezone.now(), LOCAL_TZ).date()
    slug = f"bench{int(time.time())}"
    conference = Conference.objects.create(name="MVT Bench", slug=slug, venue="Kistamässan", first_day=today,
                                           last_day=today + timedelta(days=1), is_published=True)
    first_names = ["Åsa", "Örjan", "Märta", "Björn", "Lena", "Ali", "Karin", "Johan", "Ingrid", "Per"]
    last_names = ["Öberg", "Ågren", "Lindqvist", "Nilsson", "Bergström-Ärlemalm", "Ek", "Karlsson"]
    categories = ["staff", "user", "speaker", "exhibitor", "press"]
    Registration.objects.bulk_create([
        Registration(conference=conference, email=f"p{i}@example.org",
                     name=f"{first_names[i % 10]} {last_names[i % 7]} {i}", organisation_type="company",
                     organisation_name=f"Välfärdsteknik i Norr AB {i % 37}", category=categories[i % 5])
        for i in range(args.badges)
    ])
    User = get_user_model()
    staff = User.objects.create_user(username=f"door-{slug}", email=f"door-{slug}@example.org", password="x" * 20)
    staff.groups.add(Group.objects.get(name=DOOR_STAFF))
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "bench-only"})

    print(f"database: {connection.vendor}; {args.badges} registrations")

    # --- PDF ---------------------------------------------------------------------------------------
    results = {}
    for layout in (LAYOUT_A6, LAYOUT_A4):
        out = io.BytesIO()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        count = print_batch(batch_registrations(conference), out, layout=layout)
        elapsed = time.perf_counter() - started
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        results[layout] = elapsed
        print(f"PDF {layout}: {count} badges in {elapsed:.2f} s, {len(out.getvalue()) / 1e6:.2f} MB, "
              f"peak RSS {rss_after / 1024:.0f} MB (+{(rss_after - rss_before) / 1024:.0f} MB) "
              f"(target < {TARGET_PDF_S:.0f} s)")
    # Python allocations at their peak, measured on a separate run (tracemalloc slows it several times).
    tracemalloc.start()
    print_batch(batch_registrations(conference), io.BytesIO(), layout=LAYOUT_A6)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"PDF {LAYOUT_A6}: peak traced Python memory {peak / 1e6:.1f} MB")

    # --- Verdicts in process -----------------------------------------------------------------------
    people = list(Registration.objects.filter(conference=conference).order_by("pk"))
    badges = current_badges(people)
    codes = [badges[p.pk].code for p in people]
    checkpoint = entrance_checkpoint(conference, today)
    timings = {"admitted": [], "already_scanned": [], "unknown": []}
    cpu = {kind: [] for kind in timings}
    n = min(args.scans, len(codes))
    for i in range(n):
        for kind, code in (("admitted", codes[i]), ("already_scanned", codes[i]), ("unknown", "Z" * 26)):
            started, cpu_started = time.perf_counter(), time.process_time()
            result = check_in_service(code=code, checkpoint=checkpoint, staff=staff, nonce=f"inproc-{kind}-{i}")
            timings[kind].append((time.perf_counter() - started) * 1000)
            cpu[kind].append((time.process_time() - cpu_started) * 1000)
            assert result.verdict == kind, (kind, result.verdict)
    worst_p95 = 0.0
    for kind, values in timings.items():
        p95 = pct(values, 0.95)
        worst_p95 = max(worst_p95, p95)
        print(f"check_in {kind:16s} median {statistics.median(values):.2f} ms, p95 {p95:.2f} ms "
              f"(target <= {TARGET_VERDICT_MS:.0f} ms); Python CPU median {statistics.median(cpu[kind]):.2f} ms")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    Scan.objects.filter(conference=conference).delete()

    # --- Over HTTP ----------------------------------------------------------------------------------
    from django.test import Client

    client = Client()
    client.force_login(staff)
    session_id = client.cookies[settings.SESSION_COOKIE_NAME].value
    port = free_port()
    env = {**os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1", "SITE_URL": "http://127.0.0.1",
           "SECURE_SSL_REDIRECT": "0", "DATABASE_URL": db_url, "LOG_LEVEL": "ERROR"}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "mvt.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    import httpx

    base = f"http://127.0.0.1:{port}"
    url = f"{base}/staff/door/{slug}/{checkpoint.key}/"
    try:
        for _ in range(100):
            try:
                httpx.get(base + "/staff/door/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        from django.utils.crypto import get_random_string

        # Any 32-character secret works as both the CSRF cookie and header; no page (and no static
        # manifest, which DEBUG off would need) has to be fetched first.
        csrf = get_random_string(32)
        headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_id}; {settings.CSRF_COOKIE_NAME}={csrf}",
                   "X-CSRFToken": csrf, "Accept": "application/json"}
        total = args.http_scans
        lock = threading.Lock()
        next_index = iter(range(total))
        latencies: list[float] = []
        verdicts: dict[str, int] = {}
        errors = []
        deadline = time.monotonic() + args.time_limit

        def worker():
            with httpx.Client(headers=headers, timeout=10) as http:
                while time.monotonic() < deadline:
                    with lock:
                        i = next(next_index, None)
                    if i is None:
                        return
                    code = codes[i % len(codes)]  # the second round through the codes gives already_scanned
                    started = time.perf_counter()
                    response = http.post(url, data={"code": code, "nonce": f"http-{slug}-{i:08d}"})
                    elapsed = (time.perf_counter() - started) * 1000
                    with lock:
                        latencies.append(elapsed)
                        if response.status_code == 200:
                            verdict = response.json()["verdict"]
                            verdicts[verdict] = verdicts.get(verdict, 0) + 1
                        else:
                            errors.append(response.status_code)

        threads = [threading.Thread(target=worker) for _ in range(args.clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    rate = len(latencies) / wall
    print(f"HTTP: {len(latencies)} scans in {wall:.2f} s = {rate:.0f} scans/s with {args.clients} clients, "
          f"{args.workers} gunicorn workers; latency median {statistics.median(latencies):.1f} ms, "
          f"p95 {pct(latencies, 0.95):.1f} ms; verdicts {verdicts}; errors {len(errors)} "
          f"(target >= {TARGET_SCANS_PER_S:.0f}/s)")

    ok = (results[LAYOUT_A6] < TARGET_PDF_S and worst_p95 <= TARGET_VERDICT_MS and rate >= TARGET_SCANS_PER_S
          and not errors)
    print("all targets met" if ok else "SOME TARGETS MISSED")
    if connection.vendor == "postgresql":
        Scan.objects.filter(conference=conference).delete()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
