"""The day pages' many repeated pieces (seminar cards, grid cells), written out in Python.

A day lists up to a few hundred seminars and items; the same markup written as template tags cost most
of the page's time on a cold cache (a variable lookup per field per seminar). These tags write the
same semantic HTML with one escape per value and the translated words looked up once per page. The
markup lives here and only here; everything else on the pages stays in the templates.

    {% load programme_cards %}{% day_slots slots %}   {# a <section> per time slot, its <article>s inside #}
    {% grid_body rows %}                              {# the <tbody> rows of lay_out_grid #}
"""

from html import escape as _escape_str

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from ..models import LOCAL_TZ, Seminar, SeminarKind

register = template.Library()


def escape(value) -> str:
    """HTML-escape a value for the markup below: what django.utils.html.escape does (both quotes too),
    without its lazy-string wrapper, which cost more than the escaping at a few hundred calls a page."""
    return _escape_str(str(value))


class _Words:
    """The translated words of the cards, once per page render (per language)."""

    def __init__(self):
        self.cancelled = escape(_("Cancelled"))
        self.languages = {value: escape(str(label)) for value, label in Seminar.Language.choices}
        self.kinds = {value: escape(str(label)) for value, label in SeminarKind.choices}
        self.no_seats = escape(pgettext("programme item", "No booking needed"))


def _words(context) -> _Words:
    """One _Words per render and language (the render context outlives the tags of one page)."""
    key = ("programme_cards", get_language())
    words = context.render_context.get(key)
    if words is None:
        words = context.render_context[key] = _Words()
    return words


def _hm(moment, cache: dict) -> str:
    text = cache.get(moment)
    if text is None:
        local = timezone.localtime(moment, LOCAL_TZ)
        text = cache[moment] = f"{local.hour:02d}:{local.minute:02d}"
    return text


def _iso(moment) -> str:
    """The machine-readable local time of a <time datetime>, as the date filter's "c" gives it."""
    return timezone.localtime(moment, LOCAL_TZ).isoformat()


def _times(context) -> dict:
    times = context.render_context.get("programme_cards_times")
    if times is None:
        times = context.render_context["programme_cards_times"] = {}
    return times


def _classes(seminar, base: str) -> str:
    classes = base
    if seminar.is_cancelled:
        classes += " is-cancelled"
    if seminar.kind != SeminarKind.SEMINAR:
        classes += f" kind-{seminar.kind}"
    return classes


def _track_style(seminar) -> str:
    return f' style="--track: {escape(seminar.track.colour)}"' if seminar.track is not None else ""


def _badge(seminar, words: _Words) -> str:
    return f' <strong class="badge-cancelled">{words.cancelled}</strong>' if seminar.is_cancelled else ""


def _kind_or_track(seminar, words: _Words) -> str:
    """The track for a seminar; for an item without seats its kind and that nobody needs to book."""
    if seminar.kind == SeminarKind.SEMINAR:
        return f'<span class="track-name">{escape(seminar.track.name)}</span>'
    track = f' · <span class="track-name">{escape(seminar.track.name)}</span>' if seminar.track is not None else ""
    return f'<span class="kind-name">{words.kinds[seminar.kind]}</span>{track} · <span>{words.no_seats}</span>'


def _cards(slot, words: _Words, times: dict) -> str:
    """One <article> per seminar or item of a time slot (loaded by selectors.programme_for_day: `url` and
    `speaker_names` set, room and track shared)."""
    parts = []
    for seminar in slot:
        language = ""
        if seminar.language != Seminar.Language.SWEDISH:
            language = f" · <span>{words.languages.get(seminar.language, escape(seminar.language))}</span>"
        speakers = ""
        if seminar.speaker_names:
            speakers = f'\n    <p class="speakers">{escape(", ".join(seminar.speaker_names))}</p>'
        parts.append(
            f'<article class="{_classes(seminar, "seminar-card")}" data-seminar="{escape(seminar.code)}"'
            f'{_track_style(seminar)}>\n'
            f'    <h3 class="seminar-title"><a href="{escape(seminar.url)}">{escape(seminar.title)}</a>'
            f'{_badge(seminar, words)}</h3>\n'
            f'    <p class="meta">\n'
            f'      <span>{_hm(seminar.start, times)}–{_hm(seminar.end, times)}</span> ·\n'
            f'      <span>{escape(seminar.room.name)}</span> ·\n'
            f'      {_kind_or_track(seminar, words)}{language}\n'
            f'    </p>{speakers}\n'
            f'  </article>'
        )
    return "\n  ".join(parts)


@register.simple_tag(takes_context=True)
def day_slots(context, slots) -> SafeString:
    """A <section> per time slot of a day list [(start, [seminar, ...]), ...], headed by its start time."""
    words, times = _words(context), _times(context)
    sections = []
    for number, (start, slot) in enumerate(slots, 1):
        sections.append(
            f'<section class="slot" aria-labelledby="slot-{number}">\n'
            f'  <h2 id="slot-{number}" class="slot-time"><time datetime="{_iso(start)}">{_hm(start, times)}</time>'
            f'</h2>\n'
            f'  {_cards(slot, words, times)}\n'
            f'</section>'
        )
    return mark_safe("\n".join(sections))  # noqa: S308 - every value is escaped in _cards


@register.simple_tag(takes_context=True)
def grid_body(context, rows) -> SafeString:
    """The <tr>s of a ProgrammeGrid: a time header per row, then a cell per room that is not covered by a
    cell above or beside it; items without seats that span every room come as one wide cell."""
    words, times = _words(context), _times(context)
    parts = []
    for row in rows:
        cells = []
        for cell in row.cells:
            if cell is None:
                continue
            seminar = cell.seminar
            if seminar is None:
                cells.append("<td></td>")
                continue
            span = f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1:
                span += f' colspan="{cell.colspan}"'
            badge = f'<strong class="badge-cancelled">{words.cancelled}</strong>' if seminar.is_cancelled else ""
            if seminar.kind == SeminarKind.SEMINAR:
                what = escape(seminar.track.name)
            else:
                what = words.kinds[seminar.kind]
                if cell.colspan > 1:
                    what += f" · {escape(seminar.room.name)}"
            cells.append(
                f'<td{span} class="{_classes(seminar, "grid-seminar")}" data-seminar="{escape(seminar.code)}"'
                f'{_track_style(seminar)}><a href="{escape(seminar.url)}">{escape(seminar.title)}</a>{badge}'
                f'<span class="meta">{_hm(seminar.start, times)}–{_hm(seminar.end, times)} · {what}</span></td>'
            )
        start = row.start
        parts.append(
            f'<tr><th scope="row"><time datetime="{_iso(start)}">'
            f'{_hm(start, times)}</time></th>{"".join(cells)}</tr>'
        )
    return mark_safe("\n  ".join(parts))  # noqa: S308 - every value above is escaped
