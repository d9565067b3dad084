"""The organisers' schedule board: a day as rooms × time, a pool of drafts, and one move form per seminar.

Every move (a drag, the keyboard, the plain form, an undo) is the same POST, decided by the programme's
services: refused moves answer why (naming the other seminar), moves that people who booked will notice
ask to be confirmed first. With `Accept: application/json` the answer is {ok, code, message,
needs_confirm, confirm, affected}; otherwise a redirect back to the board with the message, or a page
that asks to confirm. The last move of each organiser can be undone, through the same path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django import forms
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from common.access import organiser_required
from common.errors import with_code

from . import selectors
from .models import LOCAL_TZ, Conference, Room, Seminar, SeminarStatus
from .services import Code, ProgrammeError, booking_counts, preview_move, save_seminar

UNDO_KEY = "programme_board_undo"
SERVICE_CODES = {code.value for code in Code}


class MoveForm(forms.Form):
    """Where a seminar should go: a room and a start (its length stays), or back to the pool."""

    action = forms.ChoiceField(choices=[("move", "move"), ("pool", "pool")], required=False)
    room = forms.ModelChoiceField(queryset=Room.objects.none(), required=False, label=gettext_lazy("Room"))
    day = forms.TypedChoiceField(coerce=lambda value: value, required=False, label=gettext_lazy("Day"))
    start = forms.TimeField(required=False, label=gettext_lazy("Start time"))

    def __init__(self, *args, conference: Conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.conference = conference
        self.fields["room"].queryset = Room.objects.filter(conference=conference)
        self.fields["day"].choices = [(day.isoformat(), day.isoformat()) for day in conference.days]

    def clean(self):
        data = super().clean()
        if data.get("action") != "pool" and not self.errors:
            if data.get("room") is None:
                self.add_error("room", _("Choose a room."))
            if data.get("start") is None:
                self.add_error("start", _("Give a start time, e.g. 10:30."))
        return data


@dataclass
class Outcome:
    """What a move came to: saved (`ok`), refused, or waiting for the organiser to confirm."""

    ok: bool
    code: str
    message: str
    needs_confirm: bool = False
    confirm: list[str] = field(default_factory=list)
    affected: int = 0


def _state(seminar: Seminar) -> dict:
    return {"seminar": seminar.pk, "title": seminar.title, "room": seminar.room_id,
            "start": seminar.start.isoformat(), "end": seminar.end.isoformat(), "status": seminar.status,
            "capacity": seminar.capacity}


def _where(seminar: Seminar) -> str:
    start, end = timezone.localtime(seminar.start, LOCAL_TZ), timezone.localtime(seminar.end, LOCAL_TZ)
    return _("%(room)s, %(day)s %(start)s–%(end)s") % {
        "room": seminar.room.name, "day": formats.date_format(start, "l j F"),
        "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}


def _decide(seminar: Seminar, confirm: set[str]) -> Outcome:
    """Check `seminar` (changed in memory) and save it through save_seminar unless something refuses it
    or asks to be confirmed first."""
    problems = preview_move(seminar)
    blocking = [p for p in problems if not p.confirmable]
    if blocking:
        code = blocking[0].code if blocking[0].code in SERVICE_CODES else Code.CONFLICT
        return Outcome(False, code, " ".join(p.message for p in blocking))
    pending = [p for p in problems if p.code not in confirm]
    if pending:
        confirmed, waitlisted = booking_counts(seminar)
        return Outcome(False, pending[0].code, " ".join(p.message for p in problems), needs_confirm=True,
                       confirm=[p.code for p in problems], affected=confirmed + waitlisted)
    try:
        save_seminar(seminar=seminar, confirm=confirm)
    except ProgrammeError as error:
        return Outcome(False, error.code, error.message)
    return Outcome(True, "moved", "")


def _board_url(conference: Conference, day) -> str:
    return reverse("programme:board", kwargs={"conference": conference.slug, "day": day})


def _answer(request, conference: Conference, outcome: Outcome, *, day, retry: dict):
    """The one answer of a move or an undo: JSON for the board's script, a redirect or a confirm page."""
    if request.headers.get("Accept", "").startswith("application/json"):
        if outcome.ok:
            messages.success(request, outcome.message)
        status = 200 if outcome.ok or outcome.needs_confirm else 409
        response = JsonResponse({
            "ok": outcome.ok, "code": outcome.code, "message": outcome.message,
            "needs_confirm": outcome.needs_confirm, "confirm": outcome.confirm, "affected": outcome.affected,
            "redirect": _board_url(conference, day),
        }, status=status)
        return with_code(response, outcome.code)
    if outcome.needs_confirm:
        response = render(request, "programme/board_confirm.html", {
            "conference": conference, "outcome": outcome, "action": request.path, "retry": retry,
            "back": _board_url(conference, day),
        })
        return with_code(response, outcome.code)
    (messages.success if outcome.ok else messages.error)(request, outcome.message)
    return with_code(redirect(_board_url(conference, day)), outcome.code)


def _conference(slug: str) -> Conference:
    return get_object_or_404(Conference, slug=slug)


def _day_of(conference: Conference, day):
    if day not in conference.days:
        raise Http404("Not a day of this conference")
    return day


@organiser_required
@require_GET
def board_start(request, conference):
    conf = _conference(conference)
    today = timezone.localdate(timezone=LOCAL_TZ)
    return redirect(_board_url(conf, today if today in conf.days else conf.first_day))


@organiser_required
@require_GET
def board(request, conference, day):
    conf = _conference(conference)
    day = _day_of(conf, day)
    undo = request.session.get(UNDO_KEY, {}).get(str(conf.pk))
    board = selectors.board_for_day(conf, day)
    # Each seminar's room <select> and move URL are the same but for one detail: built once per room, and
    # from one reverse(), instead of a template loop and a reverse() per seminar (a day has a hundred).
    options = {
        selected.pk: format_html_join("", '<option value="{}"{}>{} ({})</option>', (
            (room.pk, mark_safe(" selected") if room.pk == selected.pk else "", room.name, room.capacity)
            for room in board.rooms))
        for selected in board.rooms
    }
    url = reverse("programme:board_move", kwargs={"conference": conf.slug, "day": day, "code": "SEMINARCODE0"})
    for seminar in [*board.pool, *board.unplaced, *(c.seminar for r in board.rows for c in r.cells if c and c.seminar)]:
        seminar.room_options = options.get(seminar.room_id, "")
        seminar.move_url = url.replace("SEMINARCODE0", seminar.code)
    return render(request, "programme/board.html", {
        "conference": conf,
        "day": day,
        "board": board,
        "days": conf.days,
        "undo": undo,
        "nav": "board",
    })


@organiser_required
@require_POST
def board_move(request, conference, day, code):
    conf = _conference(conference)
    day = _day_of(conf, day)
    seminar = get_object_or_404(
        Seminar.objects.select_related("room", "conference", "track").exclude(status=SeminarStatus.CANCELLED),
        conference=conf, code=code.upper(),
    )
    form = MoveForm(request.POST, conference=conf)
    retry = {key: request.POST.get(key, "") for key in ("action", "room", "day", "start")}
    if not form.is_valid():
        message = " ".join(str(error) for errors in form.errors.values() for error in errors)
        return _answer(request, conf, Outcome(False, "invalid", message), day=day, retry=retry)
    before = _state(seminar)
    if form.cleaned_data.get("action") == "pool":
        if seminar.status == SeminarStatus.DRAFT:
            return _answer(request, conf, Outcome(False, "unchanged", _("“%(title)s” is already unscheduled.")
                                                  % {"title": seminar.title}), day=day, retry=retry)
        seminar.status = SeminarStatus.DRAFT
        target_day = day
    else:
        target_day = day
        if form.cleaned_data.get("day"):
            target_day = datetime.fromisoformat(form.cleaned_data["day"]).date()
        start = datetime.combine(target_day, form.cleaned_data["start"], tzinfo=LOCAL_TZ)
        room = form.cleaned_data["room"]
        whole_room = seminar.capacity >= seminar.room.capacity
        if room.pk != seminar.room_id and (whole_room or seminar.capacity > room.capacity):
            seminar.capacity = room.capacity  # the whole room stays the whole room; never more than it holds
        seminar.end = start + (seminar.end - seminar.start)
        seminar.start = start
        seminar.room = room
        seminar.status = SeminarStatus.PUBLISHED  # a draft dropped into the grid is scheduled
    outcome = _decide(seminar, set(request.POST.getlist("confirm")))
    if outcome.ok:
        if seminar.status == SeminarStatus.DRAFT:
            outcome.message = _("“%(title)s” is now unscheduled (a draft).") % {"title": seminar.title}
        else:
            outcome.message = _("“%(title)s” moved to %(where)s.") % {"title": seminar.title, "where": _where(seminar)}
        undo = request.session.get(UNDO_KEY, {})
        undo[str(conf.pk)] = before
        request.session[UNDO_KEY] = undo
        if seminar.status == SeminarStatus.PUBLISHED:
            target_day = seminar.local_day
    return _answer(request, conf, outcome, day=target_day, retry=retry)


@organiser_required
@require_POST
def board_undo(request, conference, day):
    """Put the seminar of this organiser's last move back where it was, through the same checks."""
    conf = _conference(conference)
    day = _day_of(conf, day)
    undos = request.session.get(UNDO_KEY, {})
    state = undos.get(str(conf.pk))
    seminar = None
    if state:
        seminar = (Seminar.objects.select_related("room", "conference", "track")
                   .exclude(status=SeminarStatus.CANCELLED).filter(pk=state.get("seminar"), conference=conf).first())
    start, end = (parse_datetime(str(state.get(key, ""))) if state else None for key in ("start", "end"))
    room = Room.objects.filter(pk=state.get("room"), conference=conf).first() if state else None
    if seminar is None or start is None or end is None or room is None:
        undos.pop(str(conf.pk), None)
        request.session[UNDO_KEY] = undos
        return _answer(request, conf, Outcome(False, "nothing_to_undo", _("There is no move to undo.")),
                       day=day, retry={})
    seminar.start, seminar.end, seminar.room = start, end, room
    seminar.status = state["status"] if state["status"] in SeminarStatus.values else seminar.status
    seminar.capacity = min(int(state.get("capacity") or room.capacity), room.capacity)
    outcome = _decide(seminar, set(request.POST.getlist("confirm")))
    if outcome.ok:
        if seminar.status == SeminarStatus.DRAFT:
            outcome.message = _("Undone: “%(title)s” is unscheduled again.") % {"title": seminar.title}
        else:
            outcome.message = _("Undone: “%(title)s” is back at %(where)s.") % {"title": seminar.title,
                                                                              "where": _where(seminar)}
        undos.pop(str(conf.pk), None)
        request.session[UNDO_KEY] = undos
        day = seminar.local_day
    return _answer(request, conf, outcome, day=day, retry={})
