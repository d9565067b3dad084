"""The programme's conflict rules (sessions.services.check_conflicts / save_seminar) and revisions."""

from datetime import timedelta

import pytest

from sessions.models import Room, Seminar, SeminarStatus
from sessions.services import ProgrammeError, cancel_seminar, check_conflicts, move_seminar, save_seminar
from tests.conftest import local


def codes(problems):
    return [p.code for p in problems]


def unsaved(conference, track, room, **fields):
    fields.setdefault("title", "Nytt seminarium")
    fields.setdefault("start", local(3, 10))
    fields.setdefault("end", local(3, 11))
    fields.setdefault("status", SeminarStatus.PUBLISHED)
    return Seminar(conference=conference, track=track, room=room, **fields)


# --- room -----------------------------------------------------------------------------------------

def test_room_double_booked_names_the_other_seminar(conference, track, room, make_seminar):
    make_seminar(title="Nattillsyn med kamera", start=local(3, 10), end=local(3, 11))
    seminar = unsaved(conference, track, room, start=local(3, 10, 30), end=local(3, 11, 30))

    problems = check_conflicts(seminar)

    assert codes(problems) == ["room_double_booked"]
    assert "Nattillsyn med kamera" in problems[0].message
    assert room.name in problems[0].message
    assert problems[0].field == "room"


def test_room_double_booked_when_one_seminar_contains_the_other(conference, track, room, make_seminar):
    other = make_seminar(start=local(3, 9), end=local(3, 12))
    problems = check_conflicts(unsaved(conference, track, room, start=local(3, 10), end=local(3, 11)))
    assert codes(problems) == ["room_double_booked"]
    assert problems[0].other == other


def test_back_to_back_in_one_room_is_fine(conference, track, room, make_seminar):
    make_seminar(start=local(3, 10), end=local(3, 11))
    make_seminar(start=local(3, 12), end=local(3, 13))
    assert check_conflicts(unsaved(conference, track, room, start=local(3, 11), end=local(3, 12))) == []


def test_same_time_in_another_room_is_fine(conference, track, make_room, make_seminar):
    make_seminar(start=local(3, 10), end=local(3, 11))
    assert check_conflicts(unsaved(conference, track, make_room(), start=local(3, 10), end=local(3, 11))) == []


def test_a_saved_seminar_does_not_conflict_with_itself(make_seminar):
    assert check_conflicts(make_seminar()) == []


# --- speakers -------------------------------------------------------------------------------------

def test_speaker_double_booked_across_rooms(conference, track, make_room, make_speaker, make_seminar):
    anna = make_speaker(name="Anna Lindqvist")
    make_seminar(title="Social robot mot ensamhet", speakers=[anna], start=local(3, 10), end=local(3, 11))
    seminar = unsaved(conference, track, make_room(), start=local(3, 10, 45), end=local(3, 11, 45))

    problems = check_conflicts(seminar, speaker_ids=[anna.pk])

    assert codes(problems) == ["speaker_double_booked"]
    assert "Anna Lindqvist" in problems[0].message
    assert "Social robot mot ensamhet" in problems[0].message
    assert problems[0].field == "speakers"


def test_speaker_conflict_uses_saved_speakers_by_default(track, make_room, make_speaker, make_seminar):
    anna = make_speaker(name="Anna Lindqvist")
    make_seminar(title="Första", speakers=[anna], start=local(3, 10), end=local(3, 11))
    second = make_seminar(title="Andra", speakers=[anna], room=make_room(), start=local(3, 10), end=local(3, 11))
    problems = check_conflicts(second)
    assert codes(problems) == ["speaker_double_booked"]
    assert "Första" in problems[0].message


def test_speaker_back_to_back_is_fine(conference, track, make_room, make_speaker, make_seminar):
    anna = make_speaker()
    make_seminar(speakers=[anna], start=local(3, 10), end=local(3, 11))
    seminar = unsaved(conference, track, make_room(), start=local(3, 11), end=local(3, 12))
    assert check_conflicts(seminar, speaker_ids=[anna.pk]) == []


def test_other_speakers_at_the_same_time_are_fine(conference, track, make_room, make_speaker, make_seminar):
    make_seminar(speakers=[make_speaker()], start=local(3, 10), end=local(3, 11))
    seminar = unsaved(conference, track, make_room(), start=local(3, 10), end=local(3, 11))
    assert check_conflicts(seminar, speaker_ids=[make_speaker().pk]) == []


def test_room_and_speaker_conflicts_are_both_reported(conference, track, room, make_speaker, make_seminar):
    anna = make_speaker()
    make_seminar(speakers=[anna], start=local(3, 10), end=local(3, 11))
    problems = check_conflicts(unsaved(conference, track, room), speaker_ids=[anna.pk])
    assert sorted(codes(problems)) == ["room_double_booked", "speaker_double_booked"]


# --- seats ----------------------------------------------------------------------------------------

def test_capacity_above_room_capacity(conference, track, room):
    problems = check_conflicts(unsaved(conference, track, room, capacity=room.capacity + 1))
    assert codes(problems) == ["capacity_exceeds_room"]
    assert str(room.capacity) in problems[0].message
    assert problems[0].field == "capacity"


def test_capacity_equal_to_room_capacity_is_fine(conference, track, room):
    assert check_conflicts(unsaved(conference, track, room, capacity=room.capacity)) == []


# --- conference days (Europe/Stockholm) -----------------------------------------------------------

@pytest.mark.parametrize(("start", "end"), [
    (local(3, 0, 0), local(3, 1)),    # local midnight of the first day (23:00 UTC the day before)
    (local(3, 0, 30), local(3, 1)),   # still 2 February in UTC
    (local(4, 23), local(5, 0, 0)),   # ends exactly at midnight after the last day
])
def test_inside_the_conference_days_at_the_local_midnight_edges(conference, track, room, start, end):
    assert check_conflicts(unsaved(conference, track, room, start=start, end=end)) == []


@pytest.mark.parametrize(("start", "end"), [
    (local(2, 23, 30), local(3, 0, 30)),  # starts before local midnight of the first day
    (local(2, 10), local(2, 11)),         # the day before
    (local(4, 23, 30), local(5, 0, 30)),  # runs past midnight after the last day (still 4 Feb in UTC)
    (local(5, 0, 0), local(5, 1)),        # the day after, from its local midnight
])
def test_outside_the_conference_days(conference, track, room, start, end):
    problems = check_conflicts(unsaved(conference, track, room, start=start, end=end))
    assert codes(problems) == ["outside_conference_days"]


# --- cancelled seminars ---------------------------------------------------------------------------

def test_cancelled_seminar_does_not_block_the_room_or_speaker(conference, track, room, make_speaker, make_seminar):
    anna = make_speaker()
    make_seminar(speakers=[anna], status=SeminarStatus.CANCELLED)
    assert check_conflicts(unsaved(conference, track, room), speaker_ids=[anna.pk]) == []


def test_cancelled_seminar_has_no_conflicts_itself(conference, track, room, make_seminar):
    make_seminar()
    assert check_conflicts(unsaved(conference, track, room, status=SeminarStatus.CANCELLED)) == []


def test_draft_seminar_still_takes_the_room(conference, track, room, make_seminar):
    make_seminar(status=SeminarStatus.DRAFT)
    assert codes(check_conflicts(unsaved(conference, track, room))) == ["room_double_booked"]


# --- save_seminar ---------------------------------------------------------------------------------

def test_save_seminar_refuses_a_room_conflict_and_saves_nothing(conference, track, room, make_seminar):
    make_seminar(title="Redan här")
    before = Seminar.objects.count()

    with pytest.raises(ProgrammeError) as error:
        save_seminar(seminar=unsaved(conference, track, room, title="Krockar"))

    assert error.value.code == "conflict"
    assert "Redan här" in error.value.message
    assert codes(error.value.conflicts) == ["room_double_booked"]
    assert Seminar.objects.count() == before
    assert not Seminar.objects.filter(title="Krockar").exists()


def test_save_seminar_refuses_a_speaker_conflict_and_keeps_the_old_speakers(
    conference, track, make_room, make_speaker, make_seminar,
):
    anna, bo = make_speaker(name="Anna"), make_speaker(name="Bo")
    make_seminar(speakers=[anna], start=local(3, 10), end=local(3, 11))
    seminar = make_seminar(speakers=[bo], room=make_room(), start=local(3, 10), end=local(3, 11))

    with pytest.raises(ProgrammeError) as error:
        save_seminar(seminar=seminar, speaker_ids=[anna.pk])

    assert error.value.code == "conflict"
    assert "Anna" in error.value.message
    assert list(seminar.seminar_speakers.values_list("speaker_id", flat=True)) == [bo.pk]


def test_moving_into_a_taken_room_leaves_the_seminar_where_it_was(make_room, make_seminar):
    taken = make_seminar(title="Upptagen", start=local(3, 13), end=local(3, 14))
    seminar = make_seminar(room=make_room(capacity=100), start=local(3, 10), end=local(3, 11))
    original_room = seminar.room_id

    with pytest.raises(ProgrammeError) as error:
        move_seminar(seminar=seminar, start=local(3, 13), end=local(3, 14), room=taken.room)

    assert error.value.code == "conflict"
    assert "Upptagen" in error.value.message
    stored = Seminar.objects.get(pk=seminar.pk)
    assert (stored.start, stored.end, stored.room_id, stored.revision) == (local(3, 10), local(3, 11), original_room, 0)


def test_save_seminar_stores_speakers_in_the_given_order(conference, track, room, make_speaker):
    a, b, c = make_speaker(), make_speaker(), make_speaker()
    seminar = save_seminar(seminar=unsaved(conference, track, room), speaker_ids=[c.pk, a.pk, b.pk])
    assert list(seminar.seminar_speakers.order_by("order").values_list("speaker_id", flat=True)) == [c.pk, a.pk, b.pk]


def test_save_seminar_fills_capacity_from_the_room(conference, track, room):
    seminar = save_seminar(seminar=unsaved(conference, track, room))
    assert Seminar.objects.get(pk=seminar.pk).capacity == room.capacity


# --- revision and what the bookings port is told ------------------------------------------------

def stored_revision(seminar):
    return Seminar.objects.get(pk=seminar.pk).revision


def test_new_seminar_starts_at_revision_zero(conference, track, room):
    assert stored_revision(save_seminar(seminar=unsaved(conference, track, room))) == 0


def test_changing_the_time_bumps_revision_by_one(make_seminar):
    seminar = make_seminar()
    seminar.start += timedelta(hours=2)
    seminar.end += timedelta(hours=2)
    save_seminar(seminar=seminar)
    assert stored_revision(seminar) == 1


def test_changing_the_room_bumps_revision_by_one(make_room, make_seminar):
    seminar = make_seminar()
    move_seminar(seminar=seminar, room=make_room(capacity=100))
    assert stored_revision(seminar) == 1


def test_changing_the_status_bumps_revision_by_one(make_seminar):
    seminar = make_seminar()
    cancel_seminar(seminar=seminar)
    assert stored_revision(seminar) == 1


def test_changing_time_and_room_at_once_bumps_revision_once(make_room, make_seminar):
    seminar = make_seminar()
    move_seminar(seminar=seminar, start=local(3, 14), end=local(3, 15), room=make_room(capacity=100))
    assert stored_revision(seminar) == 1


def test_each_change_bumps_revision_again(make_seminar):
    seminar = make_seminar()
    move_seminar(seminar=seminar, start=local(3, 14), end=local(3, 15))
    move_seminar(seminar=seminar, start=local(3, 15), end=local(3, 16))
    assert stored_revision(seminar) == 2


def test_changing_only_the_title_keeps_the_revision(make_seminar, changes_sent):
    seminar = make_seminar()
    seminar.title = "Ny titel"
    save_seminar(seminar=seminar)
    assert stored_revision(seminar) == 0
    assert Seminar.objects.get(pk=seminar.pk).title == "Ny titel"
    assert changes_sent == []


def test_the_port_is_told_of_a_move_with_the_stored_state_before_it(make_seminar, changes_sent):
    seminar = make_seminar(start=local(3, 10), end=local(3, 11))

    move_seminar(seminar=seminar, start=local(3, 13), end=local(3, 14))

    assert len(changes_sent) == 1
    sent_seminar, changes, before = changes_sent[0]
    assert sent_seminar.pk == seminar.pk
    assert changes == frozenset({"time"})
    assert before.start == local(3, 10)


def test_cancelling_sends_a_status_change(make_seminar, changes_sent):
    seminar = make_seminar()
    cancel_seminar(seminar=seminar)
    assert [changes for _s, changes, _p in changes_sent] == [frozenset({"status"})]
    assert changes_sent[0][2].status == SeminarStatus.PUBLISHED


def test_refused_change_sends_nothing(make_room, make_seminar, changes_sent):
    taken = make_seminar(start=local(3, 13), end=local(3, 14))
    seminar = make_seminar(room=make_room(capacity=100))
    with pytest.raises(ProgrammeError):
        move_seminar(seminar=seminar, start=local(3, 13), end=local(3, 14), room=taken.room)
    assert changes_sent == []


def test_cancelling_twice_is_refused(make_seminar):
    seminar = make_seminar()
    cancel_seminar(seminar=seminar)
    with pytest.raises(ProgrammeError) as error:
        cancel_seminar(seminar=seminar)
    assert error.value.code == "already_cancelled"


def test_only_the_busy_speaker_is_named(conference, track, make_room, make_speaker, make_seminar):
    anna, bo, cia = make_speaker(name="Anna Busy"), make_speaker(name="Bo Cobooked"), make_speaker(name="Cia Free")
    make_seminar(title="Tidigare", speakers=[anna, bo], start=local(3, 10), end=local(3, 11))
    seminar = unsaved(conference, track, make_room(), start=local(3, 10), end=local(3, 11))

    problems = check_conflicts(seminar, speaker_ids=[anna.pk, cia.pk])

    assert codes(problems) == ["speaker_double_booked"]
    assert "Anna Busy" in problems[0].message
    assert "Bo Cobooked" not in problems[0].message


def test_speaker_in_two_overlapping_seminars_is_reported_for_each(
    conference, track, make_room, make_speaker, make_seminar,
):
    anna = make_speaker()
    make_seminar(title="Morgon", speakers=[anna], start=local(3, 9), end=local(3, 10, 30))
    make_seminar(title="Förmiddag", speakers=[anna], room=make_room(), start=local(3, 10, 30), end=local(3, 12))
    seminar = unsaved(conference, track, make_room(), start=local(3, 10), end=local(3, 11))

    problems = check_conflicts(seminar, speaker_ids=[anna.pk])

    assert [p.other.title for p in problems] == ["Morgon", "Förmiddag"]


# --- nothing from another conference ---------------------------------------------------------------

def test_room_of_another_conference_is_refused(conference, track, other_conference, make_room):
    seminar = unsaved(conference, track, make_room(conference=other_conference, capacity=100))
    assert "room_other_conference" in codes(check_conflicts(seminar))


def test_track_of_another_conference_is_refused(conference, room, other_conference):
    from sessions.models import Track

    foreign = Track.objects.create(conference=other_conference, name="Äldreomsorg", slug="aldreomsorg")
    assert codes(check_conflicts(unsaved(conference, foreign, room))) == ["track_other_conference"]


def test_speaker_of_another_conference_is_refused(conference, track, room, other_conference, make_speaker):
    foreign = make_speaker(conference=other_conference, name="Anna Förra Året")
    problems = check_conflicts(unsaved(conference, track, room), speaker_ids=[make_speaker().pk, foreign.pk])
    assert codes(problems) == ["speaker_other_conference"]
    assert "Anna Förra Året" in problems[0].message
    with pytest.raises(ProgrammeError):
        save_seminar(seminar=unsaved(conference, track, room), speaker_ids=[foreign.pk])
    assert not Seminar.objects.exists()


def test_save_seminar_checks_seats_against_the_room_as_stored_not_as_loaded(make_room, make_seminar):
    """Found in review: a form's copy of the room could say 100 seats after another organiser cut it to 50."""
    room = make_room(capacity=100)
    seminar = make_seminar(room=room, capacity=40)
    seminar = Seminar.objects.select_related("room").get(pk=seminar.pk)
    Room.objects.filter(pk=room.pk).update(capacity=50)  # meanwhile, elsewhere
    seminar.capacity = 80
    with pytest.raises(ProgrammeError) as error:
        save_seminar(seminar=seminar)
    assert [c.code for c in error.value.conflicts] == ["capacity_exceeds_room"]
    assert Seminar.objects.get(pk=seminar.pk).capacity == 40


def test_save_room_refuses_fewer_seats_than_a_seminar_in_it(make_room, make_seminar):
    from sessions.services import save_room

    room = make_room(capacity=100)
    make_seminar(room=room, capacity=80)
    room.capacity = 50
    with pytest.raises(ProgrammeError) as error:
        save_room(room=room)
    assert error.value.code == "conflict"
    assert Room.objects.get(pk=room.pk).capacity == 100
