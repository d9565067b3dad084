"""What door staff see for each verdict: the colour tone and the label, chosen in the view layer (no database)."""

from datetime import date

import pytest
from django.utils import translation

from registration.models import Scan, Verdict
from registration.selectors.checkpoints import Checkpoint
from registration.services.door import ScanResult
from registration.views.door_display import ScanDisplay
from sessions.models import Conference, Seminar

ENTRANCE = Checkpoint(conference=Conference(), key="entrance-2016-02-03", day=date(2016, 2, 3))
SEMINAR_DOOR = Checkpoint(conference=Conference(), key="seminar-ABC123", day=date(2016, 2, 3), seminar=Seminar())


def shown(verdict, checkpoint):
    return ScanDisplay(ScanResult(verdict=verdict, scan=Scan(nonce="n", verdict=verdict), checkpoint=checkpoint))


@pytest.mark.parametrize(("verdict", "checkpoint", "tone"), [
    (Verdict.ADMITTED, SEMINAR_DOOR, "yes"),
    (Verdict.ALREADY_SCANNED, ENTRANCE, "yes"),
    (Verdict.ALREADY_SCANNED, SEMINAR_DOOR, "warn"),
    (Verdict.NO_BOOKING, SEMINAR_DOOR, "warn"),
    (Verdict.ROOM_FULL, SEMINAR_DOOR, "no"),
    (Verdict.UNKNOWN, ENTRANCE, "no"),
    (Verdict.REVOKED, ENTRANCE, "no"),
    (Verdict.NOT_TODAY, ENTRANCE, "no"),
    (Verdict.CANCELLED, SEMINAR_DOOR, "no"),
])
def test_tone_per_verdict(verdict, checkpoint, tone):
    assert shown(verdict, checkpoint).tone == tone


def test_coming_back_in_at_the_entrance_reads_welcome_back():
    with translation.override("sv"):
        assert shown(Verdict.ALREADY_SCANNED, ENTRANCE).verdict_label == "Välkommen tillbaka"
        assert shown(Verdict.ALREADY_SCANNED, SEMINAR_DOOR).verdict_label == "Redan skannad här"
