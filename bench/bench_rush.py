"""Registration rush: many attendees book seminars at once through gunicorn on PostgreSQL. Run on purpose.

    .venv/bin/python bench/bench_rush.py [--attendees 1000] [--concurrency 64] [--worker-class both]
                                         [--outbox-workers 1] [--web-processes 1] [--redis]
                                         [--profile 30] [--keep-db]

Needs PostgreSQL on 127.0.0.1:5432 with trust auth for user postgres. Everything stays on loopback.
Steps: (re)create the database `mvt_bench_rush`, migrate, load the demo programme (60 seminars in
rooms of 30–400 seats), add the attendees (users with unusable passwords, registrations, one logged-in
session each, a CSRF secret each), start gunicorn (`mvt.wsgi`, 2×cores+1 workers, sync and/or gthread)
on a free loopback port, then let every attendee POST to /<conf>/seminars/<code>/book/ for 3 seminars
in 3 different time slots (seeded, skewed so that some small rooms fill and people land in line).
Redirects are not followed: the 302 is the answer, and its `messages` cookie says seat / line / refused.
Emails are outbox rows written with each booking; `--outbox-workers` `manage.py run_worker` processes (started
with the rush) render them (text, HTML, .ics) and send them over SMTP to a sink on loopback in this process.
After the rush the script waits for the outbox to drain and reports how long that took, and checks that every
promised email arrived exactly once (by Message-ID). `--web-processes 2` starts two gunicorn masters on two
ports (attendees alternate between them); `--redis` gives every process REDIS_URL (db 13), and a programme
change made through one process is then checked on the other.

Afterwards the database is checked: no seminar holds more confirmed seats than its capacity, no line
while seats are free, no attendee holds overlapping bookings, and confirmed + waitlisted equals the
requests that were answered with a seat or a place in line. Exit status 1 on any 5xx, overbooking or
mismatch; 2 when the throughput or latency target is missed (still printed).
"""

import argparse
import asyncio
import os
import random
import secrets
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG = "postgres://postgres@127.0.0.1:5432"
TARGET_RATE = 300  # bookings per second
TARGET_P95_MS = 250
CSRF_ALPHABET = string.ascii_letters + string.digits


@dataclass
class Attendee:
    user_id: int
    session_key: str
    csrf: str
    codes: list[str] = field(default_factory=list)


@dataclass
class Result:
    attendee: int
    code: str
    status: int  # 0 = transport error or timeout
    ms: float
    messages_cookie: str | None = None
    location: str = ""
    error: str = ""
    outcome: str = ""


def server_env(db_name: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "mvt.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"{PG}/{db_name}",
        "CONN_MAX_AGE": "60",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    })
    env.pop("DATABASE_TEST_NAME", None)
    return env


def pg_admin(*statements: str, db: str = "postgres") -> None:
    import psycopg

    with psycopg.connect(f"{PG}/{db}", autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


# --- data -----------------------------------------------------------------------------------------------

def create_attendees(conference, count: int, prefix: str) -> list[Attendee]:
    """Users with unusable passwords, active registrations and a logged-in session each, in bulk."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from registration.models import Registration

    User = get_user_model()
    users = User.objects.bulk_create([
        User(username=f"{prefix}{i:04d}", email=f"{prefix}{i:04d}@example.se", password=make_password(None),
             first_name="Rush", last_name=f"{prefix}{i:04d}")
        for i in range(count)
    ])
    Registration.objects.bulk_create([
        Registration(conference=conference, user=user, email=user.email, name=f"Rush Attendee {i:04d}",
                     organisation_type="company", organisation_name=f"Bench AB {i % 37}")
        for i, user in enumerate(users)
    ])
    store = SessionStore()
    expires = timezone.now() + timedelta(days=14)
    attendees, sessions = [], []
    for user in users:
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": user.get_session_auth_hash(),
        }
        sessions.append(Session(session_key=key, session_data=store.encode(data), expire_date=expires))
        attendees.append(Attendee(user.pk, key, "".join(secrets.choice(CSRF_ALPHABET) for _ in range(32))))
    Session.objects.bulk_create(sessions)
    return attendees


def plan_bookings(conference, attendees: list[Attendee], seed: int) -> dict[str, object]:
    """Each attendee gets 3 seminars in 3 different time slots. Within a slot, popularity follows a
    seeded Zipf ranking that ignores room size, so some small rooms get far more people than seats."""
    from sessions.models import Seminar, SeminarStatus

    rng = random.Random(seed)  # noqa: S311 - benchmark data
    seminars = list(Seminar.objects.filter(conference=conference, status=SeminarStatus.PUBLISHED)
                    .select_related("room").order_by("start", "room__order"))
    slots: dict = defaultdict(list)
    for seminar in seminars:
        slots[(seminar.start, seminar.end)].append(seminar)
    slot_keys = sorted(slots)
    for a, b in zip(slot_keys, slot_keys[1:], strict=False):
        assert a[1] <= b[0], "demo slots overlap; the plan assumes they do not"
    weights = {}
    for key in slot_keys:
        ranked = slots[key][:]
        rng.shuffle(ranked)
        weights[key] = [1 / (rank + 1) for rank in range(len(ranked))]
        slots[key] = ranked
    demand: Counter = Counter()
    for attendee in attendees:
        for key in rng.sample(slot_keys, 3):
            seminar = rng.choices(slots[key], weights=weights[key])[0]
            attendee.codes.append(seminar.code)
            demand[seminar.code] += 1
        rng.shuffle(attendee.codes)
    over = [s for s in seminars if demand[s.code] > s.capacity]
    return {"seminars": len(seminars), "slots": len(slot_keys), "oversubscribed": len(over),
            "small_oversubscribed": sum(1 for s in over if s.capacity <= 60)}


def reset_bookings(db_name: str) -> None:
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from registration.models import Booking, OutgoingEmail

    Booking.objects.all().delete()
    OutgoingEmail.objects.all().delete()
    DBTaskResult.objects.all().delete()
    connection.close()
    for model in (Booking, OutgoingEmail, DBTaskResult):
        pg_admin(f"VACUUM ANALYZE {model._meta.db_table}", db=db_name)


# --- server ---------------------------------------------------------------------------------------------

class SmtpSink:
    """An SMTP server on loopback that keeps every message it accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes

        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def start_smtp_sink() -> SmtpSink:
    from aiosmtpd.controller import Controller

    sink = SmtpSink()
    sink.port = free_port()
    sink.controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    sink.controller.start()
    return sink


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env, port: int, worker_class: str, workers: int, threads: int, log: Path):
    cmd = [str(Path(sys.executable).with_name("gunicorn")), "mvt.wsgi", "--bind", f"127.0.0.1:{port}",
           "--workers", str(workers), "--worker-class", worker_class, "--timeout", "60",
           "--log-level", "warning", "--error-logfile", str(log)]
    if worker_class == "gthread":
        cmd += ["--threads", str(threads)]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def stop_gunicorn(proc) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # our own process group (start_new_session)
            proc.wait(timeout=5)


def wait_until_up(proc, base: str, log: Path, timeout: float = 30) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            httpx.get(f"{base}/mvt2016/", timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 30 s")


def cpu_seconds(pids) -> dict[int, float]:
    """user+system CPU seconds of each live pid, from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / tick
    return out


def server_pids(masters: list[int], db_name: str) -> tuple[list[int], list[int]]:
    """gunicorn's workers (children of the `masters`) and the PostgreSQL backends serving `db_name`."""
    workers, backends = [], []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) in masters:
            workers.append(int(entry.name))
        elif cmdline.startswith("postgres:") and f" {db_name} " in cmdline:
            backends.append(int(entry.name))
    return workers, backends


class CpuSampler:
    """Samples the CPU time of gunicorn's workers and our PostgreSQL backends twice a second, so processes
    that end during the rush (a connection older than CONN_MAX_AGE is replaced) still count."""

    def __init__(self, masters: list[int], db_name: str, outbox_workers: list[int] = ()):
        import threading

        self.masters, self.db_name, self.outbox_workers = masters, db_name, list(outbox_workers)
        self.start: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.kind: dict[int, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._first = True

    def sample(self) -> None:
        workers, backends = server_pids(self.masters, self.db_name)
        for pid in workers:
            self.kind[pid] = "gunicorn"
        for pid in backends:
            self.kind[pid] = "postgres"
        for pid in self.outbox_workers:
            self.kind[pid] = "outbox"
        for pid, seconds in cpu_seconds(workers + backends + self.outbox_workers).items():
            self.start.setdefault(pid, seconds if self._first else 0.0)  # a process born during the rush: all of it
            self.last[pid] = seconds

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self.sample()

    def __enter__(self):
        self.sample()
        self._first = False
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.sample()

    def seconds(self, kind: str) -> float:
        return sum(self.last[pid] - self.start[pid] for pid in self.last if self.kind[pid] == kind)

    def stop(self) -> None:
        self.__exit__()


# --- client ---------------------------------------------------------------------------------------------

async def rush(bases: list[str], attendees: list[Attendee], concurrency: int, time_cap: float, request_cap: int,
               slug: str) -> tuple[list[Result], float, bool]:
    """`concurrency` attendees at a time, each POSTing their bookings one after another (attendee i to
    web process i mod len(bases))."""
    from http.cookiejar import CookieJar, DefaultCookiePolicy

    import httpx

    no_cookies = httpx.Cookies(CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])))
    results: list[Result] = []
    queue = iter(enumerate(attendees))
    sent = 0
    # Shorter than gunicorn's 2 s keep-alive, so the client never reuses a connection the server is closing.
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency, keepalive_expiry=1.0)
    async with httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(30.0), cookies=no_cookies,
                                 follow_redirects=False) as client:

        async def worker():
            nonlocal sent
            for index, attendee in queue:
                headers = {"Cookie": f"sessionid={attendee.session_key}; csrftoken={attendee.csrf}",
                           "X-CSRFToken": attendee.csrf}
                for code in attendee.codes:
                    if sent >= request_cap:
                        return
                    sent += 1
                    started = time.perf_counter()
                    try:
                        base = bases[index % len(bases)]
                        response = await client.post(f"{base}/{slug}/seminars/{code}/book/", headers=headers)
                    except httpx.HTTPError as error:
                        results.append(Result(index, code, 0, (time.perf_counter() - started) * 1000,
                                              error=type(error).__name__))
                        continue
                    ms = (time.perf_counter() - started) * 1000
                    cookie = None
                    for header in response.headers.get_list("set-cookie"):
                        if header.startswith("messages="):
                            parsed = SimpleCookie()
                            parsed.load(header)
                            cookie = parsed["messages"].value
                    results.append(Result(index, code, response.status_code, ms, cookie,
                                          response.headers.get("location", "")))

        started = time.perf_counter()
        tasks = [asyncio.create_task(worker()) for _ in range(concurrency)]
        done, pending = await asyncio.wait(tasks, timeout=time_cap)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        elapsed = time.perf_counter() - started
        for task in done:
            if task.exception():
                raise task.exception()
    return results, elapsed, bool(pending)


def refusal_prefixes() -> dict[str, list[str]]:
    """The start of each refusal message (before its first placeholder) in every UI language."""
    from django.conf import settings
    from django.utils import translation
    from django.utils.translation import gettext as _

    msgids = {
        "busy": "Many people are booking right now. Please try again in a moment.",
        "overlap": "This seminar overlaps “%(title)s”, which you have already booked.",
        "full": "The seminar is full.",
        "booking_closed": "Seat booking has not opened yet.",
        "not_registered": "Register for the conference first, then book your seminars.",
    }
    prefixes: dict[str, list[str]] = defaultdict(list)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, msgid in msgids.items():
                prefixes[code].append(_(msgid).split("%(")[0][:30])
    return prefixes


def classify(results: list[Result]) -> Counter:
    """Outcome per answered request from the flash message it carries: seat, line, refused:<code>."""
    from django.contrib import messages
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest

    storage = CookieStorage(HttpRequest())
    prefixes = refusal_prefixes()
    outcomes: Counter = Counter()
    for result in results:
        if result.status == 0 or result.status >= 400:
            result.outcome = f"http_{result.status}"
        elif not result.messages_cookie:
            result.outcome = "no_message"
        else:
            decoded = storage._decode(result.messages_cookie) or []
            levels = [m.level for m in decoded]
            text = " ".join(m.message for m in decoded)
            if messages.SUCCESS in levels:
                result.outcome = "seat"
            elif messages.ERROR in levels or "/register/" in result.location:
                code = next((c for c, starts in prefixes.items() if any(text.startswith(p) for p in starts)), "other")
                result.outcome = f"refused:{code}"
            elif messages.INFO in levels:
                result.outcome = "line"
            else:
                result.outcome = "no_message"
        outcomes[result.outcome] += 1
    return outcomes


# --- checks ---------------------------------------------------------------------------------------------

def check_database(conference) -> dict[str, object]:
    from django.db import connection
    from django.db.models import Count, Q

    from registration.models import Booking, BookingStatus
    from sessions.models import Seminar

    seminars = list(
        Seminar.objects.filter(conference=conference).annotate(
            confirmed=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED)),
            waitlisted=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITLISTED)),
        ).select_related("room")
    )
    booking, seminar = Booking._meta.db_table, Seminar._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"""
            SELECT count(*) FROM {booking} a
            JOIN {booking} b ON a.registration_id = b.registration_id AND a.id < b.id
            JOIN {seminar} sa ON sa.id = a.seminar_id JOIN {seminar} sb ON sb.id = b.seminar_id
            WHERE a.status IN ('confirmed', 'waitlisted') AND b.status IN ('confirmed', 'waitlisted')
              AND sa.start < sb."end" AND sb.start < sa."end"
        """)  # noqa: S608 - table names from our own models
        overlaps = cursor.fetchone()[0]
    per_registration = Counter(
        Booking.objects.filter(status__in=[BookingStatus.CONFIRMED, BookingStatus.WAITLISTED])
        .values_list("registration_id", flat=True)
    )
    return {
        "confirmed": sum(s.confirmed for s in seminars),
        "waitlisted": sum(s.waitlisted for s in seminars),
        "overbooked": [s for s in seminars if s.confirmed > s.capacity],
        "line_with_free_seats": [s for s in seminars if s.waitlisted and s.confirmed < s.capacity],
        "full": sum(1 for s in seminars if s.capacity and s.confirmed == s.capacity),
        "with_line": sum(1 for s in seminars if s.waitlisted),
        "small_full": sum(1 for s in seminars if s.capacity <= 60 and s.confirmed == s.capacity),
        "overlapping_pairs": overlaps,
        "registrations_with_bookings": len(per_registration),
        "seminars": seminars,
    }


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def start_outbox_workers(env, count: int) -> list:
    cmd = [sys.executable, "manage.py", "run_worker", "--interval", "0.2", "--verbosity", "0"]
    return [subprocess.Popen(cmd + ["--worker-id", f"bench-{i}"], cwd=ROOT, env=env, start_new_session=True)
            for i in range(count)]


def wait_for_outbox(cap: float) -> tuple[float, int, int, int]:
    """Seconds until no promised email is unsent (capped), and (promised, sent, failed)."""
    from django.db import connection

    from registration.models import EmailStatus, OutgoingEmail

    started = time.perf_counter()
    while True:
        counts = Counter(OutgoingEmail.objects.values_list("status", flat=True))
        connection.close()
        waiting = counts[EmailStatus.PENDING] + counts[EmailStatus.SENDING]
        if not waiting or time.perf_counter() - started > cap:
            return time.perf_counter() - started, sum(counts.values()), counts[EmailStatus.SENT], counts[
                EmailStatus.FAILED]
        time.sleep(0.25)


def check_change_shows_everywhere(bases: list[str], conference) -> bool:
    """Rename a seminar through the programme's save path and read the day page from every web process."""
    import httpx
    from django.db import connection
    from django.utils import timezone

    from sessions.models import LOCAL_TZ, Seminar
    from sessions.services import save_seminar

    for base in bases:  # every process has the day page in its cache
        httpx.get(f"{base}/{conference.slug}/", timeout=10)
    seminar = Seminar.objects.public().filter(conference=conference).order_by("start").first()
    day = timezone.localtime(seminar.start, LOCAL_TZ).date().isoformat()
    for base in bases:
        httpx.get(f"{base}/{conference.slug}/program/{day}/", timeout=10)
    seminar.title = f"{seminar.title} (ny titel {secrets.token_hex(3)})"
    save_seminar(seminar=seminar)
    connection.close()
    seen = True
    for base in bases:
        response = httpx.get(f"{base}/{conference.slug}/program/{day}/", timeout=10, follow_redirects=True)
        if seminar.title not in response.text:
            print(f"  {base}: HTTP {response.status_code}, the new title “{seminar.title}” is not on the day page")
            seen = False
    return seen


def run_once(args, env, attendees, worker_class: str, conference, warmers: list[Attendee], sink) -> dict:
    reset_bookings(args.db_name)
    ports = [free_port() for _ in range(args.web_processes)]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    logdir = Path(tempfile.mkdtemp(prefix="mvt-bench-rush-"))
    logs = [logdir / f"gunicorn-{worker_class}-{port}.log" for port in ports]
    workers = max(1, args.workers // args.web_processes)
    procs = [start_gunicorn(env, port, worker_class, workers, args.threads, log)
             for port, log in zip(ports, logs, strict=True)]
    outbox = []
    try:
        for proc, base, log in zip(procs, bases, logs, strict=True):
            wait_until_up(proc, base, log)
        # Warm every worker (imports, templates, translations, connections) with bookings that are wiped below.
        asyncio.run(rush(bases, warmers, min(len(warmers), 2 * args.workers), 30, 10_000, conference.slug))
        reset_bookings(args.db_name)
        sink.messages.clear()
        outbox = start_outbox_workers(env, args.outbox_workers)
        sampler = CpuSampler([p.pid for p in procs], args.db_name, [p.pid for p in outbox]).__enter__()
        client_before = time.process_time()
        results, elapsed, capped = asyncio.run(
            rush(bases, attendees, args.concurrency, args.time_cap, args.request_cap, conference.slug)
        )
        client_cpu = time.process_time() - client_before
        web_seconds = sampler.seconds("gunicorn")
        drain, promised, sent, failed = wait_for_outbox(args.drain_cap)
        sampler.stop()
        change_seen = check_change_shows_everywhere(bases, conference) if len(bases) > 1 else None
    finally:
        for proc in procs:
            stop_gunicorn(proc)
        for proc in outbox:
            stop_gunicorn(proc)
    server_errors = "".join(log.read_text() for log in logs if log.exists())
    outcomes = classify(results)
    db = check_database(conference)
    latencies = sorted(r.ms for r in results if r.status)
    status = Counter(r.status // 100 * 100 if r.status else 0 for r in results)
    booked = outcomes["seat"] + outcomes["line"]
    answered = max(sum(1 for r in results if r.status), 1)
    received = Counter(m["Message-ID"] for m in sink.messages)
    cpu_ms = {
        "gunicorn": web_seconds * 1000 / answered,
        "postgres": sampler.seconds("postgres") * 1000 / answered,  # includes the outbox workers' queries
        "outbox": sampler.seconds("outbox") * 1000 / answered,
        "client": client_cpu * 1000 / answered,  # includes the sampler thread, a few ms a second
    }
    return {
        "cpu_ms": cpu_ms, "errors": Counter(r.error for r in results if r.error),
        "worker_class": worker_class, "results": results, "elapsed": elapsed, "capped": capped,
        "outcomes": outcomes, "db": db, "status": status, "booked": booked,
        "rate": booked / elapsed if elapsed else 0.0, "request_rate": len(results) / elapsed if elapsed else 0.0,
        "p50": percentile(latencies, 50), "p95": percentile(latencies, 95), "p99": percentile(latencies, 99),
        "max": latencies[-1] if latencies else float("nan"), "server_log": server_errors,
        "outbox": {"drain": drain, "promised": promised, "sent": sent, "failed": failed,
                   "received": sum(received.values()), "distinct": len(received),
                   "doubled": sum(1 for n in received.values() if n > 1)},
        "change_seen": change_seen,
    }


def report(run: dict, args) -> list[str]:
    """Print one run's table; return the list of hard failures."""
    db, outcomes, status, cpu = run["db"], run["outcomes"], run["status"], run["cpu_ms"]
    label = run["worker_class"] + (f" ×{args.threads} threads" if run["worker_class"] == "gthread" else "")
    refusals = sum(n for k, n in outcomes.items() if k.startswith("refused:"))
    print(f"\n== {args.web_processes} × gunicorn {max(1, args.workers // args.web_processes)} workers, {label}, "
          f"{args.outbox_workers} outbox worker(s), {args.concurrency} requests in flight"
          f"{', Redis cache' if args.redis else ''} ==")
    box = run["outbox"]
    rows = [
        ("requests sent", len(run["results"])),
        ("wall time", f"{run['elapsed']:.2f} s" + ("  (TIME CAP HIT)" if run["capped"] else "")),
        ("bookings per second", f"{run['rate']:.0f}  (target ≥ {TARGET_RATE})"),
        ("requests per second", f"{run['request_rate']:.0f}"),
        ("latency p50 / p95 / p99 / max", f"{run['p50']:.0f} / {run['p95']:.0f} / {run['p99']:.0f} / "
                                          f"{run['max']:.0f} ms  (target p95 < {TARGET_P95_MS})"),
        ("HTTP 2xx+3xx / 4xx / 5xx / no answer",
         f"{status[200] + status[300]} / {status[400]} / {status[500]} / {status[0]}"
         + (f"  {dict(run['errors'])}" if run["errors"] else "")),
        ("CPU ms per booking: web / PostgreSQL / outbox worker / client",
         f"{cpu['gunicorn']:.1f} / {cpu['postgres']:.1f} / {cpu['outbox']:.1f} / {cpu['client']:.1f}  → at most "
         f"{(os.cpu_count() or 2) * 1000 / max(sum(cpu.values()), 0.001):.0f} requests/s on idle cores"),
        ("emails promised / sent / failed", f"{box['promised']} / {box['sent']} / {box['failed']}"),
        ("SMTP sink received / distinct Message-IDs / doubled", f"{box['received']} / {box['distinct']} / "
                                                                 f"{box['doubled']}"),
        ("outbox drained after the rush in", f"{box['drain']:.1f} s"),
        ("answers: seat / line / refused", f"{outcomes['seat']} / {outcomes['line']} / {refusals}"
         + (f"  {dict((k, n) for k, n in outcomes.items() if k.startswith('refused:'))}" if refusals else "")),
        ("answers without a message", outcomes["no_message"]),
        ("DB confirmed + waitlisted", f"{db['confirmed']} + {db['waitlisted']} = {db['confirmed'] + db['waitlisted']}"
                                      f"  (answers seat+line: {run['booked']})"),
        ("DB attendees with a booking", db["registrations_with_bookings"]),
        ("seminars full / with a line / small (≤60) full", f"{db['full']} / {db['with_line']} / {db['small_full']}"),
        ("overbooked seminars", len(db["overbooked"])),
        ("line while seats free", len(db["line_with_free_seats"])),
        ("overlapping booking pairs", db["overlapping_pairs"]),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    failures = []
    if status[500]:
        failures.append(f"{status[500]} responses were 5xx")
    if status[0] or status[400]:
        failures.append(f"{status[0]} requests got no answer and {status[400]} got a 4xx")
    if db["overbooked"]:
        failures.append("overbooked: " + ", ".join(f"{s.code} {s.confirmed}/{s.capacity}" for s in db["overbooked"]))
    if db["line_with_free_seats"]:
        failures.append(f"{len(db['line_with_free_seats'])} seminars have a line while seats are free")
    if db["overlapping_pairs"]:
        failures.append(f"{db['overlapping_pairs']} overlapping booking pairs")
    if db["confirmed"] + db["waitlisted"] != run["booked"]:
        failures.append(f"DB holds {db['confirmed'] + db['waitlisted']} bookings but {run['booked']} answers "
                        "said seat or line")
    if outcomes["no_message"]:
        failures.append(f"{outcomes['no_message']} answers carried no message")
    if run["capped"]:
        failures.append("the time cap ended the rush early")
    if box["promised"] != run["booked"] or box["sent"] != box["promised"] or box["distinct"] != box["promised"]:
        failures.append(f"outbox: {box['promised']} promised for {run['booked']} bookings, {box['sent']} sent, "
                        f"{box['distinct']} distinct received")
    if box["doubled"]:
        failures.append(f"{box['doubled']} emails arrived twice")
    if run["change_seen"] is False:
        failures.append("a programme change did not show at once on every web process")
    if run["change_seen"]:
        print("  programme change through one process shown at once on the other: yes")
    if run["server_log"].strip():
        print("  gunicorn error log (last 2000 chars):\n" + run["server_log"][-2000:])
    return failures


def profile_booking(conference, attendees: list[Attendee], runs: int) -> None:
    """One booking request in-process (Django test client, same database): its queries, then a pyinstrument
    profile over `runs` bookings. Uses its own attendees, booking small and large rooms alike."""
    from django.db import connection
    from django.test import Client

    from registration.models import Booking
    from sessions.models import Seminar, SeminarStatus

    seminars = list(Seminar.objects.filter(conference=conference, status=SeminarStatus.PUBLISHED)
                    .order_by("start", "room__order"))
    first = seminars[0]

    def client_for(attendee):
        client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
        client.cookies["sessionid"] = attendee.session_key
        client.cookies["csrftoken"] = attendee.csrf
        return client

    def book(attendee, seminar):
        return client_for(attendee).post(f"/{conference.slug}/seminars/{seminar.code}/book/",
                                         HTTP_X_CSRFTOKEN=attendee.csrf)

    book(attendees[0], first)  # warm up imports and templates
    print(f"\n== one booking request in-process ({first.code}, capacity {first.capacity}) ==")
    queries = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(((time.perf_counter() - started) * 1000, sql))

    with connection.execute_wrapper(timed):
        started = time.perf_counter()
        response = book(attendees[1], first)
        total = (time.perf_counter() - started) * 1000
    sql_ms = sum(ms for ms, _sql in queries)
    print(f"  status {response.status_code}, {total:.1f} ms wall, {len(queries)} queries taking {sql_ms:.1f} ms "
          "(round trip included)")
    for number, (ms, sql) in enumerate(queries, 1):
        print(f"  {number:>2}. {ms:5.2f} ms  {sql[:140]}")
    pool = attendees[2:2 + runs]
    started, cpu_started = time.perf_counter(), time.process_time()
    for i, attendee in enumerate(pool):
        book(attendee, seminars[i % len(seminars)])
    n = max(len(pool), 1)
    print(f"  {len(pool)} more bookings without a profiler: {(time.perf_counter() - started) * 1000 / n:.1f} ms "
          f"wall, {(time.process_time() - cpu_started) * 1000 / n:.1f} ms CPU of this process each")
    reset = Booking.objects.filter(registration__user_id__in=[a.user_id for a in pool])
    reset.delete()

    try:
        from pyinstrument import Profiler
    except ImportError:
        print("  (pip install pyinstrument for a profile)")
        return
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    with profiler:
        for i, attendee in enumerate(pool):
            book(attendee, seminars[i % len(seminars)])
    per_request = (time.perf_counter() - started) * 1000 / max(len(pool), 1)
    print(f"\n== pyinstrument over {len(pool)} bookings in-process: {per_request:.1f} ms each ==")
    print(profiler.output_text(unicode=True, color=False, show_all=False, short_mode=False))


def main() -> int:
    cores = os.cpu_count() or 2
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attendees", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=64, help="requests in flight (default 64)")
    parser.add_argument("--worker-class", choices=["sync", "gthread", "both"], default="both")
    parser.add_argument("--workers", type=int, default=2 * cores + 1, help=f"default 2×cores+1 = {2 * cores + 1}")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker (default 4)")
    parser.add_argument("--time-cap", type=float, default=120.0, help="seconds for one rush (default 120)")
    parser.add_argument("--request-cap", type=int, default=5000, help="requests in one rush (default 5000)")
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--db-name", default="mvt_bench_rush")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="afterwards, profile one booking in-process and N more with pyinstrument")
    parser.add_argument("--keep-db", action="store_true", help="leave the database for inspection")
    parser.add_argument("--outbox-workers", type=int, default=1, help="run_worker processes (default 1)")
    parser.add_argument("--web-processes", type=int, default=1, help="gunicorn masters on separate ports")
    parser.add_argument("--redis", action="store_true", help="shared cache and sessions in Redis (db 13)")
    parser.add_argument("--drain-cap", type=float, default=300.0, help="seconds to wait for the outbox")
    args = parser.parse_args()
    args.attendees = max(1, min(args.attendees, 5000))
    args.concurrency = max(1, min(args.concurrency, 256))
    args.time_cap = max(5.0, min(args.time_cap, 300.0))
    if not args.db_name.isidentifier():
        parser.error("--db-name must be a plain identifier")

    env = server_env(args.db_name)
    sink = start_smtp_sink()
    env["EMAIL_PORT"] = str(sink.port)
    if args.redis:
        env["REDIS_URL"] = "redis://127.0.0.1:6379/13"
        env["CACHE_KEY_PREFIX"] = f"bench-{secrets.token_hex(4)}"
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS",
                                           "SECURE_SSL_REDIRECT", "DATABASE_URL", "CONN_MAX_AGE", "EMAIL_BACKEND",
                                           "SITE_URL", "EMAIL_HOST", "EMAIL_PORT")})
    os.environ.pop("DATABASE_TEST_NAME", None)
    warnings.filterwarnings("ignore", message="No directory at")

    started = time.perf_counter()
    pg_admin(f"DROP DATABASE IF EXISTS {args.db_name} WITH (FORCE)", f"CREATE DATABASE {args.db_name}")
    manage(env, "migrate", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")  # DEBUG off serves hashed static files
    manage(env, "load_demo_programme", "--first-day", "+21", "--verbosity", "0")  # booking is open

    import django

    django.setup()
    from django.db import connection

    from sessions.demo import DEMO_SLUG
    from sessions.models import Conference

    conference = Conference.objects.get(slug=DEMO_SLUG)
    attendees = create_attendees(conference, args.attendees, "rush")
    warmers = create_attendees(conference, 4 * args.workers, "warm")
    profilers = create_attendees(conference, args.profile + 2, "prof") if args.profile else []
    plan = plan_bookings(conference, attendees, args.seed)
    plan_bookings(conference, warmers, args.seed + 1)
    connection.close()
    pg_admin("VACUUM ANALYZE", db=args.db_name)
    print(f"PostgreSQL database {args.db_name}: {plan['seminars']} bookable seminars in {plan['slots']} time slots, "
          f"{args.attendees} attendees × 3 bookings in 3 different slots (seed {args.seed}); "
          f"{plan['oversubscribed']} seminars asked for beyond their seats ({plan['small_oversubscribed']} of them "
          f"rooms ≤ 60). Setup {time.perf_counter() - started:.1f} s.")
    print(f"Emails: an outbox row per booking, sent by {args.outbox_workers} run_worker process(es) over SMTP to a "
          f"sink on 127.0.0.1:{sink.port} (text + HTML + .ics invitation for seats).")
    print(f"Machine: {cores} cores, load average {os.getloadavg()[0]:.2f} before the rush; the client "
          "(asyncio + httpx) shares the cores with gunicorn and PostgreSQL.")

    classes = ["sync", "gthread"] if args.worker_class == "both" else [args.worker_class]
    runs, failures = [], []
    try:
        for worker_class in classes:
            run = run_once(args, env, attendees, worker_class, conference, warmers, sink)
            runs.append(run)
            failures += [f"{worker_class}: {f}" for f in report(run, args)]
        if args.profile:
            reset_bookings(args.db_name)
            profile_booking(conference, profilers, args.profile)
    finally:
        connection.close()
        if not args.keep_db:
            pg_admin(f"DROP DATABASE IF EXISTS {args.db_name} WITH (FORCE)")

    clean = [r for r in runs if not any(f.startswith(f"{r['worker_class']}:") for f in failures)]
    best = max(clean or runs, key=lambda r: r["rate"])
    print(f"\nBest: {best['worker_class']} — {best['rate']:.0f} bookings/s, p50 {best['p50']:.0f} ms, "
          f"p95 {best['p95']:.0f} ms, p99 {best['p99']:.0f} ms, {best['status'][500]} × 5xx, "
          f"{len(best['db']['overbooked'])} overbooked seminars.")
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        return 1
    if best["rate"] < TARGET_RATE or best["p95"] >= TARGET_P95_MS:
        print(f"Below target (≥ {TARGET_RATE} bookings/s with p95 < {TARGET_P95_MS} ms).")
        return 2
    print("Target met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
