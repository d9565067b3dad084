"""The organisers' desk: a conference's numbers for funders, on one page."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sessions.models import LOCAL_TZ, Conference

from ..access import organiser_required
from ..selectors.desk import SORTS, entrance_check_ins, place_numbers, registration_numbers, seminar_rows
from .charts import bar_chart


@organiser_required
@require_GET
def desk(request, conference):
    conference = get_object_or_404(Conference, slug=conference)
    now = timezone.now()
    today = timezone.localtime(now, LOCAL_TZ).date()
    sort = request.GET.get("sort", "start")
    if sort not in SORTS:
        sort = "start"
    numbers = registration_numbers(conference)
    places = place_numbers(conference)
    people = _("People")
    charts = {
        "per_day": bar_chart(
            "per-day", _("Registrations per day"),
            [(formats.date_format(day, "SHORT_DATE_FORMAT"), n) for day, n in numbers.per_day],
            label_heading=_("Day registered"), value_heading=people),
        "category": bar_chart("category", _("Registrations by ticket category"), numbers.by_category,
                              label_heading=_("Ticket category"), value_heading=people),
        "organisation_type": bar_chart(
            "organisation-type", _("Registrations by type of organisation"), numbers.by_organisation_type,
            label_heading=_("Type of organisation"), value_heading=people),
        "area": bar_chart("area", _("People by county or region"), places.by_area,
                          label_heading=_("County or region"), value_heading=people),
    }
    during = today in conference.days
    return render(request, "desk/index.html", {
        "conference": conference,
        "numbers": numbers,
        "places": places,
        "charts": charts,
        "rows": seminar_rows(conference, sort=sort),
        "sort": sort,
        "sorts": [("start", _("start")), ("fill", _("fill rate")), ("line", _("line length")),
                  ("cancelled", _("cancellations"))],
        "now": now,
        "today": today,
        "during": during,
        "entrance_today": entrance_check_ins(conference, today) if during else None,
        "nav": "desk",
    })
