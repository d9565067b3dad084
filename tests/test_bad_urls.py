"""Odd URLs answer 404 (or 400 for a control character such as NUL, which PostgreSQL rejects), never 500."""

import pytest


@pytest.mark.parametrize("path", [
    "/mvt2016/seminars/" + "A" * 300 + "/",
    "/mvt2016/program/2016-13-45/",
    "/mvt2016/program/0000-00-00/grid/",
    "/bookings/not-a-uuid/cancel/",
])
def test_odd_urls_are_not_found(client, conference, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", [
    "/mvt2016/seminars/%00/",
    "/mvt2016/seminars/%00/calendar.ics",
    "/claim/%00/",
    "/cal/%00.ics",
    "/staff/door/mvt2016/seminar-%00/",
])
def test_a_nul_in_a_url_is_a_bad_request(client, conference, path):
    assert client.get(path).status_code == 400


def test_nul_in_booking_url_is_a_bad_request(client, conference, make_user):
    client.force_login(make_user())
    assert client.post("/mvt2016/seminars/%00/book/").status_code == 400


def test_a_room_number_too_large_for_the_database_is_not_found(client, conference):
    assert client.get("/mvt2016/calendar/room/99999999999999999999999.ics").status_code == 404
