"""Read paths for the programme pages (public, and the organisers' board). Each does its joins once so query
counts do not grow."""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import models
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from common.prepared import PreparedQuery
from common.text import swedish_key, swedish_letters

from .models import (
    LOCAL_TZ,
    PUBLIC_STATUSES,
    Conference,
    ItemState,
    Room,
    Seminar,
    SeminarKind,
    SeminarSpeaker,
    SeminarStatus,
    Speaker,
    Track,
)

# The reads every public programme page makes, compiled once per connection (common/prepared.py): on a
# page's cold path building these querysets cost more CPU than everything the database did for them.
_ID, _WHEN, _TEXT = models.IntegerField(), models.DateTimeField(), models.CharField()
_PUBLIC_CONFERENCE = PreparedQuery(
    lambda param: Conference.objects.filter(is_published=True, slug=param("slug", _TEXT)), model=Conference
)
_TRACKS = PreparedQuery(
    lambda param: Track.objects.filter(conference_id=param("conference", _ID)).order_by("order", "name"), model=Track
)
_ROOMS = PreparedQuery(
    lambda param: Room.objects.filter(conference_id=param("conference", _ID)).order_by("order", "name"), model=Room
)
_VERSION = PreparedQuery(
    lambda param: Seminar.objects.filter(conference_id=param("conference", _ID))
    .values("conference_id").annotate(count=Count("pk"), newest=Max("updated_at")).values_list("count", "newest")
    .order_by()
)


def published_conferences():
    return Conference.objects.filter(is_published=True).order_by("-first_day")


def get_public_conference(slug: str) -> Conference:
    """The published conference with this slug (404 otherwise); slugs are unique."""
    found = _PUBLIC_CONFERENCE.objects(slug=slug)
    if not found:
        raise Http404("No such conference")
    return found[0]


def _speakers_prefetch() -> Prefetch:
    return Prefetch(
        "seminar_speakers",
        queryset=SeminarSpeaker.objects.select_related("speaker__conference").order_by("order", "id"),
        to_attr="ordered_speakers",
    )


def public_seminars(conference: Conference):
    """Published and cancelled seminars of a conference with room, track and ordered speakers loaded."""
    return (
        Seminar.objects.public().filter(conference=conference)
        .select_related("conference", "room", "track")
        .prefetch_related(_speakers_prefetch())
        .order_by("start", "room__order", "room__name")
    )


@dataclass(slots=True, eq=False)
class ProgrammeItem(ItemState):
    """A seminar or programme item as the day pages show it: the columns they read, the shared room and
    track, `url` and `speaker_names`. Plain attributes instead of a model instance, because building
    ~30–120 Seminar objects was most of a day page's cold render. Same names as Seminar's, so
    lay_out_grid and the card tags take either."""

    pk: int
    code: str
    title: str
    start: datetime
    end: datetime
    room_id: int
    track_id: int | None
    kind: str
    language: str
    status: str
    conference: Conference | None = None
    room: Room | None = None
    track: Track | None = None
    url: str = ""
    speaker_names: list[str] = field(default_factory=list)

    FIELDS = ("pk", "code", "title", "start", "end", "room_id", "track_id", "kind", "language", "status")

    def get_absolute_url(self) -> str:
        return self.url


def _day_public(param, prefix: str = "") -> Q:
    """A published conference's public seminars and items starting on one day (Europe/Stockholm)."""
    return Q(**{
        f"{prefix}conference_id": param("conference", _ID), f"{prefix}status__in": PUBLIC_STATUSES,
        f"{prefix}start__gte": param("start", _WHEN), f"{prefix}start__lt": param("end", _WHEN),
    })


_DAY_ITEMS = PreparedQuery(
    lambda param: Seminar.objects.filter(_day_public(param)).order_by().values_list(*ProgrammeItem.FIELDS)
)
# Under a track filter, plenaries, breaks and exhibition hours stay: they are for everyone.
_DAY_ITEMS_OF_TRACK = PreparedQuery(
    lambda param: Seminar.objects.filter(_day_public(param))
    .filter(Q(track_id=param("track", _ID)) | ~Q(kind=SeminarKind.SEMINAR)).order_by()
    .values_list(*ProgrammeItem.FIELDS)
)
_DAY_SPEAKERS = PreparedQuery(
    lambda param: SeminarSpeaker.objects.filter(_day_public(param, "seminar__")).order_by("order", "id")
    .values_list("seminar_id", "speaker__name")
)


def programme_for_day(
    conference: Conference, day: date, track: Track | None = None, *,
    rooms: list[Room] | None = None, tracks: list[Track] | None = None,
) -> list[ProgrammeItem]:
    """A day's public seminars and items for the programme pages, in two prepared queries (four when the
    caller does not pass the `rooms` and `tracks` it has already loaded): rooms and tracks are shared,
    speakers come as names, and each seminar is a ProgrammeItem, not a model instance (the page's cold
    path)."""
    if not conference.is_published:
        return []  # nothing of it is public (the queries below take the conference as published)
    start = datetime.combine(day, time.min, tzinfo=LOCAL_TZ)
    when = {"conference": conference.pk, "start": start, "end": start + timedelta(days=1)}
    found = _DAY_ITEMS.rows(**when) if track is None else _DAY_ITEMS_OF_TRACK.rows(**when, track=track.pk)
    rooms = {room.pk: room for room in (rooms if rooms is not None else rooms_of(conference))}
    tracks = {each.pk: each for each in (tracks if tracks is not None else tracks_of(conference))}
    # Ordered here by the rooms already loaded rather than by a join in the query.
    items = sorted(
        (ProgrammeItem(*row) for row in found),
        key=lambda item: (item.start, rooms[item.room_id].order, rooms[item.room_id].name, item.pk),
    )
    by_pk = {item.pk: item for item in items}
    for seminar_id, name in _DAY_SPEAKERS.rows(**when):
        if seminar_id in by_pk:  # not when a track filter left the seminar out
            by_pk[seminar_id].speaker_names.append(name)
    _share_loaded(items, conference, rooms, tracks)
    return items


def _share_loaded(seminars: list, conference: Conference, rooms: dict, tracks: dict) -> None:
    """Give every seminar the one conference and the rooms and tracks already loaded (by pk), and its `url`
    from one reverse() instead of one per seminar (the code is the only part that varies)."""
    url_pattern = reverse("programme:seminar", kwargs={"conference": conference.slug, "code": "SEMINARCODE0"})
    for seminar in seminars:
        seminar.conference = conference
        seminar.room = rooms[seminar.room_id]
        seminar.track = tracks.get(seminar.track_id)  # None for an item without a track (a break)
        seminar.url = url_pattern.replace("SEMINARCODE0", seminar.code)


def programme_version(conference: Conference) -> str:
    """A short string that changes whenever anything shown in the conference's programme changes.

    One aggregate query: the seminars' count and newest change, plus the conference's programme stamp
    (moved by room, track and speaker edits and by deletions; see sessions.signals). Rendered programme
    pages are cached under it, so a change shows at once and nothing needs to be purged.
    """
    found = _VERSION.rows(conference=conference.pk)  # one row, or none before the first seminar
    count, newest = found[0] if found else (0, None)
    stamp = conference.programme_changed_at
    newest = newest and newest.timestamp()
    edition = f"{conference.name}|{conference.venue}|{conference.first_day}|{conference.last_day}"
    return f"{conference.pk}.{count}.{newest}.{stamp.timestamp()}.{edition}"


def alternatives_to(seminar: Seminar) -> list[Seminar]:
    """Published seminars at the same time as `seminar` (for a cancelled one's page), with `free` seats
    from the bookings port; those with a free seat first. Two queries."""
    from .ports import bookings

    others = list(
        Seminar.objects.public().bookable()
        .filter(conference_id=seminar.conference_id, status=SeminarStatus.PUBLISHED)
        .overlapping(seminar.start, seminar.end).exclude(pk=seminar.pk).select_related("room", "conference")
        .order_by("start", "room__order", "room__name")
    )
    counts = bookings().counts([other.pk for other in others])
    for other in others:
        taken = counts[other.pk].confirmed if other.pk in counts else 0
        other.free = max(other.capacity - taken, 0)
    return sorted(others, key=lambda other: other.free == 0)


def tracks_of(conference: Conference) -> list[Track]:
    return _TRACKS.objects(conference=conference.pk)


def rooms_of(conference: Conference) -> list[Room]:
    return _ROOMS.objects(conference=conference.pk)


def get_public_seminar(conference: Conference, code: str) -> Seminar:
    try:
        return public_seminars(conference).get(code=code.upper())  # codes are upper-case; typed URLs may not be
    except Seminar.DoesNotExist:
        raise Http404("No such seminar") from None


def find_public_seminar(conference_slug: str, code: str) -> Seminar:
    """A public seminar with its conference, room and track in one query (no speakers), for actions such
    as booking that need the seminar but do not show it. Raises Http404."""
    seminar = (
        Seminar.objects.public().select_related("conference", "room", "track")
        .filter(conference__slug=conference_slug, code=code.upper()).first()
    )
    if seminar is None:
        raise Http404("No such seminar")
    return seminar


def public_speakers(conference: Conference):
    """Speakers with at least one public seminar, each with those seminars (in time order) loaded."""
    public = Seminar.objects.public().filter(conference=conference)
    return (
        Speaker.objects.filter(conference=conference, seminars__in=public).distinct().select_related("conference")
        .prefetch_related(Prefetch(
            "seminars",
            queryset=public.select_related("conference", "room", "track").order_by("start"),
            to_attr="public_seminars",
        ))
        .order_by("name")
    )


@dataclass(slots=True)
class SpeakerEntry:
    """One line of the public speaker list: the speaker and the titles of their public seminars."""

    name: str
    slug: str
    organisation: str
    url: str = ""
    letter: str = ""  # the heading it is listed under (its first letter, upper case)
    seminars: list[tuple[str, bool]] = field(default_factory=list)  # (title, cancelled), in time order


_SPEAKER_INDEX = PreparedQuery(
    lambda param: SeminarSpeaker.objects.filter(
        seminar__conference_id=param("conference", _ID), seminar__status__in=PUBLIC_STATUSES,
    ).order_by("seminar__start", "seminar_id").values_list(
        "speaker_id", "speaker__name", "speaker__slug", "speaker__organisation", "seminar__title", "seminar__status",
    )
)


def speaker_index(conference: Conference) -> list[SpeakerEntry]:
    """The speakers of a published conference's public seminars, in Swedish alphabetical order (å, ä, ö
    after z), each with those seminars' titles. One query, plain objects (the speaker list's cold path)."""
    if not conference.is_published:
        return []
    url_pattern = reverse("programme:speaker", kwargs={"conference": conference.slug, "slug": "SPEAKERSLUG0"})
    entries: dict[int, SpeakerEntry] = {}
    for speaker_id, name, slug, organisation, title, status in _SPEAKER_INDEX.rows(conference=conference.pk):
        entry = entries.get(speaker_id)
        if entry is None:
            entry = entries[speaker_id] = SpeakerEntry(
                name=name, slug=slug, organisation=organisation, url=url_pattern.replace("SPEAKERSLUG0", slug),
                letter=swedish_letters(name)[:1].upper(),
            )
        entry.seminars.append((title, status == SeminarStatus.CANCELLED))
    return sorted(entries.values(), key=lambda entry: (swedish_key(entry.name), entry.name, entry.slug))


def get_public_speaker(conference: Conference, slug: str) -> Speaker:
    try:
        return public_speakers(conference).get(slug=slug)
    except Speaker.DoesNotExist:
        raise Http404("No such speaker") from None


@dataclass
class GridCell:
    seminar: Seminar | None = None
    rowspan: int = 1
    colspan: int = 1


@dataclass
class GridRow:
    start: datetime
    end: datetime
    cells: list[GridCell | None] = field(default_factory=list)  # None: covered by a cell above or beside


@dataclass
class ProgrammeGrid:
    """A day as a table: `rooms` are the columns; `alongside` are items without seats (lunch, exhibition
    hours) that run beside the seminars in a hall that has no column."""

    rooms: list[Room]
    rows: list[GridRow]
    alongside: list[Seminar] = field(default_factory=list)


def _overlaps(a: Seminar, b: Seminar) -> bool:
    return a.start < b.end and b.start < a.end


def lay_out_grid(seminars: list[Seminar], rooms: list[Room]) -> ProgrammeGrid:
    """Lay a day's programme out as rows of time × columns of rooms, for a table with rowspans.

    Rows run between consecutive start/end times, so every cell fills whole rows; rows in which nothing
    runs are left out. Items without seats (plenaries, breaks, exhibition hours) span every column when
    no seminar runs at that time; otherwise they sit in their room's column, or, when their room holds
    no seminar that day (a restaurant, the exhibition hall), they go to `alongside`. Rooms with nothing
    that day keep their column. Pure computation on loaded objects: no queries.
    """
    bookable = [s for s in seminars if s.is_bookable]
    items = sorted((s for s in seminars if not s.is_bookable), key=lambda s: (s.is_cancelled, s.start))
    spanning: list[Seminar] = []
    for item in items:
        if not any(_overlaps(item, s) for s in bookable) and not any(_overlaps(item, s) for s in spanning):
            spanning.append(item)
    rooms_with_seminars = {s.room_id for s in bookable}
    rooms_with_items = {s.room_id for s in items}
    columns = [room for room in rooms if room.pk in rooms_with_seminars or room.pk not in rooms_with_items]
    column = {room.pk: i for i, room in enumerate(columns)}
    placed_items = [s for s in items if s not in spanning and s.room_id in column]
    alongside = [s for s in items if s not in spanning and s.room_id not in column]

    in_table = spanning + bookable + placed_items
    bounds = sorted({s.start for s in in_table} | {s.end for s in in_table})
    rows = [GridRow(start=a, end=b) for a, b in zip(bounds, bounds[1:], strict=False)]
    index = {moment: i for i, moment in enumerate(bounds)}
    for row in rows:
        row.cells = [GridCell() for _ in columns]
    for item in spanning:
        first, last = index[item.start], index[item.end]
        for i in range(first, last):
            rows[i].cells = [None] * len(columns)
        if columns:
            rows[first].cells[0] = GridCell(seminar=item, rowspan=last - first, colspan=len(columns))
    # Seminars that hold their room go first, so a cancelled seminar never hides the one that took its slot.
    for seminar in sorted(bookable, key=lambda s: s.is_cancelled) + placed_items:
        col = column.get(seminar.room_id)
        if col is None:
            continue
        first, last = index[seminar.start], index[seminar.end]
        if any(rows[i].cells[col] is None or rows[i].cells[col].seminar is not None for i in range(first, last)):
            if not seminar.is_bookable:
                alongside.append(seminar)
            continue  # the slot is taken (a cancelled seminar's replacement); the list view still shows it
        rows[first].cells[col] = GridCell(seminar=seminar, rowspan=last - first)
        for i in range(first + 1, last):
            rows[i].cells[col] = None
    # A row in which nothing runs (after the last seminar of a slot ends, before the next starts) is only an
    # empty line in the table; no rowspan crosses it, so it can go.
    rows = [row for row in rows if any(cell is None or cell.seminar is not None for cell in row.cells)]
    return ProgrammeGrid(rooms=columns, rows=rows, alongside=sorted(alongside, key=lambda s: (s.start, s.end)))


def programme_grid(seminars: list[Seminar], rooms: list[Room]) -> list[GridRow]:
    """The rows of lay_out_grid (see there)."""
    return lay_out_grid(seminars, rooms).rows


def load_for_calendar(seminars: QuerySet, conference: Conference) -> list[Seminar]:
    """Seminars with what sessions.ics reads, in four queries whatever their number.

    `seminars` must already exclude drafts (start from Seminar.objects.public()). Rooms and tracks
    are loaded once per conference and shared, and speakers come as plain tuples
    (`calendar_speakers`), because building a model instance per row and join was most of the
    feed's time.
    """
    rooms = {room.pk: room for room in Room.objects.filter(conference=conference)}
    tracks = {track.pk: track for track in Track.objects.filter(conference=conference)}
    loaded = list(seminars.order_by("start", "room__order", "room__name"))
    speakers = defaultdict(list)
    rows = (
        SeminarSpeaker.objects.filter(seminar_id__in=[seminar.pk for seminar in loaded]).order_by("order", "id")
        .values_list("seminar_id", "speaker__name", "speaker__title", "speaker__organisation")
    )
    for seminar_id, *speaker in rows:
        speakers[seminar_id].append(tuple(speaker))
    for seminar in loaded:
        seminar.conference = conference
        seminar.room = rooms[seminar.room_id]
        seminar.track = tracks.get(seminar.track_id)  # None for an item without a track (a break)
        seminar.calendar_speakers = speakers[seminar.pk]
    return loaded


def load_for_schedule(conference: Conference) -> tuple[list[Room], list[Track], list[Seminar]]:
    """Rooms, tracks and the published seminars of a conference for the frab export, in four queries
    whatever their number; each seminar gets `url` and `schedule_speakers` [(id, name, slug)]."""
    rooms = rooms_of(conference)
    tracks = tracks_of(conference)
    seminars = list(
        Seminar.objects.filter(conference=conference, status=SeminarStatus.PUBLISHED)
        .order_by("start", "room__order", "room__name")
    )
    speakers = defaultdict(list)
    rows = (
        SeminarSpeaker.objects.filter(seminar__conference=conference, seminar__status=SeminarStatus.PUBLISHED)
        .order_by("order", "id").values_list("seminar_id", "speaker_id", "speaker__name", "speaker__slug")
    )
    for seminar_id, *speaker in rows:
        speakers[seminar_id].append(tuple(speaker))
    _share_loaded(seminars, conference, {room.pk: room for room in rooms}, {track.pk: track for track in tracks})
    for seminar in seminars:
        seminar.schedule_speakers = speakers[seminar.pk]
    return rooms, tracks, seminars


@dataclass
class BoardCell:
    """One room at one row of the schedule board: a seminar starting there, or a free slot."""

    room: Room
    start: datetime
    seminar: Seminar | None = None
    rowspan: int = 1


@dataclass
class BoardRow:
    start: datetime
    cells: list[BoardCell | None] = field(default_factory=list)  # None: covered by a seminar above


@dataclass
class Board:
    day: date
    rooms: list[Room]
    step: int  # minutes per row
    rows: list[BoardRow]
    pool: list[Seminar]  # drafts: not in the published programme
    unplaced: list[Seminar]  # published this day but not drawable in the grid (overlapping another)


BOARD_HOURS = (8, 18)  # the grid shows at least these hours, more when seminars run earlier or later


def board_for_day(conference: Conference, day: date) -> Board:
    """The organisers' schedule board for one day: published seminars as a grid of rooms × time rows, and
    the conference's drafts as the pool. Each seminar gets `speaker_names`, `speaker_ids`, `booked`
    (confirmed + waiting, from the bookings port) and `speakers_elsewhere` [(title, start, end)]: its
    speakers' other active seminars. Six queries whatever the number of seminars."""


    from .ports import bookings

    rooms = rooms_of(conference)
    tracks = {track.pk: track for track in tracks_of(conference)}
    day_start = datetime.combine(day, time.min, tzinfo=LOCAL_TZ)
    seminars = list(
        Seminar.objects.filter(conference=conference)
        .filter(
            Q(status=SeminarStatus.PUBLISHED, start__gte=day_start, start__lt=day_start + timedelta(days=1))
            | Q(status=SeminarStatus.DRAFT)
        )
        .order_by("start", "room__order", "room__name")
    )
    _share_loaded(seminars, conference, {room.pk: room for room in rooms}, tracks)
    links = list(
        SeminarSpeaker.objects.filter(seminar__in=[s.pk for s in seminars]).order_by("order", "id")
        .values_list("seminar_id", "speaker_id", "speaker__name")
    )
    names, speaker_ids, seminars_of = defaultdict(list), defaultdict(list), defaultdict(set)
    for seminar_id, speaker_id, name in links:
        names[seminar_id].append(name)
        speaker_ids[seminar_id].append(speaker_id)
    elsewhere = list(
        SeminarSpeaker.objects.filter(speaker_id__in={link[1] for link in links})
        .exclude(seminar__status=SeminarStatus.CANCELLED)
        .values_list("speaker_id", "seminar_id", "seminar__title", "seminar__start", "seminar__end")
        .order_by("seminar__start")
    )
    for speaker_id, seminar_id, *_rest in elsewhere:
        seminars_of[speaker_id].add(seminar_id)
    counts = bookings().counts([s.pk for s in seminars])
    for seminar in seminars:
        seminar.speaker_names = names[seminar.pk]
        seminar.speaker_ids = speaker_ids[seminar.pk]
        mine = set(speaker_ids[seminar.pk])
        seminar.speakers_elsewhere = list(dict.fromkeys(
            (title, start, end) for speaker_id, other_id, title, start, end in elsewhere
            if speaker_id in mine and other_id != seminar.pk
        ))
        count = counts.get(seminar.pk)
        seminar.booked = (count.confirmed + count.waitlisted) if count else 0

    placed = [s for s in seminars if s.status == SeminarStatus.PUBLISHED]
    pool = [s for s in seminars if s.status == SeminarStatus.DRAFT]
    # Rows as fine as the seminars' times need (a common divisor of their minutes), 5 to 30 minutes.
    minutes = [int((moment - day_start).total_seconds() // 60) for s in placed for moment in (s.start, s.end)]
    step = max(5, min(30, math.gcd(30, *minutes))) if minutes else 30
    first = min([BOARD_HOURS[0] * 60, *minutes])
    last = max([BOARD_HOURS[1] * 60, *minutes])
    first -= first % step
    starts = [day_start + timedelta(minutes=m) for m in range(first, last, step)]
    rows = [BoardRow(start=start, cells=[BoardCell(room=room, start=start) for room in rooms]) for start in starts]
    index = {start: i for i, start in enumerate(starts)}
    column = {room.pk: i for i, room in enumerate(rooms)}
    unplaced = []
    for seminar in placed:
        top, col = index.get(seminar.start), column.get(seminar.room_id)
        span = max(1, math.ceil(seminar.duration_minutes / step))
        if top is None or col is None or any(
            i >= len(rows) or rows[i].cells[col] is None or rows[i].cells[col].seminar is not None
            for i in range(top, top + span)
        ):
            unplaced.append(seminar)
            continue
        rows[top].cells[col].seminar, rows[top].cells[col].rowspan = seminar, span
        for i in range(top + 1, top + span):
            rows[i].cells[col] = None
    return Board(day=day, rooms=rooms, step=step, rows=rows, pool=pool, unplaced=unplaced)
