"""Public pages issue a fixed number of queries, whatever the size of the programme (no N+1).

Each page is measured on the demo programme at 60 and at 240 seminars and must issue exactly the
pinned number at both sizes. If a change adds a query on purpose, update the pin and say why.
"""

import pytest

from sessions.demo import build_demo_programme
from sessions.models import SeminarStatus

# Anonymous visitor, no session cookie. What each query is, in order:
QUERIES = {
    # conference, tracks, the programme version (the cache key), live seat counts (registration's hook),
    # the day's seminars, the rooms (shared by every seminar), their speakers' names. A second visit is
    # served from the cache: see test_page_cache.py.
    "day": 7,
    # the same seven: the grid's columns are the rooms already loaded
    "day_grid": 7,
    # conference, the seminar (+room, track), its speakers, the seat count from registration's panel
    "seminar": 4,
    # conference, the programme version, speakers of public seminars with those seminars' titles
    "speakers": 3,
    # conference, the speaker, their public seminars
    "speaker": 3,
}


@pytest.fixture(params=[60, 240], ids=lambda n: f"{n}-seminars")
def demo(request, db):
    conference = build_demo_programme(seminars=request.param)
    assert conference.seminars.bookable().count() == request.param
    return conference


def urls(conference):
    seminar = conference.seminars.bookable().filter(status=SeminarStatus.PUBLISHED).first()
    speaker = seminar.speakers.first()
    return {
        "day": "/mvt2016/program/2016-02-03/",
        "day_grid": "/mvt2016/program/2016-02-03/grid/",
        "seminar": f"/mvt2016/seminars/{seminar.code}/",
        "speakers": "/mvt2016/speakers/",
        "speaker": f"/mvt2016/speakers/{speaker.slug}/",
    }


@pytest.mark.parametrize("page", list(QUERIES))
def test_public_page_query_count_does_not_grow(client, demo, django_assert_num_queries, page):
    url = urls(demo)[page]
    with django_assert_num_queries(QUERIES[page]):
        response = client.get(url)
    assert response.status_code == 200


def test_track_filter_costs_no_extra_query(client, demo, django_assert_num_queries):
    with django_assert_num_queries(QUERIES["day"]):
        assert client.get("/mvt2016/program/2016-02-03/?track=hemsjukvard").status_code == 200
