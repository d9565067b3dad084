"""Extension points the programme offers to apps above it (they register at start-up).

The programme's pages never import registration; registration plugs a panel into the seminar page here.
"""

_seminar_panels = []


def register_seminar_panel(panel) -> None:
    """`panel(request, seminar) -> dict | None`; a dict needs a "template" key and is passed to it as `panel`."""
    if panel not in _seminar_panels:
        _seminar_panels.append(panel)


def seminar_panels(request, seminar) -> list[dict]:
    return [p for p in (panel(request, seminar) for panel in _seminar_panels) if p]


_day_extras = []


def register_day_extra(extra) -> None:
    """`extra(conference, day) -> dict | None`; shown after a day's (cached) programme, rendered per request.

    A dict needs a "template" key and is passed to it as `extra` (e.g. live seat counts).
    """
    if extra not in _day_extras:
        _day_extras.append(extra)


def day_extras(conference, day) -> list[dict]:
    return [e for e in (extra(conference, day) for extra in _day_extras) if e]
