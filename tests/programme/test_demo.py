"""The demo programme command: deterministic, repeatable, conflict-free, and scalable for benchmarks."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sessions.demo import DEMO_SLUG
from sessions.models import Conference, Seminar, SeminarStatus
from sessions.services import conference_conflicts


def load(*args):
    out = StringIO()
    call_command("load_demo_programme", *args, stdout=out)
    return Conference.objects.get(slug=DEMO_SLUG), out.getvalue()


def snapshot(conference):
    return list(conference.seminars.order_by("uid").values_list("uid", "code", "start", "end", "room__name", "status"))


def counts(conference):
    return {
        "seminars": conference.seminars.bookable().count(),
        "items": conference.seminars.exclude(kind="seminar").count(),
        "speakers": conference.speakers.count(),
        "tracks": conference.tracks.count(),
        "rooms": conference.rooms.count(),
        "cancelled": conference.seminars.filter(status=SeminarStatus.CANCELLED).count(),
    }


@pytest.mark.django_db
def test_demo_has_the_expected_shape():
    conference, out = load()
    shape = counts(conference)
    assert 8 <= shape.pop("rooms") <= 12
    assert shape == {"seminars": 60, "items": 8, "speakers": 120, "tracks": 4, "cancelled": 1}
    assert conference.is_published
    assert "60" in out


@pytest.mark.django_db
def test_demo_twice_gives_the_same_programme():
    first, _ = load()
    before_counts, before = counts(first), snapshot(first)

    second, _ = load()

    assert Conference.objects.filter(slug=DEMO_SLUG).count() == 1
    assert counts(second) == before_counts
    assert snapshot(second) == before
    assert Seminar.objects.bookable().count() == 60


@pytest.mark.django_db
def test_demo_has_no_conflicts():
    conference, _ = load()
    assert conference_conflicts(conference) == []


@pytest.mark.django_db
def test_demo_seminars_lie_within_the_conference_days_and_rooms():
    conference, _ = load()
    first, last = conference.local_bounds()
    for seminar in conference.seminars.select_related("room"):
        assert first <= seminar.start < seminar.end <= last
        assert 1 <= seminar.capacity <= seminar.room.capacity
    for seminar in conference.seminars.bookable():
        assert seminar.seminar_speakers.count() == 2


@pytest.mark.django_db
def test_demo_has_plenaries_breaks_and_exhibition_hours_every_day():
    """Issue 11 item 9: plenaries in the big hall, lunch and coffee, exhibition hours, all without seats."""
    conference, _ = load()
    for day in conference.days:
        items = [s for s in conference.seminars.exclude(kind="seminar").select_related("room")
                 if s.local_day == day]
        kinds = {item.kind for item in items}
        assert kinds == {"plenary", "break", "exhibition"}
        assert {item.room.name for item in items if item.kind == "plenary"} == {"Sal Kista"}
        assert {"Lunch"} <= {item.title for item in items}
        assert all(item.track_id is None and item.status == "published" for item in items)


@pytest.mark.django_db
def test_demo_with_240_seminars():
    conference, _ = load("--seminars", "240")
    assert counts(conference)["seminars"] == 240
    assert counts(conference)["speakers"] == 480
    assert counts(conference)["cancelled"] == 1
    assert conference_conflicts(conference) == []


@pytest.mark.django_db
def test_demo_can_shrink_again():
    load("--seminars", "240")
    conference, _ = load()
    assert counts(conference)["seminars"] == 60
    assert Seminar.objects.bookable().count() == 60


@pytest.mark.django_db
@pytest.mark.parametrize("seminars", ["-1", "1001"])
def test_demo_refuses_silly_sizes(seminars):
    with pytest.raises(CommandError):
        call_command("load_demo_programme", "--seminars", seminars, stdout=StringIO())


@pytest.mark.django_db
def test_demo_with_no_seminars_keeps_rooms_and_tracks():
    conference, _ = load("--seminars", "0")
    assert counts(conference)["seminars"] == 0
    assert conference.rooms.count() == 12
    assert not conference.seminars.exists()
    assert conference.tracks.count() == 4
