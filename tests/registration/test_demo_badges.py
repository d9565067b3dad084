"""Issue 5's acceptance path on the demo conference: an organiser prints every badge in one file; a badge
decoded from that file by zxing-cpp is admitted at the entrance and at its seminar's door, and refused at
another seminar's door."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from registration.badge_codes import hash_code
from registration.models import Booking, Registration
from sessions.models import LOCAL_TZ, Seminar
from tests.registration.test_badges import pages_of, qr_texts


@pytest.fixture
def demo_today(db):
    call_command("load_demo", "--force", "--first-day", "today", "--attendees", "120", stdout=StringIO())


def scan(client, checkpoint, code, nonce):
    url = f"/staff/door/mvt2016/{checkpoint}/"
    return client.post(url, {"code": code, "nonce": nonce}, HTTP_ACCEPT="application/json").json()["verdict"]


def test_a_printed_demo_badge_opens_the_right_doors(client, demo_today, organiser, door_staff, settings):
    settings.DOOR_OPENS_MINUTES_BEFORE = 24 * 60  # the real clock: any of today's seminar doors is open
    client.force_login(organiser)
    response = client.post("/staff/badges/mvt2016/", {"layout": "a6", "delegation": "", "category": ""})
    assert response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)
    assert len(pages_of(pdf)) == Registration.objects.count()  # every badge, one file

    today = timezone.localdate(timezone=LOCAL_TZ)
    client.force_login(door_staff)
    for number, page in enumerate(pages_of(pdf)[:40]):
        [payload] = qr_texts(page)
        registration = Registration.objects.get(badges__code_hash=hash_code(payload.removeprefix("MVT:")),
                                                badges__revoked_at__isnull=True)
        booking = Booking.objects.filter(registration=registration, status="confirmed",
                                         seminar__start__date=today).select_related("seminar").first()
        if booking is None:
            continue
        elsewhere = Seminar.objects.filter(conference=booking.seminar.conference, status="published", kind="seminar",
                                           start__date=today).exclude(bookings__registration=registration).first()
        assert scan(client, f"entrance-{today.isoformat()}", payload, f"demo-{number}-a") == "admitted"
        assert scan(client, f"seminar-{booking.seminar.code}", payload, f"demo-{number}-b") == "admitted"
        assert scan(client, f"seminar-{elsewhere.code}", payload, f"demo-{number}-c") == "no_booking"
        return
    pytest.fail("none of the first 40 badges belongs to someone with a seat today")
