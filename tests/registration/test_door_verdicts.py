"""The door's rules one by one: plain facts in, one verdict code (or None) out, no database."""

from datetime import UTC, date, datetime

from registration.errors import Code
from registration.models import Verdict
from registration.services.door import (
    may_enter,
    verdict_at_entrance,
    verdict_at_seminar_door,
    verdict_for_badge,
    verdict_for_checkpoint_day,
    verdict_for_repeat,
    verdict_for_walk_in,
)

DAY = date(2016, 2, 3)
EARLIER = datetime(2016, 2, 3, 8, 15, tzinfo=UTC)


# --- The badge --------------------------------------------------------------------------------------


def test_no_badge_is_unknown():
    assert verdict_for_badge(found=False) == Verdict.UNKNOWN


def test_no_badge_is_unknown_before_anything_else():
    assert verdict_for_badge(found=False, revoked=True, registration_cancelled=True) == Verdict.UNKNOWN


def test_replaced_badge_is_revoked():
    assert verdict_for_badge(found=True, revoked=True) == Verdict.REVOKED


def test_badge_of_a_cancelled_registration_is_revoked():
    assert verdict_for_badge(found=True, registration_cancelled=True) == Verdict.REVOKED


def test_valid_badge_leaves_the_verdict_to_the_door():
    assert verdict_for_badge(found=True, revoked=False, registration_cancelled=False) is None


# --- The door and the day ---------------------------------------------------------------------------


def test_door_of_today_is_open():
    assert verdict_for_checkpoint_day(day=DAY, today=DAY) is None


def test_door_of_tomorrow_is_not_today():
    assert verdict_for_checkpoint_day(day=date(2016, 2, 4), today=DAY) == Verdict.NOT_TODAY


def test_door_of_yesterday_is_not_today():
    assert verdict_for_checkpoint_day(day=date(2016, 2, 2), today=DAY) == Verdict.NOT_TODAY


def test_cancelled_seminar_door_is_cancelled_today():
    assert verdict_for_checkpoint_day(day=DAY, today=DAY, seminar_cancelled=True) == Verdict.CANCELLED


def test_cancelled_seminar_door_is_cancelled_on_another_day_too():
    assert verdict_for_checkpoint_day(day=date(2016, 2, 4), today=DAY, seminar_cancelled=True) == Verdict.CANCELLED


# --- Coming back ------------------------------------------------------------------------------------


def test_first_time_through_a_door_is_no_repeat():
    assert verdict_for_repeat(first_admitted_at=None) is None


def test_second_time_through_a_door_is_already_scanned():
    assert verdict_for_repeat(first_admitted_at=EARLIER) == Verdict.ALREADY_SCANNED


def test_entrance_admits_the_first_time():
    assert verdict_at_entrance(first_admitted_at=None) == Verdict.ADMITTED


def test_entrance_answers_already_scanned_the_second_time():
    assert verdict_at_entrance(first_admitted_at=EARLIER) == Verdict.ALREADY_SCANNED


# --- A seminar's door -------------------------------------------------------------------------------


def test_booked_with_room_inside_is_admitted():
    assert verdict_at_seminar_door(has_booking=True, inside=1, capacity=2, walk_in=False) == Verdict.ADMITTED


def test_booked_when_the_room_is_full_is_room_full():
    assert verdict_at_seminar_door(has_booking=True, inside=2, capacity=2, walk_in=False) == Verdict.ROOM_FULL


def test_booked_when_more_are_inside_than_seats_is_room_full():
    assert verdict_at_seminar_door(has_booking=True, inside=3, capacity=2, walk_in=False) == Verdict.ROOM_FULL


def test_unbooked_is_no_booking():
    assert verdict_at_seminar_door(has_booking=False, inside=0, capacity=2, walk_in=False) == Verdict.NO_BOOKING


def test_unbooked_in_a_full_room_is_still_no_booking():
    """Someone without a seat is told that first; a full room matters only to those who may come in."""
    assert verdict_at_seminar_door(has_booking=False, inside=2, capacity=2, walk_in=False) == Verdict.NO_BOOKING


def test_walk_in_with_room_inside_is_left_to_booking():
    assert verdict_at_seminar_door(has_booking=False, inside=1, capacity=2, walk_in=True) is None


def test_walk_in_when_the_room_is_full_is_room_full():
    assert verdict_at_seminar_door(has_booking=False, inside=2, capacity=2, walk_in=True) == Verdict.ROOM_FULL


def test_walk_in_who_has_a_booking_is_simply_admitted():
    assert verdict_at_seminar_door(has_booking=True, inside=0, capacity=2, walk_in=True) == Verdict.ADMITTED


# --- After booking a walk-in's seat -----------------------------------------------------------------


def test_seated_walk_in_is_admitted():
    assert verdict_for_walk_in(seated=True) == Verdict.ADMITTED


def test_walk_in_refused_as_full_is_room_full():
    assert verdict_for_walk_in(seated=False, refusal=Code.FULL) == Verdict.ROOM_FULL


def test_walk_in_refused_for_another_reason_is_no_booking():
    assert verdict_for_walk_in(seated=False, refusal=Code.ENDED) == Verdict.NO_BOOKING


def test_walk_in_without_a_confirmed_seat_is_no_booking():
    assert verdict_for_walk_in(seated=False) == Verdict.NO_BOOKING


# --- Who may go in ----------------------------------------------------------------------------------


def test_admitted_may_enter_at_a_seminar_door():
    assert may_enter(Verdict.ADMITTED, at_entrance=False) is True


def test_already_scanned_may_enter_again_at_the_entrance():
    assert may_enter(Verdict.ALREADY_SCANNED, at_entrance=True) is True


def test_already_scanned_may_not_enter_again_at_a_seminar_door():
    assert may_enter(Verdict.ALREADY_SCANNED, at_entrance=False) is False


def test_refusals_never_enter():
    refusals = [Verdict.NO_BOOKING, Verdict.ROOM_FULL, Verdict.UNKNOWN, Verdict.REVOKED, Verdict.NOT_TODAY,
                Verdict.CANCELLED]
    assert [may_enter(v, at_entrance=True) for v in refusals] == [False] * len(refusals)


def test_a_seminar_door_opens_a_set_time_before_the_start():
    from datetime import timedelta

    from registration.services.door import verdict_for_door_time

    starts = datetime(2016, 2, 3, 12, 0, tzinfo=UTC)
    half_hour = timedelta(minutes=30)
    assert verdict_for_door_time(now=starts - timedelta(minutes=31), starts=starts, opens_before=half_hour) == (
        Verdict.TOO_EARLY)
    assert verdict_for_door_time(now=starts - half_hour, starts=starts, opens_before=half_hour) is None
    assert verdict_for_door_time(now=starts + half_hour, starts=starts, opens_before=half_hour) is None
