"""Lists and exports on the organisers' desk: read back with the libraries that read them (csv, openpyxl),
row counts equal to the database, safe against formula injection, organisers only, queries pinned."""

import csv
import io
import itertools

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registration.export_files import csv_lines, csv_safe, write_xlsx
from registration.models import Booking, BookingStatus, Registration, RegistrationStatus, Scan, Verdict
from registration.roles import ORGANISERS
from registration.selectors.checkpoints import entrance_checkpoint
from registration.selectors.exports import check_in_rows, registration_rows, seminar_list, speaker_rows
from registration.services.badges import current_speaker_badges
from registration.services.door import check_in
from sessions.models import LOCAL_TZ, SeminarStatus
from tests.conftest import local

BASE = "/staff/desk/mvt2016"
_n = itertools.count(1)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def read_csv(response) -> list[list[str]]:
    data = body(response)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, so Excel reads å, ä, ö
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def read_xlsx(response) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(body(response)), read_only=True)
    return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]


@pytest.fixture
def seminar(make_seminar, make_speaker):
    return make_seminar(title="Välfärdsteknik i hemtjänsten", capacity=3,
                        speakers=[make_speaker(name="Åsa Öberg", email="asa@example.org")])


@pytest.fixture
def people(make_registration, make_booking, seminar):
    """Three confirmed seats (one with accessibility needs, one a formula) and two in line; a cancelled booking."""
    def reg(name, **fields):
        return make_registration(name=name, **fields)

    booked = [reg("Örjan Ek", accessibility_needs="Rullstolsplats"), reg("=HYPERLINK(\"http://x\")"),
              reg("Anna Åberg")]
    line = [reg("Bertil Line"), reg("Cecilia Line")]
    for i, r in enumerate(booked):
        make_booking(r, seminar, queued_at=local(10, 10 + i, month=1))
    for i, r in enumerate(line):
        make_booking(r, seminar, status=BookingStatus.WAITLISTED, queued_at=local(11, 10 + i, month=1))
    make_booking(reg("Avbokad Person"), seminar, status=BookingStatus.CANCELLED, queued_at=local(9, 10, month=1))
    return booked, line


# --- The writer ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+46701234567", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cell_that_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert csv_safe(text) == "'" + text


def test_csv_plain_text_and_numbers_are_kept():
    assert (csv_safe("Åsa"), csv_safe(3), csv_safe(None)) == ("Åsa", 3, "")


def test_csv_file_reads_back_with_swedish_letters():
    data = b"".join(csv_lines(["Namn"], [["Åsa Öberg"], ["=cmd"]]))
    assert data.startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == [["Namn"], ["Åsa Öberg"], ["'=cmd"]]


def test_xlsx_text_is_never_a_formula():
    out = io.BytesIO()
    assert write_xlsx(out, "Lista: [1]", ["Namn"], [["=1+1"], ["Åsa"]]) == 2
    sheet = openpyxl.load_workbook(out).worksheets[0]
    assert sheet.title == "Lista- -1-"
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("=1+1", "s")
    assert sheet["A3"].value == "Åsa"


# --- Per seminar ---------------------------------------------------------------------------------------------


def test_seminar_list_has_the_seats_by_name_and_the_line_in_order(seminar, people):
    listing = seminar_list(seminar)
    assert [p.name for p in listing.booked] == ["=HYPERLINK(\"http://x\")", "Anna Åberg", "Örjan Ek"]
    assert [(p.position, p.name) for p in listing.line] == [(1, "Bertil Line"), (2, "Cecilia Line")]
    assert listing.needs_count == 1
    assert [s.name for s in listing.speakers] == ["Åsa Öberg"]


def test_seminar_list_page_shows_people_and_flags_needs(client, organiser, seminar, people):
    client.force_login(organiser)
    response = client.get(f"{BASE}/seminars/{seminar.code}/list/")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<tr data-person>") == 5
    assert "Rullstolsplats" in page and 'class="needs-flag"' in page
    assert "Avbokad Person" not in page
    assert f'href="{BASE}/seminars/{seminar.code}/list.csv"' in page
    assert f'href="{BASE}/seminars/{seminar.code}/list.xlsx"' in page
    assert "css/list-print.css" in page


def test_seminar_csv_row_count_equals_the_database(client, organiser, seminar, people):
    client.force_login(organiser)
    response = client.get(f"{BASE}/seminars/{seminar.code}/list.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"mvt2016-{seminar.code}-list-" in response["Content-Disposition"]
    rows = read_csv(response)
    live = Booking.objects.filter(seminar=seminar, status__in=[BookingStatus.CONFIRMED, BookingStatus.WAITLISTED])
    assert len(rows) - 1 == live.count() == 5
    names = [r[2] for r in rows[1:]]
    assert "'=HYPERLINK(\"http://x\")" in names  # injected formula defused
    assert [r[5] for r in rows[1:] if r[5]] == ["Rullstolsplats"]


def test_seminar_xlsx_row_count_equals_the_database(client, organiser, seminar, people):
    client.force_login(organiser)
    response = client.get(f"{BASE}/seminars/{seminar.code}/list.xlsx")
    assert response.status_code == 200
    assert f'filename="mvt2016-{seminar.code}-list-' in response["Content-Disposition"]
    rows = read_xlsx(response)
    assert rows[0][2] == "Namn"
    confirmed = Booking.objects.filter(seminar=seminar, status=BookingStatus.CONFIRMED).count()
    waitlisted = Booking.objects.filter(seminar=seminar, status=BookingStatus.WAITLISTED).count()
    assert sum(r[0] == "Bekräftad plats" for r in rows[1:]) == confirmed == 3
    assert [r[1] for r in rows[1:] if r[0] == "I kö"] == [1, 2] and waitlisted == 2
    assert "=HYPERLINK(\"http://x\")" in [r[2] for r in rows[1:]]


def test_unknown_seminar_is_404(client, organiser, conference):
    client.force_login(organiser)
    assert client.get(f"{BASE}/seminars/NOPE99/list/").status_code == 404
    assert client.get(f"{BASE}/seminars/NOPE99/list.csv").status_code == 404


def test_seminar_of_another_conference_is_404(client, organiser, conference, seminar):
    from sessions.models import Conference

    Conference.objects.create(name="MVT2017", slug="mvt2017", venue="Kista", first_day=conference.first_day,
                              last_day=conference.last_day)
    client.force_login(organiser)
    assert client.get(f"/staff/desk/mvt2017/seminars/{seminar.code}/list/").status_code == 404


def test_desk_links_to_the_exports_and_each_seminars_list(client, organiser, seminar):
    client.force_login(organiser)
    page = client.get(f"{BASE}/").content.decode()
    assert f'href="{BASE}/exports/"' in page
    assert f'href="{BASE}/seminars/{seminar.code}/list/"' in page


# --- Access ---------------------------------------------------------------------------------------------------


def urls(seminar):
    return [f"{BASE}/exports/", f"{BASE}/seminars/{seminar.code}/list/", f"{BASE}/seminars/{seminar.code}/list.csv",
            f"{BASE}/seminars/{seminar.code}/list.xlsx", f"{BASE}/exports/registrations.csv",
            f"{BASE}/exports/registrations.xlsx", f"{BASE}/exports/check-ins.csv", f"{BASE}/exports/check-ins.xlsx",
            f"{BASE}/exports/speakers.csv", f"{BASE}/exports/speakers.xlsx"]


def test_exports_are_for_organisers_only(client, seminar, people, make_user, door_staff):
    for url in urls(seminar):
        client.logout()
        assert client.get(url).status_code == 302, url
        client.force_login(door_staff)
        assert client.get(url).status_code == 403, url
        client.force_login(people[0][0].user)
        assert client.get(url).status_code == 403, url


def test_exports_need_mfa(client, seminar, make_user):
    user = make_user(is_staff=True)
    user.groups.add(Group.objects.get(name=ORGANISERS))
    client.force_login(user)
    for url in urls(seminar):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/2fa/totp/activate"), url


def test_exports_work_for_an_organiser(client, organiser, seminar, people):
    client.force_login(organiser)
    for url in urls(seminar):
        assert client.get(url).status_code == 200, url


def test_bad_order_is_404(client, organiser, conference):
    client.force_login(organiser)
    assert client.get(f"{BASE}/exports/registrations.csv?order=bogus").status_code == 404


def test_download_is_logged_without_personal_data(client, organiser, seminar, people, caplog):
    client.force_login(organiser)
    with caplog.at_level("INFO", logger="registration.exports"):
        client.get(f"{BASE}/seminars/{seminar.code}/list.csv")
    assert f"seminar {seminar.code}" in caplog.text and f"by user {organiser.pk}" in caplog.text
    assert "Örjan" not in caplog.text


# --- All registrations, per municipality and per delegation -----------------------------------------------------


@pytest.fixture
def registrations(make_registration, reference_data):
    from registration.models import Delegation, Municipality

    kommun = Municipality.objects.get(name="Linköping")
    annan = Municipality.objects.get(name="Ale")
    coordinator = make_registration(name="Koordinator").user
    delegation = Delegation.objects.create(conference=coordinator.registrations.get().conference,
                                           coordinator=coordinator, organisation_name="Linköpings kommun")
    made = [
        make_registration(name="Öst Kommun", organisation_type="municipality", municipality=kommun,
                          organisation_name="", delegation=delegation),
        make_registration(name="Ale Person", organisation_type="municipality", municipality=annan,
                          organisation_name="", accessibility_needs="Hörslinga"),
        make_registration(name="Cancelled Person", status=RegistrationStatus.CANCELLED),
        make_registration(name="Zäta Vallentuna", organisation_type="municipality", organisation_name="",
                          municipality=Municipality.objects.get(name="Vallentuna")),
    ]
    return made


@pytest.mark.parametrize("order", ["name", "municipality", "delegation"])
def test_registrations_xlsx_has_every_registration(client, organiser, conference, registrations, order):
    client.force_login(organiser)
    response = client.get(f"{BASE}/exports/registrations.xlsx?order={order}")
    assert f"mvt2016-registrations-{order}-" in response["Content-Disposition"]
    rows = read_xlsx(response)
    assert len(rows) - 1 == Registration.objects.filter(conference=conference).count() == 5
    assert "Hörslinga" in [r[10] for r in rows[1:]]


def test_registrations_by_municipality_groups_by_county_then_place(conference, registrations):
    rows = list(registration_rows(conference, order="municipality"))
    # By county (Stockholms, Västra Götalands, Östergötlands län), not by name; no municipality comes last.
    assert [r["org"] for r in rows] == ["Vallentuna", "Ale", "Linköping", "Exempel AB", "Exempel AB"]


def test_registrations_by_delegation_puts_delegations_first(conference, registrations):
    rows = list(registration_rows(conference, order="delegation"))
    assert rows[0]["name"] == "Öst Kommun"
    assert rows[0]["delegation__organisation_name"] == "Linköpings kommun"


def test_registrations_csv_row_count_equals_the_database(client, organiser, conference, registrations):
    client.force_login(organiser)
    rows = read_csv(client.get(f"{BASE}/exports/registrations.csv"))
    assert len(rows) - 1 == Registration.objects.filter(conference=conference).count()
    statuses = [r[12] for r in rows[1:]]
    assert statuses.count(str(RegistrationStatus.CANCELLED.label)) == 1
    assert statuses.count(str(RegistrationStatus.ACTIVE.label)) == 4


# --- Check-ins and speakers -------------------------------------------------------------------------------------


def test_check_ins_export_has_every_admitted_scan(client, organiser, conference, make_registration, door_staff,
                                                  make_speaker, make_seminar):
    speaker = make_speaker(name="Talare Tal")
    make_seminar(speakers=[speaker])
    door = entrance_checkpoint(conference, conference.first_day)
    from registration.services.badges import current_badge

    for _ in range(3):
        check_in(code=current_badge(make_registration()).code, checkpoint=door, staff=door_staff,
                 nonce=f"exp-{next(_n):06d}", now=local(3, 9))
    check_in(code=current_speaker_badges([speaker])[speaker.pk].code, checkpoint=door, staff=door_staff,
             nonce=f"exp-{next(_n):06d}", now=local(3, 9))
    check_in(code="NOT-A-BADGE", checkpoint=door, staff=door_staff, nonce=f"exp-{next(_n):06d}", now=local(3, 9))
    client.force_login(organiser)
    rows = read_xlsx(client.get(f"{BASE}/exports/check-ins.xlsx"))
    assert len(rows) - 1 == Scan.objects.filter(verdict=Verdict.ADMITTED).count() == 4
    assert ("Talare Tal", "Talare") in [(r[3], r[5]) for r in rows[1:]]
    first = Scan.objects.filter(verdict=Verdict.ADMITTED).order_by("at", "pk").first()
    assert rows[1][0] == timezone.localtime(first.at, LOCAL_TZ).strftime("%Y-%m-%d %H:%M")  # Stockholm time


def test_speakers_export_has_each_seminars_speakers_with_email(client, organiser, conference, make_seminar,
                                                               make_speaker):
    one, two = make_speaker(name="Ett", email="ett@example.org"), make_speaker(name="Två", email="tva@example.org")
    make_seminar(speakers=[one, two])
    make_seminar(speakers=[two], status=SeminarStatus.DRAFT)
    client.force_login(organiser)
    rows = read_csv(client.get(f"{BASE}/exports/speakers.csv"))
    assert len(rows) - 1 == len(speaker_rows(conference)) == 3
    assert "tva@example.org" in [r[8] for r in rows[1:]]


# --- Queries, at two sizes ----------------------------------------------------------------------------------------


def _grow(make_registration, make_booking, seminar, n):
    for i in range(n):
        r = make_registration()
        make_booking(r, seminar, status=BookingStatus.WAITLISTED if i % 3 == 0 else BookingStatus.CONFIRMED)


@pytest.mark.parametrize("size", [2, 20])
def test_seminar_list_queries_do_not_grow(seminar, make_registration, make_booking, size,
                                          django_assert_num_queries):
    _grow(make_registration, make_booking, seminar, size)
    with django_assert_num_queries(2):
        listing = seminar_list(seminar)
    assert len(listing.booked) + len(listing.line) == size


@pytest.mark.parametrize("size", [2, 20])
def test_seminar_list_page_and_downloads_queries_do_not_grow(client, organiser, seminar, make_registration,
                                                             make_booking, size, django_assert_num_queries):
    _grow(make_registration, make_booking, seminar, size)
    client.force_login(organiser)
    client.get(f"{BASE}/")  # the session and user are warm in every case
    # session, user, groups, MFA, conference, seminar, bookings, speakers
    with django_assert_num_queries(8):
        assert client.get(f"{BASE}/seminars/{seminar.code}/list/").status_code == 200
    for fmt in ("csv", "xlsx"):
        with django_assert_num_queries(8):
            response = client.get(f"{BASE}/seminars/{seminar.code}/list.{fmt}")
            body(response)


@pytest.mark.parametrize("size", [2, 20])
def test_registrations_and_check_ins_queries_do_not_grow(conference, make_registration, size):
    for _ in range(size):
        make_registration()
    with CaptureQueriesContext(connection) as queries:
        assert len(list(registration_rows(conference))) == size
        assert list(check_in_rows(conference)) == []
        speaker_rows(conference)
    assert len(queries) == 3


@pytest.mark.parametrize("size", [2, 20])
def test_registrations_download_queries_do_not_grow(client, organiser, conference, make_registration, size,
                                                    django_assert_num_queries):
    for _ in range(size):
        make_registration()
    client.force_login(organiser)
    client.get(f"{BASE}/")
    for fmt in ("csv", "xlsx"):
        # session, user, groups, MFA, conference, registrations
        with django_assert_num_queries(6):
            rows = body(client.get(f"{BASE}/exports/registrations.{fmt}"))
        assert rows


def test_an_erased_registration_is_not_exported(client, organiser, conference, registrations):
    from registration.services.privacy import erase_registration

    erased = Registration.objects.filter(conference=conference).order_by("pk").first()
    erase_registration(registration=erased)
    client.force_login(organiser)
    rows = read_xlsx(client.get(f"{BASE}/exports/registrations.xlsx"))
    assert len(rows) - 1 == 4  # of the five; the others, cancelled ones included, stay
    assert not [r for r in rows[1:] if "erased" in " ".join(str(cell) for cell in r)]
