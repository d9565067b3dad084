"""Programme import from a spreadsheet (sessions.imports): reading, preview per row and cell, all-or-nothing
saving through save_seminar, re-import, the admin upload → preview → confirm flow and the command."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from sessions import imports, services
from sessions.imports import Action, ProgrammeImportError, apply_import, parse_rows, preview_import
from sessions.models import Room, Seminar, SeminarStatus, Speaker, Track
from tests.conftest import local

HEADER = ["code", "title", "abstract", "track", "room", "day", "start", "end", "seats", "language", "status",
          "speakers", "kind"]


def csv_bytes(rows, *, delimiter=",", bom=False, header=HEADER) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def row(**cells):
    cells.setdefault("title", "Trygghetslarm i hemtjänsten")
    cells.setdefault("track", "Äldreomsorg")
    cells.setdefault("room", "Sal Kista")
    cells.setdefault("day", "2016-02-03")
    cells.setdefault("start", "10:00")
    cells.setdefault("end", "11:00")
    return cells


def rows_of(*rows):
    return parse_rows(io.BytesIO(csv_bytes(rows)), "program.csv")


def preview(conference, *rows):
    with translation.override("en"):
        return preview_import(conference, rows_of(*rows))


@pytest.fixture
def programme(conference, track, room):
    return conference


# --- reading -------------------------------------------------------------------------------------------

def test_csv_with_semicolons_and_bom(programme):
    data = csv_bytes([row(title="Välfärd; teknik", speakers="Åsa Öst <asa@example.org>, Kista kommun")],
                     delimiter=";", bom=True)
    rows = parse_rows(io.BytesIO(data), "Program.CSV")
    assert rows == [{**{c: "" for c in HEADER}, **row(title="Välfärd; teknik",
                                                       speakers="Åsa Öst <asa@example.org>, Kista kommun"),
                     "line": 2}]


def test_xlsx_round_trip(programme):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    from datetime import date, time
    sheet.append(["", "Digitala nycklar", "", "Äldreomsorg", "Sal Kista", date(2016, 2, 3), time(9, 30),
                  time(10, 15), 40, "en", "published", "Omar Ali <omar@example.org>"])
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)

    result = preview_import(programme, parse_rows(out, "program.xlsx"))
    assert [r.action for r in result.rows] == [Action.CREATE]
    apply_import(programme, result)

    seminar = Seminar.objects.get(title="Digitala nycklar")
    assert (seminar.start, seminar.end, seminar.capacity) == (local(3, 9, 30), local(3, 10, 15), 40)
    assert (seminar.language, seminar.status) == ("en", SeminarStatus.PUBLISHED)
    assert [s.email for s in seminar.speakers.all()] == ["omar@example.org"]


@pytest.mark.parametrize(("data", "filename", "code"), [
    (b"code,title\n", "program.txt", "unsupported_file"),
    ("title,track\nVälfärd,x\n".encode("latin-1"), "program.csv", "bad_encoding"),
    (b"code,title\nx,y\n", "program.csv", "missing_columns"),
    (b"", "program.csv", "empty"),
    (b"not a zip at all", "program.xlsx", "unreadable"),
    (b"x" * (2 * 1024 * 1024 + 1), "program.csv", "too_large"),
])
def test_bad_files_are_refused_with_a_code(data, filename, code):
    with pytest.raises(ProgrammeImportError) as refused:
        parse_rows(io.BytesIO(data), filename)
    assert refused.value.code == code


def test_a_csv_the_reader_cannot_parse_is_unreadable():
    data = b"title,track,room,day,start,end\n" + b"x" * 200_000 + b"\n"
    with pytest.raises(ProgrammeImportError) as refused:
        parse_rows(io.BytesIO(data), "program.csv")
    assert refused.value.code == "unreadable"


def test_more_than_2000_rows_is_refused():
    data = csv_bytes([row(title=f"S{i}") for i in range(2001)])
    with pytest.raises(ProgrammeImportError) as refused:
        parse_rows(io.BytesIO(data), "program.csv")
    assert refused.value.code == "too_many_rows"


def test_missing_columns_are_named():
    with pytest.raises(ProgrammeImportError) as refused:
        parse_rows(io.BytesIO(b"title;track;room\n"), "p.csv")
    assert refused.value.message == "Kolumner som saknas i första raden: day, start, end."


# --- errors per row and cell ---------------------------------------------------------------------------

@pytest.mark.parametrize(("cells", "column"), [
    ({"room": "Aulan"}, "room"),
    ({"track": "Okänt spår"}, "track"),
    ({"day": "3/2/2016"}, "day"),
    ({"day": "2016-02-30"}, "day"),
    ({"day": "2016-02-05"}, "day"),
    ({"start": "10"}, "start"),
    ({"end": "25:00"}, "end"),
    ({"start": "11:00", "end": "10:00"}, "end"),
    ({"seats": "0"}, "seats"),
    ({"seats": "tio"}, "seats"),
    ({"seats": "101"}, "seats"),
    ({"language": "de"}, "language"),
    ({"status": "cancelled"}, "status"),
    ({"code": "ZZZZZZ"}, "code"),
    ({"title": ""}, "title"),
    ({"title": "Två\nrader"}, "title"),
    ({"speakers": "Anna Berg anna@example.org"}, "speakers"),
    ({"speakers": "Anna <not-an-email>"}, "speakers"),
])
def test_each_kind_of_row_error_is_reported_on_its_cell(programme, cells, column):
    result = preview(programme, row(**cells))
    (only,) = result.rows
    assert only.action == Action.ERROR
    assert list(only.errors) == [column]
    assert result.has_errors


def test_room_and_track_match_by_name_case_insensitively(programme):
    result = preview(programme, row(room="sal kista", track="ÄLDREOMSORG"))
    assert [r.action for r in result.rows] == [Action.CREATE]


def test_room_conflict_with_a_saved_seminar_names_it(programme, make_seminar):
    make_seminar(title="Nattillsyn med kamera", start=local(3, 10, 30), end=local(3, 11, 30))
    (only,) = preview(programme, row()).rows
    assert list(only.errors) == ["room"]
    assert "Nattillsyn med kamera" in only.errors["room"][0]


def test_speaker_conflict_with_a_saved_seminar_names_it(programme, make_seminar, make_speaker, make_room):
    anna = make_speaker(name="Anna Berg", email="anna@example.org")
    make_seminar(title="Nattillsyn med kamera", room=make_room(name="Sal B"), speakers=[anna])
    (only,) = preview(programme, row(speakers="Anna Berg <ANNA@example.org>")).rows
    assert list(only.errors) == ["speakers"]
    assert "Nattillsyn med kamera" in only.errors["speakers"][0]


def test_conflicts_between_two_rows_of_the_file(programme, make_room):
    make_room(name="Sal B")
    result = preview(
        programme,
        row(title="Först", speakers="Anna <anna@example.org>"),
        row(title="Samma sal", start="10:30", end="11:30"),
        row(title="Samma talare", room="Sal B", speakers="Anna B <anna@example.org>"),
        row(title="Efteråt", start="11:00", end="12:00", room="Sal B"),
    )
    assert [r.action for r in result.rows] == [Action.CREATE, Action.ERROR, Action.ERROR, Action.CREATE]
    assert list(result.rows[1].errors) == ["room"] and "“Först” (row 2" in result.rows[1].errors["room"][0]
    assert list(result.rows[2].errors) == ["speakers"] and "“Först”" in result.rows[2].errors["speakers"][0]


def test_back_to_back_rows_in_one_room_with_one_speaker_are_fine(programme):
    result = preview(programme, row(title="Sedan", start="11:00", end="12:00", speakers="Anna <anna@example.org>"),
                     row(title="Först", speakers="Anna <anna@example.org>"))
    assert [(r.action, r.errors) for r in result.rows] == [(Action.CREATE, {}), (Action.CREATE, {})]


def test_errors_are_in_swedish(programme):
    with translation.override("sv"):
        (only,) = preview_import(programme, rows_of(row(room="Aulan"))).rows
    assert only.errors["room"] == ["Ingen lokal ”Aulan” i den här konferensen."]


def test_rows_with_errors_cannot_be_applied(programme):
    result = preview(programme, row(), row(title="Fel", room="Aulan"))
    with pytest.raises(ProgrammeImportError) as refused:
        apply_import(programme, result)
    assert refused.value.code == "has_errors"
    assert not Seminar.objects.exists()


# --- saving --------------------------------------------------------------------------------------------

def test_preview_saves_nothing(programme):
    preview(programme, row(speakers="Ny Talare <ny@example.org>"))
    assert not Seminar.objects.exists() and not Speaker.objects.exists()


def test_apply_creates_seminars_and_speakers_matched_by_email(programme, make_speaker):
    known = make_speaker(name="Anna Berg", email="anna@example.org")
    result = preview(programme, row(speakers="Anna Berg <anna@example.org>; Ny Talare <ny@example.org>, Region X"))
    assert [s.speaker_id for s in result.rows[0].speakers] == [known.pk, None]

    assert apply_import(programme, result) == {"create": 1, "update": 0, "unchanged": 0}

    seminar = Seminar.objects.get()
    assert (seminar.status, seminar.capacity, seminar.revision) == (SeminarStatus.DRAFT, 100, 0)
    assert [(s.name, s.organisation) for s in seminar.speakers.order_by("seminar_speakers__order")] == [
        ("Anna Berg", ""), ("Ny Talare", "Region X")]


def test_a_failure_at_save_time_leaves_nothing_saved(programme, monkeypatch):
    real = services.save_seminar
    calls = []

    def failing_third(**kwargs):
        calls.append(kwargs["seminar"].title)
        if len(calls) == 3:
            raise services.ProgrammeError(services.Code.BUSY)
        return real(**kwargs)

    result = preview(programme, *[row(title=f"S{i}", start=f"{9 + i}:00", end=f"{9 + i}:45",
                                      speakers=f"T{i} <t{i}@example.org>") for i in range(4)])
    monkeypatch.setattr(services, "save_seminar", failing_third)
    with pytest.raises(ProgrammeImportError) as refused:
        apply_import(programme, result)

    assert (refused.value.code, refused.value.line) == ("row_refused", 4)
    assert refused.value.message.startswith("Rad 4: ")
    assert not Seminar.objects.exists() and not Speaker.objects.exists()


def test_reimporting_the_same_file_changes_nothing(programme):
    data = csv_bytes([row(status="published"), row(title="Andra", start="11:00", end="12:00")])
    apply_import(programme, preview_import(programme, parse_rows(io.BytesIO(data), "p.csv")))
    codes = list(Seminar.objects.order_by("start").values_list("code", flat=True))
    before = list(Seminar.objects.order_by("start").values_list("code", "revision", "updated_at"))
    exported = csv_bytes([row(code=codes[0], status="published"),
                          row(code=codes[1], title="Andra", start="11:00", end="12:00")])

    again = preview_import(programme, parse_rows(io.BytesIO(exported), "p.csv"))
    assert [(r.action, r.code) for r in again.rows] == [(Action.UNCHANGED, codes[0]), (Action.UNCHANGED, codes[1])]
    apply_import(programme, again)

    assert list(Seminar.objects.order_by("start").values_list("code", "revision", "updated_at")) == before
    assert Seminar.objects.count() == 2


def test_a_changed_row_updates_its_seminar_by_code_and_bumps_the_revision(programme, make_seminar):
    seminar = make_seminar(title="Gammal titel", start=local(3, 10), end=local(3, 11))
    result = preview(programme, row(code=seminar.code.lower(), title="Ny titel", start="13:00", end="14:00",
                                    status="published"))
    assert [(r.action, r.code) for r in result.rows] == [(Action.UPDATE, seminar.code)]

    apply_import(programme, result)

    seminar.refresh_from_db()
    assert (seminar.title, seminar.start, seminar.revision) == ("Ny titel", local(3, 13), 1)
    assert Seminar.objects.count() == 1


def test_a_clash_with_an_unchanged_row_is_reported_once(programme, make_seminar):
    seminar = make_seminar(title="Redan där", capacity=100, status=SeminarStatus.DRAFT)
    result = preview(programme, row(code=seminar.code, title="Redan där"), row(title="Ny", start="10:30",
                                                                                end="11:30"))
    assert [r.action for r in result.rows] == [Action.UNCHANGED, Action.ERROR]
    assert len(result.rows[1].errors["room"]) == 1


def test_a_new_speaker_on_an_otherwise_unchanged_row_is_an_update(programme, make_seminar):
    seminar = make_seminar(title="Redan där", capacity=100, status=SeminarStatus.DRAFT)
    result = preview(programme, row(code=seminar.code, title="Redan där", speakers="Ny <ny@example.org>"))
    assert [r.action for r in result.rows] == [Action.UPDATE]
    apply_import(programme, result)
    assert [s.email for s in seminar.speakers.all()] == ["ny@example.org"]


def test_a_row_may_take_the_slot_an_earlier_row_moves_a_seminar_out_of(programme, make_seminar):
    moved = make_seminar(title="Flyttas", start=local(3, 10), end=local(3, 11))
    result = preview(programme, row(code=moved.code, title="Flyttas", start="14:00", end="15:00"),
                     row(title="Tar platsen"))
    assert [(r.action, r.errors) for r in result.rows] == [(Action.UPDATE, {}), (Action.CREATE, {})]

    apply_import(programme, result)
    assert services.conference_conflicts(programme) == []
    assert Seminar.objects.get(title="Tar platsen").start == local(3, 10)


def test_a_row_cannot_take_the_slot_a_later_row_frees(programme, make_seminar):
    moved = make_seminar(title="Flyttas", start=local(3, 10), end=local(3, 11))
    result = preview(programme, row(title="Tar platsen"),
                     row(code=moved.code, title="Flyttas", start="14:00", end="15:00"))
    assert [r.action for r in result.rows] == [Action.ERROR, Action.UPDATE]
    assert "Flyttas" in result.rows[0].errors["room"][0]


def test_an_earlier_row_that_keeps_its_slot_still_clashes(programme, make_seminar):
    kept = make_seminar(title="Stannar", start=local(3, 10), end=local(3, 11))
    result = preview(programme, row(code=kept.code, title="Stannar, ny titel"), row(title="Vill ha platsen"))
    assert [r.action for r in result.rows] == [Action.UPDATE, Action.ERROR]
    assert list(result.rows[1].errors) == ["room"]


def test_a_title_change_does_not_bump_the_revision(programme, make_seminar):
    seminar = make_seminar(title="Gammal titel", start=local(3, 10), end=local(3, 11))
    apply_import(programme, preview(programme, row(code=seminar.code, title="Ny titel", status="published")))
    seminar.refresh_from_db()
    assert (seminar.title, seminar.revision) == ("Ny titel", 0)


def test_the_same_code_twice_is_an_error(programme, make_seminar):
    seminar = make_seminar(start=local(4, 10), end=local(4, 11))
    result = preview(programme, row(code=seminar.code), row(code=seminar.code, start="12:00", end="13:00"))
    assert [r.action for r in result.rows] == [Action.UPDATE, Action.ERROR]
    assert list(result.rows[1].errors) == ["code"]


@pytest.fixture
def seat_cut_port():
    """A bookings port that answers a confirmable seat cut whenever a seminar is cut to 20 seats."""
    from sessions import ports

    real = ports.bookings()
    cut = services.Conflict("capacity_below_bookings", "30 people lose their seat.", field="capacity",
                            confirmable=True)

    class Port:
        def __getattr__(self, name):
            return getattr(real, name)

        def check_change(self, changed, before):
            return [cut] if changed.capacity == 20 else []

    ports.register_bookings(Port())
    yield
    ports.register_bookings(real)


def test_a_seat_cut_below_bookings_is_a_warning_to_confirm(programme, make_seminar, seat_cut_port):
    seminar = make_seminar(title="Fullbokat", capacity=50, status=SeminarStatus.PUBLISHED)
    result = preview(programme, row(code=seminar.code, title="Fullbokat", seats="20", status="published"))
    (only,) = result.rows
    assert (only.action, [w.code for w in only.warnings], only.errors) == (
        Action.UPDATE, ["capacity_below_bookings"], {})
    with pytest.raises(ProgrammeImportError) as refused:
        apply_import(programme, result)
    assert refused.value.code == "row_refused"
    seminar.refresh_from_db()
    assert seminar.capacity == 50

    apply_import(programme, result, confirm={only.line: {"capacity_below_bookings"}})
    seminar.refresh_from_db()
    assert seminar.capacity == 20


def test_a_300_row_file_previews_and_saves(programme, room):
    rooms = [room] + [Room.objects.create(conference=programme, name=f"Sal {n}", capacity=60) for n in range(9)]
    rows = []
    for i in range(300):
        day, slot = divmod(i // len(rooms), 15)
        start = local(3 + day, 8) + timedelta(minutes=40 * slot)
        rows.append(row(title=f"Seminarium {i}", room=rooms[i % len(rooms)].name, day=f"2016-02-0{3 + day}",
                        start=f"{start:%H:%M}", end=f"{start + timedelta(minutes=30):%H:%M}",
                        speakers=f"Talare {i} <talare{i}@example.org>"))
    result = preview_import(programme, parse_rows(io.BytesIO(csv_bytes(rows)), "p.csv"))
    assert not result.has_errors and result.count(Action.CREATE) == 300

    apply_import(programme, result)
    assert Seminar.objects.filter(conference=programme).count() == 300
    assert services.conference_conflicts(programme) == []


# --- the template, the admin and the command -------------------------------------------------------------

def test_templates_have_the_columns_and_an_example_that_previews(programme):
    for data, name in [(imports.template_csv(programme), "t.csv"), (imports.template_xlsx(programme), "t.xlsx")]:
        rows = parse_rows(io.BytesIO(data), name)
        assert len(rows) == 1 and set(rows[0]) == {*HEADER, "line"}
        assert [r.action for r in preview_import(programme, rows).rows] == [Action.CREATE]


def test_a_kind_column_imports_items_without_seats_or_track(programme):
    """Issue 11 item 9: lunch and a plenary come in through the import, in English or Swedish words."""
    rows = preview(programme, row(title="Lunch", kind="paus", track="", start="12:00", end="13:00"),
                   row(title="Invigning", kind="plenary", track="", room="Sal Kista", start="08:30", end="09:00"),
                   row(title="Utställningen", kind="Utställning", track="Äldreomsorg", room="Sal Kista",
                       start="13:00", end="14:00")).rows
    assert [r.action for r in rows] == [Action.CREATE] * 3
    assert [r.values["kind"] for r in rows] == ["break", "plenary", "exhibition"]
    apply_import(programme, preview_import(programme, rows_of(
        row(title="Lunch", kind="paus", track="", start="12:00", end="13:00"))))
    lunch = Seminar.objects.get(title="Lunch")
    assert lunch.kind == "break" and lunch.track is None and not lunch.is_bookable


@pytest.mark.parametrize(("cells", "code", "column"), [
    ({"kind": "föredrag"}, "bad_kind", "kind"),
    ({"track": ""}, "missing_track", "track"),
    ({"kind": "break", "track": "", "seats": "40"}, "seats_without_booking", "seats"),
])
def test_kind_mistakes_are_told_per_cell(programme, cells, code, column):
    (only,) = preview(programme, row(**cells)).rows
    assert only.error_codes == [code] and list(only.errors) == [column]


def test_a_booked_seminar_cannot_become_an_item_without_seats(programme, make_seminar, monkeypatch):
    from sessions.ports import SeatCount, bookings

    seminar = make_seminar(title="Bokat", status=SeminarStatus.PUBLISHED)
    monkeypatch.setattr(type(bookings()), "counts", lambda self, ids: {seminar.pk: SeatCount(confirmed=3)})
    (only,) = preview(programme, row(code=seminar.code, title="Bokat", kind="plenary", track="",
                                     room=seminar.room.name, day=local_day(seminar),
                                     start=hm(seminar.start), end=hm(seminar.end), status="published")).rows
    assert only.error_codes == ["kind_with_bookings"]
    seminar.kind = "plenary"
    with pytest.raises(services.ProgrammeError) as refused:
        services.save_seminar(seminar=seminar)
    assert refused.value.code == "kind_with_bookings"
    assert Seminar.objects.get(pk=seminar.pk).kind == "seminar"


def local_day(seminar):
    from sessions.models import LOCAL_TZ

    return seminar.start.astimezone(LOCAL_TZ).date().isoformat()


def hm(moment):
    from sessions.models import LOCAL_TZ

    return moment.astimezone(LOCAL_TZ).strftime("%H:%M")


def test_unknown_tracks_stay_per_conference(programme, other_conference):
    Track.objects.create(conference=other_conference, name="Bara 2017", slug="bara")
    (only,) = preview(programme, row(track="Bara 2017")).rows
    assert list(only.errors) == ["track"]


@pytest.fixture
def desk(client, organiser):
    client.force_login(organiser)
    return client


def upload(desk, programme, data, name="program.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("admin:programme_conference_import", args=[programme.pk])
    return desk.post(url, {"upload": "1", "file": SimpleUploadedFile(name, data)})


def test_admin_upload_preview_then_confirm(desk, programme):
    response = upload(desk, programme, csv_bytes([row(), row(title="Fel sal", room="Aulan", start="12:00",
                                                             end="13:00")]))
    assert response.status_code == 200
    assert not Seminar.objects.exists()
    assert "Aulan" in response.content.decode() and 'name="confirm"' not in response.content.decode()

    response = upload(desk, programme, csv_bytes([row()], delimiter=";", bom=True))
    assert response.status_code == 200 and 'name="confirm"' in response.content.decode()
    assert not Seminar.objects.exists()
    token = response.context["token"]

    url = reverse("admin:programme_conference_import", args=[programme.pk])
    assert desk.post(url, {"confirm": "1", "token": "stale"}).status_code == 200
    assert not Seminar.objects.exists()
    response = desk.post(url, {"confirm": "1", "token": token})
    assert response.status_code == 302
    assert Seminar.objects.get().title == "Trygghetslarm i hemtjänsten"
    # The token is spent: a second confirm saves nothing again.
    desk.post(url, {"confirm": "1", "token": token})
    assert Seminar.objects.count() == 1


@pytest.mark.parametrize(("data", "name"), [
    (b"\x89PNG\r\n", "bild.png"), (b"not a zip", "p.xlsx"), (b"title,room\n", "p.csv"),
    ("title,track\nÅ,x\n".encode("latin-1"), "p.csv"), (b"", "p.csv"),
])
def test_admin_bad_files_get_a_message_not_a_500(desk, programme, data, name):
    response = upload(desk, programme, data, name)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_admin_templates_download(desk, programme):
    for kind in ("csv", "xlsx"):
        response = desk.get(reverse(f"admin:programme_conference_import_template_{kind}", args=[programme.pk]))
        assert response.status_code == 200
        assert parse_rows(io.BytesIO(response.content), f"t.{kind}")[0]["room"] == "Sal Kista"


def test_admin_import_needs_seminar_permissions(client, make_user, programme):
    client.force_login(make_user(is_staff=True))
    response = client.get(reverse("admin:programme_conference_import", args=[programme.pk]))
    assert response.status_code == 302


def test_command_previews_and_saves_only_with_confirm(programme, tmp_path):
    path = tmp_path / "program.csv"
    path.write_bytes(csv_bytes([row()]))
    out = io.StringIO()
    call_command("import_programme", "mvt2016", str(path), stdout=out)
    assert "row 2: create" in out.getvalue() and not Seminar.objects.exists()

    call_command("import_programme", "mvt2016", str(path), "--confirm", stdout=io.StringIO())
    assert Seminar.objects.count() == 1


def test_command_refuses_rows_with_errors(programme, tmp_path):
    from django.core.management import CommandError

    path = tmp_path / "program.csv"
    path.write_bytes(csv_bytes([row(room="Aulan")]))
    with pytest.raises(CommandError):
        call_command("import_programme", "mvt2016", str(path), "--confirm", stdout=io.StringIO())
    assert not Seminar.objects.exists()


def test_admin_warning_is_confirmed_by_its_checkbox(desk, programme, make_seminar, seat_cut_port):
    seminar = make_seminar(title="Fullbokat", capacity=50, status=SeminarStatus.PUBLISHED)
    response = upload(desk, programme, csv_bytes([row(code=seminar.code, title="Fullbokat", seats="20",
                                                      status="published")]))
    (value, warning), = response.context["preview"].rows[0].shown_warnings
    assert f'name="accept" value="{value}"' in response.content.decode()
    url = reverse("admin:programme_conference_import", args=[programme.pk])
    token = response.context["token"]

    response = desk.post(url, {"confirm": "1", "token": token})
    assert response.status_code == 200 and response.context["refusal"].startswith("Rad 2: ")
    seminar.refresh_from_db()
    assert seminar.capacity == 50

    assert desk.post(url, {"confirm": "1", "token": token, "accept": value}).status_code == 302
    seminar.refresh_from_db()
    assert seminar.capacity == 20


def test_the_programme_never_imports_registration():
    import ast
    from pathlib import Path

    from django.conf import settings

    offenders = []
    for path in (Path(settings.BASE_DIR) / "sessions").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "registration"]
    assert offenders == []
