"""common/prepared.py: a query compiled once answers exactly what its queryset answers, with each call's values."""

import pytest
from django.db import connection, models
from django.db.models import Count, Max
from django.test.utils import CaptureQueriesContext

from common.prepared import PreparedQuery
from sessions.models import Room, Seminar, SeminarStatus
from tests.conftest import local

ID, WHEN = models.IntegerField(), models.DateTimeField()


def _seminars_between(param):
    """The query under test; `param` is PreparedQuery's placeholder, or values.get for the plain queryset."""
    return (
        Seminar.objects.filter(conference_id=param("conference", ID), start__gte=param("start", WHEN),
                               start__lt=param("end", WHEN))
        .order_by("start", "pk").values_list("pk", "code", "start", "end", "capacity", "conference__is_published")
    )


def test_rows_are_the_querysets_rows_with_each_calls_values(conference, make_seminar):
    morning = make_seminar(start=local(3, 9), end=local(3, 10))
    make_seminar(start=local(3, 13), end=local(3, 14))
    make_seminar(start=local(4, 9), end=local(4, 10))
    prepared = PreparedQuery(_seminars_between)

    for start, end in [(local(3, 0), local(4, 0)), (local(4, 0), local(5, 0)), (local(3, 8), local(3, 12))]:
        values = {"conference": conference.pk, "start": start, "end": end}
        expected = list(_seminars_between(values.get))  # the plain queryset with the values, run as usual
        rows = prepared.rows(conference=conference.pk, start=start, end=end)
        assert rows == expected and rows  # aware datetimes and booleans converted as the ORM does
    assert prepared.rows(conference=conference.pk, start=local(3, 8), end=local(3, 12))[0][0] == morning.pk
    assert prepared.rows(conference=conference.pk + 1, start=local(3, 0), end=local(5, 0)) == []


def test_annotations_and_objects(conference, make_seminar, make_room):
    make_seminar(start=local(3, 9), end=local(3, 10))
    newest = make_seminar(start=local(3, 11), end=local(3, 12))
    counts = PreparedQuery(
        lambda param: Seminar.objects.filter(conference_id=param("conference", ID)).values("conference_id")
        .annotate(count=Count("pk"), newest=Max("updated_at")).values_list("count", "newest").order_by()
    )
    newest.refresh_from_db()
    assert counts.rows(conference=conference.pk) == [(2, newest.updated_at)]

    make_room(name="Sal B", order=5)
    rooms = PreparedQuery(
        lambda param: Room.objects.filter(conference_id=param("conference", ID)).order_by("order", "name"), model=Room
    )
    loaded = rooms.objects(conference=conference.pk)
    assert loaded == list(conference.rooms.order_by("order", "name"))
    assert [(r.name, r.capacity, r.conference_id) for r in loaded] == [
        (r.name, r.capacity, r.conference_id) for r in conference.rooms.order_by("order", "name")]
    assert not loaded[0]._state.adding  # a saved row, as the ORM makes it
    loaded[0].save()  # and it saves like one


def test_one_query_per_call_through_the_connections_cursor(conference, make_seminar):
    make_seminar()
    prepared = PreparedQuery(_seminars_between)
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            prepared.rows(conference=conference.pk, start=local(3, 0), end=local(4, 0))
        assert len(queries) == 1  # counted in tests like any query


def test_misuse_is_refused(conference):
    with pytest.raises(TypeError, match="end"):
        PreparedQuery(_seminars_between).rows(conference=conference.pk, start=local(3, 0))
    with pytest.raises(TypeError, match="values_list"):
        PreparedQuery(lambda param: Seminar.objects.filter(conference_id=param("conference", ID))).rows(conference=1)
    with pytest.raises(TypeError, match="Room"):
        PreparedQuery(lambda param: Seminar.objects.all(), model=Room).rows()
    with pytest.raises(TypeError, match="model"):
        PreparedQuery(_seminars_between).objects(conference=1, start=local(3, 0), end=local(4, 0))


def test_a_status_constant_stays_a_constant(conference, make_seminar):
    make_seminar(status=SeminarStatus.DRAFT)
    published = make_seminar()
    prepared = PreparedQuery(
        lambda param: Seminar.objects.filter(conference_id=param("conference", ID), status=SeminarStatus.PUBLISHED)
        .values_list("pk")
    )
    assert prepared.rows(conference=conference.pk) == [(published.pk,)]


def test_only_constants_outside_the_placeholders(conference):
    from django.utils import timezone

    if connection.vendor == "sqlite":
        pytest.skip("SQLite gets a datetime as text, which the check cannot tell from a constant")
    with pytest.raises(TypeError, match="constants"):
        PreparedQuery(lambda param: Seminar.objects.filter(
            conference_id=param("conference", ID), start__lt=timezone.now()).values_list("pk")).rows(conference=1)


@pytest.mark.django_db(transaction=True)
def test_an_ended_threads_connection_is_not_kept_alive():
    """The compiled query lives on the connection: when a thread ends, its connection (and the database
    session) can go, as with the plain ORM."""
    import gc
    import threading
    import weakref

    from django.db import connections

    prepared = PreparedQuery(_seminars_between)
    seen = []

    def work():
        prepared.rows(conference=1, start=local(3, 0), end=local(4, 0))
        seen.append(weakref.ref(connections["default"]))
        connections["default"].close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    gc.collect()
    assert seen and seen[0]() is None
