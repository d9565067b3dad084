"""Sample spreadsheets of the demo programme for the import (sessions/demo_data/), made from the demo itself.

- mvt2016-programme.csv: the demo's seminars (not the cancelled one) without codes. Imports cleanly into
  the conference `manage.py load_demo_programme --seminars 0` makes (rooms and tracks, no seminars).
- mvt2016-programme-with-mistakes.csv: for the full demo (`manage.py load_demo_programme`); every kind of
  row error the preview knows (imports.RowCode), once each, one row per mistake, plus the clean rows the
  mistakes need (a code given twice, a room and a speaker taken by an earlier row).

Regenerate with `manage.py write_programme_samples` after changing the demo; a test compares the files.
"""

import csv
import io
from datetime import timedelta
from pathlib import Path

from django.db import transaction

from . import imports
from .demo import build_demo_programme
from .models import LOCAL_TZ, Conference, Seminar, SeminarKind, SeminarStatus

SAMPLES_DIR = Path(__file__).resolve().parent / "demo_data"
CLEAN_FILE = "mvt2016-programme.csv"
MISTAKES_FILE = "mvt2016-programme-with-mistakes.csv"


def _speakers(seminar: Seminar) -> str:
    return "; ".join(f"{link.speaker.name} <{link.speaker.email}>, {link.speaker.organisation}"
                     for link in seminar.seminar_speakers.all())


def _row(seminar: Seminar, *, code: str = "", status: str | None = None) -> list[str]:
    start, end = seminar.start.astimezone(LOCAL_TZ), seminar.end.astimezone(LOCAL_TZ)
    return [code, seminar.title, seminar.abstract, seminar.track.name if seminar.track else "", seminar.room.name,
            start.date().isoformat(), f"{start:%H:%M}", f"{end:%H:%M}",
            str(seminar.capacity) if seminar.is_bookable else "", seminar.language, status or seminar.status,
            _speakers(seminar), seminar.kind]


def _seminars(conference: Conference):
    return (conference.seminars.select_related("room", "track").order_by("start", "room__order")
            .prefetch_related("seminar_speakers__speaker"))


def clean_rows(conference: Conference) -> list[list[str]]:
    """The demo's seminars (not the cancelled one) and its plenaries, breaks and exhibition hours, as rows
    that create them."""
    return [imports.COLUMNS] + [_row(s) for s in _seminars(conference).exclude(status=SeminarStatus.CANCELLED)]


def mistake_rows(conference: Conference) -> list[list[str]]:
    """Rows for the full demo: each RowCode once, one mistake per row, and the clean rows they need."""
    seminars = list(_seminars(conference).filter(kind=SeminarKind.SEMINAR))
    first = seminars[0]  # 09:00 in the first room on the first day
    busy = next(s for s in seminars if s.start == first.start and s.status != SeminarStatus.CANCELLED
                and s.pk != first.pk)
    cancelled = next(s for s in seminars if s.status == SeminarStatus.CANCELLED)
    codes = {s.code for s in seminars}
    unknown = next(code for code in ("ZZZZZZ", "ZZZZZY", "ZZZZZX") if code not in codes)
    rooms = list(conference.rooms.order_by("order"))
    track = conference.tracks.order_by("order").first().name
    smallest = min(rooms, key=lambda room: room.capacity)
    day, other_day = (d.isoformat() for d in conference.days)
    after_last = (conference.last_day + timedelta(days=1)).isoformat()
    busy_speaker = busy.seminar_speakers.all()[0].speaker
    new_speaker = "Nora Nyström <nora.nystrom@example.org>, Solna stad"

    def new(title, abstract, *, room=rooms[1].name, day=other_day, start="10:15", end="11:00", seats="",
            language="sv", status="draft", speakers="", track=track, kind=""):
        return ["", title, abstract, track, room, day, start, end, seats, language, status, speakers, kind]

    return [imports.COLUMNS,
            # Clean rows the mistakes below refer to.
            _row(first, code=first.code),
            new("Nya arbetssätt i hemtjänsten", "Rätt rad: de två sista raderna krockar med den.",
                room=rooms[1].name, speakers=new_speaker),
            # One mistake per row, in the order of RowCode.
            _row(first, code=unknown),
            _row(first, code=first.code),
            _row(cancelled, code=cancelled.code, status=SeminarStatus.PUBLISHED),
            new("", "Fel: titeln saknas.", room=rooms[2].name),
            new("Två rader\ni titeln", "Fel: titeln har en radbrytning.", room=rooms[2].name),
            new("Okänd sorts punkt", "Fel: sorten är seminar, plenary, break eller exhibition.", kind="föredrag",
                room=rooms[2].name),
            new("Seminarium utan spår", "Fel: ett seminarium behöver ett spår.", track="", room=rooms[2].name),
            new("Okänt spår", "Fel: spåret finns inte.", track="Äldrevård", room=rooms[2].name),
            new("Okänt rum", "Fel: rummet finns inte.", room="Sal Kiruna"),
            new("Felskriven dag", "Fel: dagen är inte ÅÅÅÅ-MM-DD.", day="3/2/2016", room=rooms[2].name),
            new("Dag efter konferensen", "Fel: dagen ligger efter konferensen.", day=after_last, room=rooms[2].name),
            new("Felskriven tid", "Fel: starttiden har punkt i stället för kolon.", start="10.15",
                room=rooms[2].name),
            new("Slutar före start", "Fel: sluttiden är före starttiden.", start="11:00", end="10:15",
                room=rooms[2].name),
            new("Felskrivna platser", "Fel: platserna är inte ett heltal.", seats="många", room=rooms[2].name),
            new("För många platser", f"Fel: {smallest.name} rymmer {smallest.capacity}.", room=smallest.name,
                seats=str(smallest.capacity + 15)),
            new("Kaffe med platser", "Fel: en paus har inga platser att boka.", kind="paus", track="", seats="40",
                room=rooms[2].name),
            new("Okänt språk", "Fel: språket är sv eller en.", language="svenska", room=rooms[2].name),
            new("Okänd status", "Fel: status är draft eller published.", status="klar", room=rooms[2].name),
            new("Felskriven talare", "Fel: e-postadressen saknar <>.", speakers="Anna Berg anna.berg@example.org",
                room=rooms[2].name),
            new("Samma talare två gånger", "Fel: samma e-post två gånger.",
                speakers="Anna Berg <anna.berg@example.org>; Anna Berg <anna.berg@example.org>",
                room=rooms[2].name),
            new("Rummet är upptaget", f"Fel: {first.room.name} har redan “{first.title}”.", room=first.room.name,
                day=day, start="09:15", end="09:45"),
            new("Talaren är upptagen", f"Fel: {busy_speaker.name} talar redan i “{busy.title}”.",
                room=cancelled.room.name, day=day, start="09:15", end="09:45",
                speakers=f"{busy_speaker.name} <{busy_speaker.email}>, {busy_speaker.organisation}"),
            new("Rummet tas av en rad ovanför", "Fel: rad 3 har redan rummet.", room=rooms[1].name,
                start="10:30", end="11:00"),
            new("Talaren tas av en rad ovanför", "Fel: talaren talar redan på rad 3.", room=rooms[3].name,
                speakers=new_speaker),
            ]


def to_csv(rows: list[list[str]]) -> bytes:
    """CSV as the import's template writes it: UTF-8 with BOM, semicolons."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def sample_files() -> dict[str, bytes]:
    """Both samples, built from a fresh demo in a transaction that is rolled back (the database is untouched)."""
    with transaction.atomic():
        conference = build_demo_programme()
        files = {CLEAN_FILE: to_csv(clean_rows(conference)), MISTAKES_FILE: to_csv(mistake_rows(conference))}
        transaction.set_rollback(True)
    return files


def write_samples(directory: Path = SAMPLES_DIR) -> list[Path]:
    directory.mkdir(exist_ok=True)
    written = []
    for name, data in sample_files().items():
        (directory / name).write_bytes(data)
        written.append(directory / name)
    return written
