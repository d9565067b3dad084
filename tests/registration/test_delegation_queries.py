"""The coordinator's pages read a fixed number of queries whatever the delegation's or the programme's size."""

from datetime import timedelta

import pytest

from registration.services.booking import book_seat
from registration.services.registrations import Member, register_delegation
from tests.conftest import local


@pytest.fixture
def coordinator(client, conference, make_user):
    user = make_user()
    client.force_login(user)
    return user


def delegation_of(coordinator, conference, n):
    return register_delegation(coordinator=coordinator, conference=conference, organisation_name="Exempel AB",
                               members=[Member(f"Kollega {i}", f"k{i}@example.org") for i in range(n)],
                               organisation_type="company", category="staff")


@pytest.mark.parametrize("size", [2, 20])
def test_delegation_page_queries_do_not_grow_with_members(client, conference, coordinator, make_seminar,
                                                          django_assert_num_queries, size):
    delegation = delegation_of(coordinator, conference, size)
    seminar = make_seminar()
    for member in delegation.members.all()[:2]:
        book_seat(registration=member, seminar=seminar, notify=False)
    url = f"/mvt2016/delegations/{delegation.public_id}/"
    client.get(url)
    with django_assert_num_queries(EXPECTED["delegation"]):
        client.get(url)


@pytest.mark.parametrize("size", [2, 30])
def test_member_seats_page_queries_do_not_grow_with_the_programme(client, conference, coordinator, make_seminar,
                                                                 django_assert_num_queries, size):
    delegation = delegation_of(coordinator, conference, 1)
    member = delegation.members.get()
    for i in range(size):
        seminar = make_seminar(start=local(3, 8) + timedelta(hours=i), end=local(3, 8) + timedelta(hours=i, minutes=45))
        if i % 2:
            book_seat(registration=member, seminar=seminar, notify=False)
    url = f"/mvt2016/delegations/{delegation.public_id}/members/{member.public_id}/seats/"
    client.get(url)
    with django_assert_num_queries(EXPECTED["seats"]):
        response = client.get(url)
    assert response.content.decode().count('name="action" value="cancel"') == size // 2


# session, user, conference, delegation, then the page's own reads (members with seat counts; the seminars with
# counts and the member's status in one query), plus the nav's and the messages' reads.
EXPECTED = {"delegation": 7, "seats": 8}
