"""Odd URLs answer 404, never 500 (PostgreSQL rejects NUL bytes in strings, so they must not reach a query)."""

import pytest


@pytest.mark.parametrize("path", [
    "/mvt2016/seminars/%00/",
    "/mvt2016/seminars/%00/calendar.ics",
    "/mvt2016/seminars/" + "A" * 300 + "/",
    "/claim/%00/",
    "/cal/%00.ics",
    "/staff/door/mvt2016/seminar-%00/",
    "/mvt2016/program/2016-13-45/",
    "/mvt2016/program/0000-00-00/grid/",
    "/bookings/not-a-uuid/cancel/",
])
def test_odd_urls_are_not_found(client, conference, path):
    assert client.get(path).status_code == 404


def test_nul_in_booking_url_is_not_found(client, conference, make_user):
    client.force_login(make_user())
    assert client.post("/mvt2016/seminars/%00/book/").status_code == 404


def test_a_room_number_too_large_for_the_database_is_not_found(client, conference):
    assert client.get("/mvt2016/calendar/room/99999999999999999999999.ics").status_code == 404
