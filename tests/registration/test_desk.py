"""The organisers' desk page: who may see it, and that its numbers are the database's."""

import itertools
import re

import pytest
from django.contrib.auth.models import Group

from registration.demo import build_demo_people
from registration.models import BookingStatus, Municipality, Region, RegistrationStatus, Scan, Verdict
from registration.roles import ORGANISERS
from sessions.demo import build_demo_programme
from sessions.models import SeminarStatus
from tests.conftest import local

URL = "/staff/desk/mvt2016/"
_nonce = itertools.count(1)


def number(page: str, name: str) -> int:
    match = re.search(rf'data-number="{name}">(\d+)<', page)
    assert match, name
    return int(match.group(1))


def seminar_order(page: str) -> list[str]:
    return re.findall(r'<tr data-seminar="([^"]+)">', page)


def seminar_row(page: str, seminar) -> str:
    match = re.search(rf'<tr data-seminar="{seminar.code}">(.*?)</tr>', page, re.S)
    assert match
    return match.group(1)


def admit(registration, checkpoint: str, staff, seminar=None):
    return Scan.objects.create(nonce=f"desk-{next(_nonce)}", checkpoint=checkpoint, conference=registration.conference,
                               registration=registration, seminar=seminar, staff=staff, verdict=Verdict.ADMITTED)


# Access


def test_anonymous_is_sent_to_log_in(client, conference):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_attendee_is_refused(client, conference, make_user):
    client.force_login(make_user())
    assert client.get(URL).status_code == 403


def test_organiser_without_mfa_is_sent_to_set_it_up(client, conference, make_user):
    user = make_user(is_staff=True)
    user.groups.add(Group.objects.get(name=ORGANISERS))
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/2fa/totp/activate")


def test_organiser_sees_the_desk(client, conference, organiser):
    client.force_login(organiser)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Siffror" in response.content.decode()


def test_unknown_conference_is_404(client, conference, organiser):
    client.force_login(organiser)
    assert client.get("/staff/desk/nope/").status_code == 404


def test_desk_is_linked_from_the_staff_nav_and_the_admin_index(client, conference, organiser):
    client.force_login(organiser)
    assert f'href="{URL}"' in client.get("/mvt2016/").content.decode()
    assert f'href="{URL}"' in client.get("/admin/").content.decode()


# Numbers


@pytest.fixture
def people(conference, make_registration):
    """Two from Stockholm, one from Solna (both in Stockholms län), two from Region Stockholm, one from
    Region Skåne, one company exhibitor, and one cancelled registration from Uppsala."""
    stockholm, solna, uppsala = (Municipality.objects.get(name=n) for n in ("Stockholm", "Solna", "Uppsala"))
    region_sthlm = Region.objects.get(county_code=stockholm.county_code)
    region_skane = Region.objects.get(county_code="12")
    made = {
        "sthlm": [make_registration(organisation_type="municipality", municipality=stockholm) for _ in range(2)],
        "solna": [make_registration(organisation_type="municipality", municipality=solna)],
        "region_sthlm": [make_registration(organisation_type="region", region=region_sthlm) for _ in range(2)],
        "region_skane": [make_registration(organisation_type="region", region=region_skane, category="user")],
        "company": [make_registration(category="exhibitor")],
        "cancelled": [make_registration(organisation_type="municipality", municipality=uppsala,
                                        status=RegistrationStatus.CANCELLED)],
    }
    return made


def test_registration_totals_match_the_database(client, organiser, people):
    client.force_login(organiser)
    page = client.get(URL).content.decode()
    assert number(page, "active") == 7
    assert number(page, "cancelled") == 1


def test_regions_are_counted_as_themselves(client, organiser, people):
    client.force_login(organiser)
    page = client.get(URL).content.decode()
    assert number(page, "municipalities") == 2  # Stockholm, Solna; cancelled Uppsala does not count
    assert number(page, "regions") == 2
    places = re.search(r'id="places-table">(.*?)</table>', page, re.S).group(1)
    assert re.search(r"<th scope=\"row\">Region Stockholm</th><td>Region Stockholm</td><td class=\"num\">2</td>",
                     places)
    assert re.search(r"<th scope=\"row\">Stockholm</th><td>Stockholms län</td><td class=\"num\">2</td>", places)
    assert "Uppsala" not in places
    # The chart by county or region: Stockholms län has the three municipality people, the region its own two.
    area = re.search(r'id="chart-area-title".*?</figure>', page, re.S).group(0)
    assert '<th scope="row">Stockholms län</th><td class="num">3</td>' in area
    assert '<th scope="row">Region Stockholm</th><td class="num">2</td>' in area
    assert '<th scope="row">Region Skåne</th><td class="num">1</td>' in area


def test_charts_are_svg_with_titles_and_data_tables(client, organiser, people):
    client.force_login(organiser)
    page = client.get(URL).content.decode()
    assert page.count('role="img"') == 4
    assert 'aria-labelledby="chart-category-title"' in page
    assert "<title>Personal: 5</title>" in page  # ticket category Staff, in Swedish
    assert '<th scope="row">Utställare</th><td class="num">1</td>' in page
    # Ready for a strict Content-Security-Policy: no inline styles, and scripts only as static files.
    import re

    assert "style=" not in page
    assert all(' src="/static/' in tag for tag in re.findall(r"<script[^>]*>", page))


# Seminars


@pytest.fixture
def seminars(conference, make_seminar, make_registration, make_booking, make_room):
    """full: 10/10; nearly: 9/10 with two in line; open: 1/10 with three cancellations."""
    room = make_room(capacity=10)
    full = make_seminar(title="Full", room=room, capacity=10, start=local(3, 9), end=local(3, 10))
    nearly = make_seminar(title="Nearly", room=room, capacity=10, start=local(3, 10), end=local(3, 11))
    open_ = make_seminar(title="Open", room=room, capacity=10, start=local(3, 11), end=local(3, 12))
    people = [make_registration() for _ in range(13)]
    for person in people[:10]:
        make_booking(person, full)
    for person in people[:9]:
        make_booking(person, nearly)
    for person in people[9:11]:
        make_booking(person, nearly, status=BookingStatus.WAITLISTED)
    make_booking(people[0], open_)
    for person in people[10:13]:
        make_booking(person, open_, status=BookingStatus.CANCELLED)
    return {"full": full, "nearly": nearly, "open": open_, "people": people}


@pytest.mark.parametrize(("sort", "expected"), [
    ("start", ["full", "nearly", "open"]),
    ("fill", ["full", "nearly", "open"]),
    ("line", ["nearly", "full", "open"]),
    ("cancelled", ["open", "full", "nearly"]),
    ("nonsense", ["full", "nearly", "open"]),
])
def test_seminars_sort(client, organiser, seminars, sort, expected):
    client.force_login(organiser)
    page = client.get(f"{URL}?sort={sort}").content.decode()
    assert seminar_order(page) == [seminars[key].code for key in expected]


def test_fill_rate_sorts_largest_first(client, organiser, seminars, make_booking):
    for person in seminars["people"][1:10]:
        make_booking(person, seminars["open"])  # open now 10/10, same as full; ties keep start order
    client.force_login(organiser)
    page = client.get(f"{URL}?sort=fill").content.decode()
    assert seminar_order(page) == [seminars[key].code for key in ("full", "open", "nearly")]


def test_full_and_nearly_full_are_marked_in_text(client, organiser, seminars):
    client.force_login(organiser)
    page = client.get(URL).content.decode()
    assert ">Fullbokat<" in seminar_row(page, seminars["full"])
    assert ">Nästan fullt<" not in seminar_row(page, seminars["full"])
    assert ">Nästan fullt<" in seminar_row(page, seminars["nearly"])
    open_row = seminar_row(page, seminars["open"])
    assert "Fullbokat<" not in open_row and "fullt<" not in open_row


def test_drafts_are_not_listed(client, organiser, seminars, make_seminar):
    draft = make_seminar(title="Utkast", status=SeminarStatus.DRAFT)
    client.force_login(organiser)
    page = client.get(URL).content.decode()
    assert seminars["full"].code in page
    assert draft.code not in page


def test_check_ins_and_no_shows_per_seminar(client, organiser, door_staff, seminars):
    full = seminars["full"]
    for person in seminars["people"][:7]:
        admit(person, f"seminar-{full.code}", door_staff, seminar=full)
    # Admitted at another door does not count for this one.
    admit(seminars["people"][7], f"seminar-{seminars['nearly'].code}", door_staff, seminar=seminars["nearly"])
    Scan.objects.create(nonce="refused", checkpoint=f"seminar-{full.code}", conference=full.conference,
                        registration=seminars["people"][8], staff=door_staff, verdict=Verdict.ALREADY_SCANNED)
    client.force_login(organiser)
    page = client.get(URL).content.decode()
    cells = re.findall(r'<td class="num"[^>]*>(.*?)</td>', seminar_row(page, full), re.S)
    # seats, confirmed, fill, line, cancellations, checked in, no-shows (the seminar ended in 2016)
    assert cells == ["10", "10", "100 %", "0", "0", "7", "3"]
    nearly_cells = re.findall(r'<td class="num"[^>]*>(.*?)</td>', seminar_row(page, seminars["nearly"]), re.S)
    assert nearly_cells[-2:] == ["1", "8"]


def test_no_shows_wait_until_the_seminar_ends(client, organiser, today_conference, make_seminar, make_registration,
                                             make_booking):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    seminar = make_seminar(start=now - timedelta(minutes=10), end=now + timedelta(hours=1))
    make_booking(make_registration(), seminar)
    client.force_login(organiser)
    page = client.get(URL).content.decode()
    no_shows = re.search(r"<td class=\"num\" data-no-shows>(.*?)</td>", seminar_row(page, seminar)).group(1)
    assert "inte slut ännu" in no_shows and "1" not in no_shows


def test_entrance_check_ins_today(client, organiser, door_staff, today_conference, make_registration):
    from django.utils import timezone

    from sessions.models import LOCAL_TZ

    today = timezone.localtime(timezone.now(), LOCAL_TZ).date()
    for person in [make_registration() for _ in range(3)]:
        admit(person, f"entrance-{today.isoformat()}", door_staff)
    client.force_login(organiser)
    assert number(client.get(URL).content.decode(), "entrance-today") == 3


# Query counts

# force_login's session and user, the user's groups (the role; the staff nav reuses it), MFA, the conference,
# then one query per block: registration totals, per day, by category, by organisation type, municipalities,
# regions, seminars with their booking counts, seminar check-ins, no-shows. (During the conference one more:
# today's entrance.)
DESK_QUERIES = 14


@pytest.fixture(params=[(60, 200), (240, 800)], ids=lambda p: f"{p[0]}-seminars-{p[1]}-attendees")
def demo(request, db):
    seminars, attendees = request.param
    conference = build_demo_programme(seminars=seminars)
    build_demo_people(conference, attendees=attendees)
    return conference


def test_desk_query_count_does_not_grow(client, demo, organiser, django_assert_num_queries):
    client.force_login(organiser)
    with django_assert_num_queries(DESK_QUERIES):
        response = client.get(URL)
    assert response.status_code == 200
    assert number(response.content.decode(), "active") == demo.registrations.filter(status="active").count()


def test_registrations_per_day_use_swedish_days(client, organiser, make_registration):
    from datetime import UTC, datetime

    from registration.models import Registration

    late, early = make_registration(), make_registration()
    # 23:30 UTC on 2 February is 00:30 on 3 February in Stockholm; 22:30 UTC is still the 2nd.
    Registration.objects.filter(pk=late.pk).update(created_at=datetime(2016, 2, 2, 23, 30, tzinfo=UTC))
    Registration.objects.filter(pk=early.pk).update(created_at=datetime(2016, 2, 2, 22, 30, tzinfo=UTC))
    client.force_login(organiser)
    page = client.get(URL).content.decode()
    chart = re.search(r'id="chart-per-day-title".*?</figure>', page, re.S).group(0)
    assert re.findall(r'<th scope="row">([^<]+)</th><td class="num">(\d+)</td>', chart) == [
        ("2016-02-02", "1"), ("2016-02-03", "1"),
    ]


def test_the_page_is_in_swedish(client, organiser, conference):
    client.force_login(organiser)
    page = client.get(URL).content.decode()
    assert "minst 90 % av platserna" in page
    assert "Full: every seat" not in page
