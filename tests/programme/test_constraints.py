"""Database constraints of the programme: the last line of defence, whatever path writes."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from sessions.models import Conference, Room, Speaker, Track
from tests.conftest import local


def test_seminar_must_end_after_start(make_seminar):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_seminar(start=local(3, 11), end=local(3, 10))


def test_seminar_may_not_end_when_it_starts(make_seminar):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_seminar(start=local(3, 11), end=local(3, 11))


def test_seminar_capacity_must_be_positive(make_seminar):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_seminar(capacity=0)


def test_seminar_without_capacity_gets_the_rooms(make_seminar, room):
    assert make_seminar().capacity == room.capacity


def test_room_capacity_at_least_one(conference):
    with pytest.raises(IntegrityError), transaction.atomic():
        Room.objects.create(conference=conference, name="Skrubben", capacity=0)


def test_room_with_one_seat_is_allowed(conference):
    assert Room.objects.create(conference=conference, name="Båset", capacity=1).pk


def test_conference_last_day_not_before_first(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Conference.objects.create(name="Bakvänd", slug="bakvand", venue="Kista",
                                  first_day=date(2016, 2, 4), last_day=date(2016, 2, 3))


def test_one_day_conference_is_allowed(db):
    day = date(2016, 2, 3)
    assert Conference.objects.create(name="Endag", slug="endag", venue="Kista", first_day=day, last_day=day).pk


def test_speaker_slug_unique_per_conference(conference, make_speaker):
    make_speaker(slug="anna-andersson")
    with pytest.raises(IntegrityError), transaction.atomic():
        Speaker.objects.create(conference=conference, name="Anna Andersson", slug="anna-andersson")


def test_same_speaker_slug_in_another_conference_is_fine(conference, make_speaker):
    make_speaker(slug="anna-andersson")
    other = Conference.objects.create(name="MVT2017", slug="mvt2017", venue="Kista",
                                      first_day=date(2017, 2, 1), last_day=date(2017, 2, 2))
    assert Speaker.objects.create(conference=other, name="Anna Andersson", slug="anna-andersson").pk


def test_track_slug_unique_per_conference(conference, track):
    with pytest.raises(IntegrityError), transaction.atomic():
        Track.objects.create(conference=conference, name="Äldreomsorg igen", slug=track.slug)
