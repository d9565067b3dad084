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
