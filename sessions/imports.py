"""Programme import from a spreadsheet (CSV or XLSX): read rows, preview what they would do, apply them.

Columns (first row, any order, case-insensitive): code, title, abstract, track, room, day, start, end,
seats, language, status, speakers, kind. `code` empty creates a seminar; a seminar's public code updates it.
`day` is YYYY-MM-DD, `start`/`end` HH:MM local time (Europe/Stockholm). `seats` empty uses the room's.
`status` is draft (default) or published; `language` sv (default) or en. `kind` (optional column) is
seminar (default), plenary, break or exhibition, in English or Swedish (seminarium, plenum, paus,
utställning); only seminars have seats and need a track.

Speakers, one cell: people separated by ";", each written `Name <email>` optionally followed by
`, Organisation` — e.g. `Anna Berg <anna@kommun.se>, Kista kommun; Omar Ali <omar@example.org>`.
A speaker is matched by email within the conference; an unknown email creates the speaker.

Nothing is saved by `preview_import`; `apply_import` saves every row through `save_seminar` (locks,
revision, the bookings port) in one transaction, or nothing. Rows are saved in file order: a row may
take a slot that an earlier row moves a seminar out of, not one that a later row frees.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.errors import AppError
from common.text import CONTROL_CHARACTERS

from . import services
from .models import LOCAL_TZ, Conference, Room, Seminar, SeminarKind, SeminarSpeaker, SeminarStatus, Speaker, Track
from .services import Conflict, ProgrammeError

COLUMNS = ["code", "title", "abstract", "track", "room", "day", "start", "end", "seats", "language", "status",
           "speakers", "kind"]
KINDS = {
    **{kind.value: kind for kind in SeminarKind},
    "seminarium": SeminarKind.SEMINAR, "plenum": SeminarKind.PLENARY, "paus": SeminarKind.BREAK,
    "utställning": SeminarKind.EXHIBITION,
}
REQUIRED_COLUMNS = ["title", "track", "room", "day", "start", "end"]
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
# Checked again inside save_seminar; the preview reports them per cell instead.
_CONFLICT_COLUMNS = {"room": "room", "speakers": "speakers", "capacity": "seats", "start": "start", "end": "end",
                     "track": "track"}


class ImportCode(StrEnum):
    UNSUPPORTED_FILE = "unsupported_file"
    BAD_ENCODING = "bad_encoding"
    UNREADABLE = "unreadable"
    TOO_LARGE = "too_large"
    TOO_MANY_ROWS = "too_many_rows"
    EMPTY = "empty"
    MISSING_COLUMNS = "missing_columns"
    HAS_ERRORS = "has_errors"
    ROW_REFUSED = "row_refused"


MESSAGES = {
    ImportCode.UNSUPPORTED_FILE: gettext_lazy("Upload a CSV or XLSX file (.csv or .xlsx)."),
    ImportCode.BAD_ENCODING: gettext_lazy("The CSV file is not UTF-8. Save it as “CSV UTF-8” and try again."),
    ImportCode.UNREADABLE: gettext_lazy("The file could not be read as a spreadsheet."),
    ImportCode.TOO_LARGE: gettext_lazy("The file is larger than 2 MB."),
    ImportCode.TOO_MANY_ROWS: gettext_lazy("The file has more than %(max)d rows."),
    ImportCode.EMPTY: gettext_lazy("The file has no header row."),
    ImportCode.MISSING_COLUMNS: gettext_lazy("Columns missing from the first row: %(columns)s."),
    ImportCode.HAS_ERRORS: gettext_lazy("Some rows have errors; nothing was saved."),
}


class RowCode(StrEnum):
    """What is wrong with one row of the file, as preview_import reports it (RowPreview.error_codes).

    Clashes with the saved programme keep check_conflicts' codes (room_double_booked,
    speaker_double_booked); refusals from the bookings port keep theirs.
    """

    UNKNOWN_CODE = "unknown_code"
    DUPLICATE_CODE = "duplicate_code"
    CANCELLED_SEMINAR = "cancelled_seminar"
    MISSING_TITLE = "missing_title"
    BAD_TITLE = "bad_title"
    BAD_KIND = "bad_kind"
    MISSING_TRACK = "missing_track"
    UNKNOWN_TRACK = "unknown_track"
    UNKNOWN_ROOM = "unknown_room"
    BAD_DAY = "bad_day"
    DAY_OUTSIDE_CONFERENCE = "day_outside_conference"
    BAD_TIME = "bad_time"
    ENDS_BEFORE_START = "ends_before_start"
    BAD_SEATS = "bad_seats"
    SEATS_EXCEED_ROOM = "seats_exceed_room"
    SEATS_WITHOUT_BOOKING = "seats_without_booking"
    BAD_LANGUAGE = "bad_language"
    BAD_STATUS = "bad_status"
    BAD_SPEAKER = "bad_speaker"
    SPEAKER_TWICE = "speaker_twice"
    ROOM_DOUBLE_BOOKED = "room_double_booked"
    SPEAKER_DOUBLE_BOOKED = "speaker_double_booked"
    ROOM_TAKEN_IN_FILE = "room_taken_in_file"
    SPEAKER_BUSY_IN_FILE = "speaker_busy_in_file"


class ProgrammeImportError(AppError):
    """The file or the import was refused; nothing was saved. `line` names the row when one row failed."""

    messages = MESSAGES

    def __init__(self, code: str, message: str | None = None, /, line: int | None = None, **params):
        super().__init__(code, message, **params)
        self.line = line


# --- reading ----------------------------------------------------------------------------------------

def parse_rows(file, filename: str) -> list[dict]:
    """The data rows of an uploaded CSV or XLSX file, as dicts of the known columns (strings, stripped)
    plus "line" (the row's number in the spreadsheet). Fully empty rows are skipped; unknown columns ignored.

    Raises ProgrammeImportError: unsupported_file, bad_encoding, unreadable, too_large, too_many_rows,
    empty, missing_columns.
    """
    data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ProgrammeImportError(ImportCode.TOO_LARGE)
    name = (filename or "").lower()
    if name.endswith(".csv"):
        table = _read_csv(data)
    elif name.endswith(".xlsx"):
        table = _read_xlsx(data)
    else:
        raise ProgrammeImportError(ImportCode.UNSUPPORTED_FILE)
    try:
        header = next(table)
    except StopIteration:
        raise ProgrammeImportError(ImportCode.EMPTY) from None
    header = [str(cell or "").strip().lower().lstrip("\ufeff") for cell in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise ProgrammeImportError(ImportCode.MISSING_COLUMNS, columns=", ".join(missing))
    positions = {column: header.index(column) for column in COLUMNS if column in header}
    rows = []
    for line, cells in enumerate(table, start=2):
        values = [_cell_text(cell) for cell in cells]
        if not any(values):
            continue
        if len(rows) >= MAX_ROWS:
            raise ProgrammeImportError(ImportCode.TOO_MANY_ROWS, max=MAX_ROWS)
        row = {column: (values[i] if i < len(values) else "") for column, i in positions.items()}
        row["line"] = line
        rows.append(row)
    return rows


def _read_csv(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProgrammeImportError(ImportCode.BAD_ENCODING) from None
    if "\x00" in text:
        raise ProgrammeImportError(ImportCode.UNREADABLE)
    first_line = text.split("\n", 1)[0]
    # Swedish Excel writes semicolons (the comma is the decimal sign).
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return iter(list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)))
    except csv.Error:
        raise ProgrammeImportError(ImportCode.UNREADABLE) from None


def _read_xlsx(data: bytes):
    from openpyxl import load_workbook

    # Empty rows are skipped later, so read a little more than the limit before calling it too long.
    cap = 2 * MAX_ROWS + 2
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        table = []
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            if len(table) >= cap:
                raise ProgrammeImportError(ImportCode.TOO_MANY_ROWS, max=MAX_ROWS)
            table.append(row)
        workbook.close()
    except ProgrammeImportError:
        raise
    except Exception:
        raise ProgrammeImportError(ImportCode.UNREADABLE) from None
    return iter(table)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%H:%M") if value.date() == date(1899, 12, 30) else (
            value.strftime("%Y-%m-%d") if value.time() == time.min else value.strftime("%Y-%m-%d %H:%M"))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- previewing ---------------------------------------------------------------------------------------

class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ERROR = "error"


@dataclass
class SpeakerEntry:
    name: str
    email: str
    organisation: str
    speaker_id: int | None  # None: created on import


@dataclass
class RowPreview:
    line: int
    cells: dict
    action: Action = Action.ERROR
    code: str = ""  # the code of the seminar it updates
    errors: dict[str, list[str]] = field(default_factory=dict)  # column → messages
    error_codes: list[str] = field(default_factory=list)  # a RowCode or a Conflict code per error, in order
    warnings: list[Conflict] = field(default_factory=list)  # confirmable consequences for booked people
    seminar_id: int | None = None
    values: dict = field(default_factory=dict)
    speakers: list[SpeakerEntry] = field(default_factory=list)

    def add_error(self, code: str, column: str, message: str) -> None:
        self.error_codes.append(str(code))
        self.errors.setdefault(column, []).append(str(message))


@dataclass
class ImportPreview:
    conference: Conference
    rows: list[RowPreview]

    @property
    def has_errors(self) -> bool:
        return any(row.errors for row in self.rows)

    def count(self, action: Action) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def has_changes(self) -> bool:
        return any(row.action in (Action.CREATE, Action.UPDATE) for row in self.rows)


SPEAKER_RE = re.compile(r"^(?P<name>[^<>;]+?)\s*<(?P<email>[^<>\s]+)>\s*(?:,\s*(?P<organisation>.*))?$")
TIME_RE = re.compile(r"^\d{1,2}:\d{2}$")
DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def preview_import(conference: Conference, rows: list[dict]) -> ImportPreview:
    """What importing `rows` (from parse_rows) into `conference` would do, row by row. Saves nothing.

    Each row gets its action (create/update/unchanged/error), the code of the seminar it updates,
    errors per column, and warnings (confirmable consequences for booked attendees, from the bookings
    port). Conflicts are checked against the saved programme and between the rows of the file.
    """
    rooms = {room.name.strip().lower(): room for room in Room.objects.filter(conference=conference)}
    tracks = {track.name.strip().lower(): track for track in Track.objects.filter(conference=conference)}
    codes = [str(row.get("code", "")).strip().upper() for row in rows if row.get("code")]
    existing = {s.code: s for s in Seminar.objects.filter(conference=conference, code__in=codes)
                .select_related("room", "track", "conference")}
    speaker_links = {}
    for seminar_id, speaker_id in SeminarSpeaker.objects.filter(
            seminar__in=[s.pk for s in existing.values()]).order_by("order", "id").values_list("seminar_id",
                                                                                                 "speaker_id"):
        speaker_links.setdefault(seminar_id, []).append(speaker_id)
    speakers_by_email = {}
    for speaker in Speaker.objects.filter(conference=conference).exclude(email="").order_by("pk"):
        speakers_by_email.setdefault(speaker.email.strip().lower(), speaker)

    previews = []
    seen_codes: dict[str, int] = {}
    # Seminars that earlier rows update are saved before later rows: their new places are checked
    # between the rows of the file, so their stored places do not count against later rows.
    updated_before: set[int] = set()
    for row in rows:
        preview = RowPreview(line=int(row.get("line", 0)), cells={c: str(row.get(c, "")) for c in COLUMNS})
        _preview_row(preview, conference, rooms, tracks, existing, speaker_links, speakers_by_email, seen_codes,
                     updated_before)
        if preview.action == Action.UPDATE:
            updated_before.add(preview.seminar_id)
        previews.append(preview)
    _check_within_file(previews)
    for preview in previews:
        if preview.errors:
            preview.action = Action.ERROR
    return ImportPreview(conference=conference, rows=previews)


def _preview_row(preview, conference, rooms, tracks, existing, speaker_links, speakers_by_email, seen_codes,
                 updated_before):
    cells = preview.cells
    code = cells["code"].strip().upper()
    seminar = None
    if code:
        seminar = existing.get(code)
        if seminar is None:
            preview.add_error(RowCode.UNKNOWN_CODE, "code",
                              _("No seminar of this conference has the code %(code)s.") % {"code": code})
        elif code in seen_codes:
            preview.add_error(RowCode.DUPLICATE_CODE, "code", _("The code %(code)s is also on row %(line)d.")
                              % {"code": code, "line": seen_codes[code]})
        elif seminar.status == SeminarStatus.CANCELLED:
            preview.add_error(RowCode.CANCELLED_SEMINAR, "code",
                              _("The seminar is cancelled; change it in the admin, not by import."))
        else:
            preview.code, preview.seminar_id = code, seminar.pk
        seen_codes.setdefault(code, preview.line)

    title = cells["title"].strip()
    if not title:
        preview.add_error(RowCode.MISSING_TITLE, "title", _("A title is needed."))
    elif CONTROL_CHARACTERS.search(title) or len(title) > 200:
        preview.add_error(RowCode.BAD_TITLE, "title", _("The title must be one line of at most 200 characters."))

    kind = KINDS.get(cells["kind"].strip().lower() or SeminarKind.SEMINAR)
    if kind is None:
        preview.add_error(RowCode.BAD_KIND, "kind",
                          _("Kind must be seminar, plenary, break or exhibition."))
    track = tracks.get(cells["track"].strip().lower())
    if not cells["track"].strip():
        if kind == SeminarKind.SEMINAR:
            preview.add_error(RowCode.MISSING_TRACK, "track", _("A seminar needs a track."))
    elif track is None:
        preview.add_error(RowCode.UNKNOWN_TRACK, "track",
                          _("No track “%(name)s” in this conference.") % {"name": cells["track"]})
    room = rooms.get(cells["room"].strip().lower())
    if room is None:
        preview.add_error(RowCode.UNKNOWN_ROOM, "room",
                          _("No room “%(name)s” in this conference.") % {"name": cells["room"]})

    day = None
    day_text = cells["day"].strip()
    if DAY_RE.match(day_text):
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            day = None
    if day is None:
        preview.add_error(RowCode.BAD_DAY, "day", _("Write the day as YYYY-MM-DD, e.g. 2016-02-03."))
    elif not conference.first_day <= day <= conference.last_day:
        preview.add_error(RowCode.DAY_OUTSIDE_CONFERENCE, "day",
                          _("The day must be one of the conference's days, %(first)s to %(last)s.")
                          % {"first": conference.first_day.isoformat(), "last": conference.last_day.isoformat()})
        day = None
    start_time = _parse_time(preview, "start")
    end_time = _parse_time(preview, "end")
    start = end = None
    if day and start_time and end_time:
        start = datetime.combine(day, start_time, tzinfo=LOCAL_TZ)
        end = datetime.combine(day, end_time, tzinfo=LOCAL_TZ)
        if end <= start:
            preview.add_error(RowCode.ENDS_BEFORE_START, "end", _("The seminar must end after it starts."))
            start = end = None

    capacity = None
    seats = cells["seats"].strip()
    if seats and kind not in (None, SeminarKind.SEMINAR):
        preview.add_error(RowCode.SEATS_WITHOUT_BOOKING, "seats",
                          _("Only seminars have seats to book; leave seats empty for a plenary, break or "
                            "exhibition."))
    elif seats:
        if not seats.isdigit() or int(seats) < 1:
            preview.add_error(RowCode.BAD_SEATS, "seats", _("Seats must be a whole number, at least 1."))
        elif room is not None and int(seats) > room.capacity:
            preview.add_error(RowCode.SEATS_EXCEED_ROOM, "seats", _("%(room)s holds only %(seats)d seats.")
                              % {"room": room.name, "seats": room.capacity})
        else:
            capacity = int(seats)
    elif room is not None:
        capacity = room.capacity

    language = cells["language"].strip().lower() or Seminar.Language.SWEDISH
    if language not in Seminar.Language.values:
        preview.add_error(RowCode.BAD_LANGUAGE, "language", _("Language must be sv or en."))
    status = cells["status"].strip().lower() or SeminarStatus.DRAFT
    if status not in (SeminarStatus.DRAFT, SeminarStatus.PUBLISHED):
        preview.add_error(RowCode.BAD_STATUS, "status", _("Status must be draft or published."))

    preview.speakers = _parse_speakers(preview, speakers_by_email)

    if preview.errors:
        return
    preview.values = {"kind": kind, "title": title, "abstract": cells["abstract"].strip(),
                      "track_id": track.pk if track else None, "room_id": room.pk, "start": start, "end": end,
                      "capacity": capacity, "language": language, "status": status}
    speaker_ids = [entry.speaker_id for entry in preview.speakers if entry.speaker_id is not None]
    if seminar is not None:
        stored = {name: getattr(seminar, name) for name in preview.values}
        if stored == preview.values and speaker_links.get(seminar.pk, []) == speaker_ids \
                and len(speaker_ids) == len(preview.speakers):
            preview.action = Action.UNCHANGED
            return
        candidate = Seminar.objects.select_related("room", "track", "conference").get(pk=seminar.pk)
        preview.action = Action.UPDATE
    else:
        candidate = Seminar(conference=conference)
        preview.action = Action.CREATE
    for name, value in preview.values.items():
        setattr(candidate, name, value)
    candidate.room, candidate.track = room, track
    for problem in services.check_conflicts(candidate, speaker_ids=speaker_ids):
        if problem.code in ("capacity_exceeds_room", "outside_conference_days"):
            continue  # already said per cell above
        if problem.other is not None and problem.other.pk in updated_before:
            continue
        preview.add_error(problem.code, _CONFLICT_COLUMNS.get(problem.field, "title"), problem.message)
    if preview.errors or seminar is None:
        return
    if not candidate.is_bookable and sum(services.booking_counts(candidate)):
        preview.add_error(services.Code.KIND_WITH_BOOKINGS, "kind",
                          services.MESSAGES[services.Code.KIND_WITH_BOOKINGS])
        return
    for problem in services.preview_change(candidate):
        if problem.confirmable:
            preview.warnings.append(problem)
        else:
            preview.add_error(problem.code, _CONFLICT_COLUMNS.get(problem.field, "status"), problem.message)


def _parse_time(preview: RowPreview, column: str) -> time | None:
    text = preview.cells[column].strip()
    if TIME_RE.match(text):
        hours, minutes = (int(part) for part in text.split(":"))
        if hours < 24 and minutes < 60:
            return time(hours, minutes)
    preview.add_error(RowCode.BAD_TIME, column, _("Write the time as HH:MM, e.g. 09:30."))
    return None


def _parse_speakers(preview: RowPreview, speakers_by_email) -> list[SpeakerEntry]:
    entries, emails = [], set()
    for part in preview.cells["speakers"].split(";"):
        part = part.strip()
        if not part:
            continue
        match = SPEAKER_RE.match(part)
        email = match["email"].strip().lower() if match else ""
        if match:
            try:
                validate_email(email)
            except ValidationError:
                match = None
        if match and (CONTROL_CHARACTERS.search(part) or len(match["name"].strip()) > 150
                      or len((match["organisation"] or "").strip()) > 200):
            match = None
        if not match:
            preview.add_error(RowCode.BAD_SPEAKER, "speakers",
                              _("Write each speaker as “Name <email>, Organisation”, separated by "
                                            "semicolons: “%(part)s” is not.") % {"part": part})
            continue
        if email in emails:
            preview.add_error(RowCode.SPEAKER_TWICE, "speakers", _("%(email)s is listed twice.") % {"email": email})
            continue
        emails.add(email)
        known = speakers_by_email.get(email)
        entries.append(SpeakerEntry(name=match["name"].strip(), email=email,
                                    organisation=(match["organisation"] or "").strip(),
                                    speaker_id=known.pk if known else None))
    return entries


def _check_within_file(previews: list[RowPreview]) -> None:
    """Rooms and speakers double-booked by two rows of the file. Rows already refused by the saved
    programme (check_conflicts, per row) are left out, so a clash is reported once."""
    placed = [p for p in previews if p.values and not p.errors]
    for i, later in enumerate(placed):
        for earlier in placed[:i]:
            a, b = earlier.values, later.values
            if not (a["start"] < b["end"] and b["start"] < a["end"]):
                continue
            when = f"{a['start'].astimezone(LOCAL_TZ):%H:%M}–{a['end'].astimezone(LOCAL_TZ):%H:%M}"
            if a["room_id"] == b["room_id"]:
                later.add_error(RowCode.ROOM_TAKEN_IN_FILE, "room",
                                _("%(room)s is already taken by “%(other)s” (row %(line)d, %(when)s).")
                                % {"room": later.cells["room"], "other": a["title"], "line": earlier.line,
                                   "when": when})
            shared = {s.email for s in earlier.speakers} & {s.email for s in later.speakers}
            for email in sorted(shared):
                name = next(s.name for s in later.speakers if s.email == email)
                later.add_error(RowCode.SPEAKER_BUSY_IN_FILE, "speakers",
                                _("%(speaker)s already speaks in “%(other)s” (row %(line)d, %(when)s).")
                                % {"speaker": name, "other": a["title"], "line": earlier.line, "when": when})


# --- applying ------------------------------------------------------------------------------------------

def apply_import(conference: Conference, preview: ImportPreview,
                 confirm: Mapping[int, Collection[str]] | None = None) -> dict[str, int]:
    """Save every created or updated row of `preview` through save_seminar, in one transaction, or none.

    `confirm` maps a row's line to the warning codes the organiser accepted (passed to save_seminar).
    Unchanged rows are not touched. Creates the speakers the file introduces. Returns counts per action.

    Raises ProgrammeImportError("has_errors") if any row has errors, and ("row_refused", line=…) with
    save_seminar's message when saving a row fails; nothing is saved then.
    """
    if preview.has_errors:
        raise ProgrammeImportError(ImportCode.HAS_ERRORS)
    confirm = confirm or {}
    try:
        with transaction.atomic():
            created_speakers: dict[str, int] = {}
            for row in preview.rows:
                if row.action not in (Action.CREATE, Action.UPDATE):
                    continue
                speaker_ids = [_speaker_id(conference, entry, created_speakers) for entry in row.speakers]
                if row.action == Action.UPDATE:
                    seminar = Seminar.objects.select_related("room", "track", "conference").get(
                        pk=row.seminar_id, conference=conference)
                else:
                    seminar = Seminar(conference=conference)
                for name, value in row.values.items():
                    setattr(seminar, name, value)
                try:
                    services.save_seminar(seminar=seminar, speaker_ids=speaker_ids,
                                          confirm=frozenset(confirm.get(row.line, ())))
                except ProgrammeError as error:
                    raise ProgrammeImportError(ImportCode.ROW_REFUSED, _("Row %(line)d: %(message)s")
                                       % {"line": row.line, "message": error.message}, line=row.line) from error
    except Seminar.DoesNotExist:
        raise ProgrammeImportError(ImportCode.HAS_ERRORS) from None
    return {action: preview.count(action) for action in (Action.CREATE, Action.UPDATE, Action.UNCHANGED)}


def _speaker_id(conference: Conference, entry: SpeakerEntry, created: dict[str, int]) -> int:
    if entry.speaker_id is not None:
        return entry.speaker_id
    if entry.email in created:
        return created[entry.email]
    base = slugify(entry.name)[:140].strip("-") or "speaker"
    slug, n = base, 1
    while Speaker.objects.filter(conference=conference, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    speaker = Speaker.objects.create(conference=conference, name=entry.name[:150], slug=slug, email=entry.email,
                                     organisation=entry.organisation[:200])
    created[entry.email] = speaker.pk
    return speaker.pk


# --- the template -------------------------------------------------------------------------------------

def template_rows(conference: Conference) -> list[list[str]]:
    """The template's header and one example row (with the conference's own first day, room and track)."""
    room = conference.rooms.order_by("order", "name").first()
    track = conference.tracks.order_by("order", "name").first()
    return [COLUMNS, [
        "", "Trygghetslarm i hemtjänsten", "Erfarenheter från tre kommuner.", track.name if track else "Äldreomsorg",
        room.name if room else "Sal A", conference.first_day.isoformat(), "10:00", "10:45", "", "sv", "draft",
        "Anna Berg <anna.berg@example.org>, Kista kommun; Omar Ali <omar.ali@example.org>", "seminar",
    ]]


def template_csv(conference: Conference) -> bytes:
    """The template as CSV (UTF-8 with BOM and semicolons, as Swedish Excel opens it)."""
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(template_rows(conference))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(conference: Conference) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Program"
    for row in template_rows(conference):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
