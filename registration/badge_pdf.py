"""Badge PDFs: one A6 badge per page, or four per A4 sheet with cut marks (codes come from services.badges).

The QR code is drawn as vector rectangles from the `qrcode` matrix so it prints sharp at any size;
text uses DejaVu Sans, vendored in registration/fonts/, so å, ä and ö render on every machine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import qrcode
from django.utils import formats, timezone
from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from common.text import swedish_key
from sessions.models import Conference

from .models import Badge, Registration, RegistrationStatus, SpeakerBadge, TicketCategory
from .services.badges import current_badges, current_speaker_badges, qr_payload

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
INK = HexColor("#1a1a1a")
MUTED = HexColor("#4a4a4a")

# Category colour bands; the category's name is always printed on the band too.
CATEGORY_COLOURS = {
    TicketCategory.STAFF: "#0b5394",
    TicketCategory.USER_OR_RELATIVE: "#1b5e20",
    TicketCategory.SPEAKER: "#a4161a",
    TicketCategory.EXHIBITOR: "#6a1b9a",
    TicketCategory.PRESS: "#1a1a1a",
}

LAYOUT_A6 = "a6"
LAYOUT_A4 = "a4x4"
LAYOUTS = (LAYOUT_A6, LAYOUT_A4)


def register_fonts() -> None:
    registered = pdfmetrics.getRegisteredFontNames()
    if FONT not in registered:
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    if FONT_BOLD not in registered:
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))


def qr_matrix(payload: str) -> list[list[bool]]:
    """The QR modules for `payload`, without quiet zone (the layout leaves white space around it)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(payload)
    code.make(fit=True)
    return code.get_matrix()


def draw_qr(canvas: Canvas, payload: str, x: float, y: float, size: float) -> None:
    """Draw the QR code with its lower left corner at (x, y), `size` points wide, as one filled path."""
    matrix = qr_matrix(payload)
    n = len(matrix)
    canvas.saveState()
    # In module units with integer coordinates: a shorter content stream, and no seams between modules.
    canvas.translate(x, y + size)
    canvas.scale(size / n, -size / n)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        col = 0
        while col < n:
            if row[col]:
                start = col
                while col < n and row[col]:
                    col += 1
                path.rect(start, row_index, col - start, 1)
            else:
                col += 1
    canvas.setFillColor(INK)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def _fit(text: str, font: str, largest: float, smallest: float, width: float) -> float:
    size = largest
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _name_lines(name: str, width: float) -> tuple[list[str], float]:
    """One line at up to 30 pt, or two lines when one would shrink below 20 pt."""
    size = _fit(name, FONT_BOLD, 30, 20, width)
    if pdfmetrics.stringWidth(name, FONT_BOLD, size) <= width or " " not in name:
        return [name], _fit(name, FONT_BOLD, 30, 8, width)
    words = name.split()
    best = None
    for i in range(1, len(words)):
        lines = [" ".join(words[:i]), " ".join(words[i:])]
        fitted = min(_fit(line, FONT_BOLD, 26, 8, width) for line in lines)
        if best is None or fitted > best[1]:
            best = (lines, fitted)
    return best


@dataclass(frozen=True)
class BadgeData:
    name: str
    organisation: str
    category: str
    category_label: str
    edition: str
    payload: str
    code: str
    when_where: str = ""


def when_where(conference) -> str:
    """“3–4 februari 2016 · Kistamässan”: the edition's days and venue, in the active language."""
    first, last = conference.first_day, conference.last_day
    if first == last:
        days = formats.date_format(last, "j F Y")
    elif (first.year, first.month) == (last.year, last.month):
        days = f"{first.day}–{formats.date_format(last, 'j F Y')}"
    else:
        days = f"{formats.date_format(first, 'j F')} – {formats.date_format(last, 'j F Y')}"
    return f"{days} · {conference.venue}" if conference.venue else days


def badge_data(registration: Registration, badge: Badge) -> BadgeData:
    return BadgeData(
        name=registration.name, organisation=registration.organisation or "",
        category=registration.category, category_label=str(registration.get_category_display()),
        edition=registration.conference.name, payload=qr_payload(badge), code=badge.code,
        when_where=when_where(registration.conference),
    )


def speaker_badge_data(speaker, badge: SpeakerBadge) -> BadgeData:
    """A speaker's badge looks like an attendee's in the speaker category: band, name, organisation, QR."""
    return BadgeData(
        name=speaker.name, organisation=speaker.organisation or "", category=TicketCategory.SPEAKER,
        category_label=str(TicketCategory.SPEAKER.label), edition=speaker.conference.name,
        payload=qr_payload(badge), code=badge.code, when_where=when_where(speaker.conference),
    )


def draw_badge(canvas: Canvas, data: BadgeData, x: float, y: float, w: float, h: float) -> None:
    """Lay out one badge in the box with lower left (x, y) and size w × h points."""
    margin = 7 * mm
    inner = w - 2 * margin
    cx = x + w / 2
    colour = HexColor(CATEGORY_COLOURS.get(data.category, "#1a1a1a"))

    # Category band across the top, its name in white on it.
    band_h = 14 * mm
    band_top = y + h - margin
    canvas.setFillColor(colour)
    canvas.rect(x + margin, band_top - band_h, inner, band_h, stroke=0, fill=1)
    canvas.setFillColor(white)
    size = _fit(data.category_label.upper(), FONT_BOLD, 14, 7, inner - 6 * mm)
    canvas.setFont(FONT_BOLD, size)
    canvas.drawCentredString(cx, band_top - band_h / 2 - size * 0.35, data.category_label.upper())

    # The edition's name under the band.
    canvas.setFillColor(MUTED)
    canvas.setFont(FONT, 11)
    cursor = band_top - band_h - 7 * mm
    canvas.drawCentredString(cx, cursor, data.edition)
    if data.when_where:
        cursor -= 4.5 * mm
        canvas.setFont(FONT, _fit(data.when_where, FONT, 8.5, 6, inner))
        canvas.drawCentredString(cx, cursor, data.when_where)

    # Name, large; organisation below it.
    lines, size = _name_lines(data.name, inner)
    canvas.setFillColor(INK)
    canvas.setFont(FONT_BOLD, size)
    cursor -= 6 * mm + size
    for line in lines:
        canvas.drawCentredString(cx, cursor, line)
        cursor -= size * 1.15
    if data.organisation:
        org_size = _fit(data.organisation, FONT, 14, 7, inner)
        canvas.setFont(FONT, org_size)
        canvas.drawCentredString(cx, cursor - 2 * mm, data.organisation)

    # QR code at the bottom, its code in small print beneath for typing in by hand.
    qr_size = 38 * mm
    bottom_band = 5 * mm
    code_y = y + margin + bottom_band + 3 * mm
    qr_y = code_y + 4 * mm
    draw_qr(canvas, data.payload, cx - qr_size / 2, qr_y, qr_size)
    canvas.setFillColor(MUTED)
    canvas.setFont(FONT, 7)
    grouped = " ".join(data.code[i:i + 4] for i in range(0, len(data.code), 4))
    canvas.drawCentredString(cx, code_y, grouped)

    # A thin band at the bottom too, so the category shows when the badge hangs the wrong way up.
    canvas.setFillColor(colour)
    canvas.rect(x + margin, y + margin, inner, bottom_band, stroke=0, fill=1)


def _cut_marks(canvas: Canvas, page_w: float, page_h: float) -> None:
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.3)
    mid_x, mid_y = page_w / 2, page_h / 2
    length = 5 * mm
    for x in (mid_x,):
        canvas.line(x, 0, x, length)
        canvas.line(x, page_h - length, x, page_h)
    for y in (mid_y,):
        canvas.line(0, y, length, y)
        canvas.line(page_w - length, y, page_w, y)
    canvas.line(mid_x - length / 2, mid_y, mid_x + length / 2, mid_y)
    canvas.line(mid_x, mid_y - length / 2, mid_x, mid_y + length / 2)


def render_badges(
    items: Iterable[BadgeData], out: BinaryIO, *, layout: str = LAYOUT_A6, total: int | None = None,
    progress: Callable[[int, int | None], None] | None = None, title: str = "",
) -> int:
    """Write a PDF of badges to `out`; returns how many were drawn. Calls progress(done, total) as it goes."""
    register_fonts()
    page = A6 if layout == LAYOUT_A6 else A4
    canvas = Canvas(out, pagesize=page, pageCompression=1)
    canvas.setTitle(title or "Badges")
    canvas.setAuthor("MVT")
    page_w, page_h = page
    count = 0
    for data in items:
        if layout == LAYOUT_A6:
            draw_badge(canvas, data, 0, 0, page_w, page_h)
            canvas.showPage()
        else:
            slot = count % 4
            if slot == 0 and count:
                canvas.showPage()
            if slot == 0:
                _cut_marks(canvas, page_w, page_h)
            col, row = slot % 2, slot // 2
            cell_w, cell_h = page_w / 2, page_h / 2
            draw_badge(canvas, data, col * cell_w, page_h - (row + 1) * cell_h, cell_w, cell_h)
        count += 1
        if progress:
            progress(count, total)
    if layout != LAYOUT_A6 and count:
        canvas.showPage()
    if count == 0:
        canvas.showPage()
    canvas.save()
    return count


def badge_pdf(registration: Registration, badge: Badge, out: BinaryIO) -> None:
    """One A6 badge, for the attendee's own download."""
    render_badges([badge_data(registration, badge)], out, title=registration.conference.name)


BATCH_ORDERS = ("name", "surname", "organisation", "delegation")


def _batch_key(order: str):
    def by_name(r):
        return swedish_key(r.name)

    if order == "surname":
        return lambda r: (swedish_key(r.name.split()[-1] if r.name.split() else ""), by_name(r))
    if order == "organisation":
        return lambda r: (swedish_key(r.organisation), by_name(r))
    if order == "delegation":
        # Delegations together (by organisation, then when registered); people on their own last.
        return lambda r: ((r.delegation is None, swedish_key(r.delegation.organisation_name) if r.delegation else "",
                           r.delegation_id or 0), by_name(r))
    return lambda r: (by_name(r), r.pk)


def batch_registrations(
    conference: Conference, *, delegation=None, category: str | None = None, not_printed: bool = False,
    order: str = "name",
) -> list[Registration]:
    """Active registrations for a print batch: all, one delegation, one category, or not yet printed; in
    `order` (name, surname, organisation or delegation), alphabetical as in Swedish."""
    qs = Registration.objects.filter(conference=conference, status=RegistrationStatus.ACTIVE).select_related(
        "conference", "municipality", "region",
    )
    if delegation is not None:
        qs = qs.filter(delegation=delegation)
    if category:
        qs = qs.filter(category=category)
    if not_printed:
        qs = qs.filter(badge_printed_at__isnull=True)
    if order == "delegation":
        qs = qs.select_related("delegation")
    return sorted(qs, key=_batch_key(order))


def print_batch(
    registrations: Iterable[Registration], out: BinaryIO, *, layout: str = LAYOUT_A6,
    progress: Callable[[int, int | None], None] | None = None, now: datetime | None = None, title: str = "",
) -> int:
    """Write the batch's badges (issuing missing codes) and mark those registrations printed."""
    people = list(registrations)
    badges = current_badges(people)
    count = render_badges(
        (badge_data(r, badges[r.pk]) for r in people), out, layout=layout, total=len(people), progress=progress,
        title=title,
    )
    Registration.objects.filter(pk__in=[r.pk for r in people]).update(badge_printed_at=now or timezone.now())
    return count


def print_speaker_batch(speakers, out: BinaryIO, *, layout: str = LAYOUT_A6, now: datetime | None = None,
                        title: str = "") -> int:
    """Write the speakers' badges (issuing missing codes) and mark those badges printed."""
    people = list(speakers)
    badges = current_speaker_badges(people)
    count = render_badges((speaker_badge_data(s, badges[s.pk]) for s in people), out, layout=layout,
                          total=len(people), title=title)
    SpeakerBadge.objects.filter(pk__in=[b.pk for b in badges.values()]).update(printed_at=now or timezone.now())
    return count
