"""The programme in the frab schedule format: checked against the format as its maintainers document it
(c3voc's schedule JSON schema and frab's schedule.xml XSD; the checks are our own) and parsed back."""

import json
import re
import uuid
from datetime import datetime, timedelta
from xml.etree import ElementTree as ET

import pytest

from sessions.demo import build_demo_programme
from sessions.models import LOCAL_TZ, Seminar, SeminarStatus
from sessions.services import cancel_seminar, move_seminar
from tests.conftest import local

DURATION = re.compile(r"^[0-9]+:[0-9]{2}$")
START = re.compile(r"^[0-2][0-9]:[0-5][0-9]$")
SLUG = re.compile(r"^[a-z0-9_-]+[a-z0-9]$")
ACRONYM = re.compile(r"^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$")
EVENT_REQUIRED = {"abstract", "date", "duration", "guid", "id", "language", "links", "persons", "room", "slug",
                  "start", "subtitle", "title", "track", "type", "url"}
EVENT_ALLOWED = EVENT_REQUIRED | {"logo", "description", "recording_license", "do_not_record", "do_not_stream",
                                  "attachments", "answers"}
XML_EVENT_CHILDREN = {"room", "title", "type", "date", "start", "duration", "persons", "language", "abstract",
                      "description", "slug", "recording", "subtitle", "track", "links"}
XML_EVENT_REQUIRED = {"room", "title", "type", "date", "start", "duration", "abstract", "slug", "subtitle", "track"}


def is_uuid(value) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except (TypeError, ValueError):
        return False


def check_json_schedule(data: dict) -> list[dict]:
    """Assert the document has the shape c3voc's schema describes; return its events."""
    assert set(data) <= {"$schema", "schedule", "generator"} and "schedule" in data
    schedule = data["schedule"]
    assert isinstance(schedule["version"], str) and schedule["version"]
    conference = schedule["conference"]
    assert {"title", "acronym", "days", "daysCount", "start", "end", "timeslot_duration"} <= set(conference)
    assert ACRONYM.match(conference["acronym"])
    assert isinstance(conference["daysCount"], int) and conference["daysCount"] == len(conference["days"])
    datetime.strptime(conference["start"], "%Y-%m-%d")
    datetime.strptime(conference["end"], "%Y-%m-%d")
    assert re.match(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$", conference["time_zone_name"])
    for room in conference["rooms"]:
        assert set(room) <= {"name", "guid", "description", "capacity"} and is_uuid(room["guid"])
    events = []
    for day in conference["days"]:
        assert set(day) == {"index", "date", "day_start", "day_end", "rooms"}
        assert isinstance(day["index"], int)
        datetime.fromisoformat(day["day_start"])
        datetime.fromisoformat(day["day_end"])
        for room_name, room_events in day["rooms"].items():
            for event in room_events:
                assert EVENT_REQUIRED <= set(event) <= EVENT_ALLOWED, set(event) ^ EVENT_REQUIRED
                assert isinstance(event["id"], int) and event["id"] >= 1
                assert is_uuid(event["guid"])
                assert datetime.fromisoformat(event["date"]).tzinfo is not None
                assert START.match(event["start"]) and DURATION.match(event["duration"])
                assert SLUG.match(event["slug"]), event["slug"]
                assert event["room"] == room_name
                for key in ("subtitle", "track", "abstract", "description"):
                    assert event[key] is None or isinstance(event[key], str)
                for person in event["persons"]:
                    # frab's person: id and public_name (with "name" as well it would match pretalx's too,
                    # and the schema's oneOf would refuse it)
                    assert {"id", "public_name"} <= set(person) and "name" not in person
                    assert isinstance(person["id"], int) and is_uuid(person["guid"])
                events.append(event)
    for key in ("id", "guid", "slug"):
        assert len({e[key] for e in events}) == len(events), f"{key} not unique"
    return events


def check_xml_schedule(root: ET.Element) -> list[ET.Element]:
    """Assert the document has the shape frab's schedule.xml XSD describes; return its events."""
    assert root.tag == "schedule"
    conference = root.find("conference")
    assert conference.findtext("title") and conference.findtext("acronym")
    datetime.strptime(conference.findtext("start"), "%Y-%m-%d")
    assert int(conference.findtext("days")) == len(root.findall("day"))
    events = []
    for day in root.findall("day"):
        datetime.fromisoformat(day.get("start"))
        assert int(day.get("index")) >= 1
        for room in day.findall("room"):
            for event in room.findall("event"):
                children = [child.tag for child in event]
                assert set(children) <= XML_EVENT_CHILDREN and len(children) == len(set(children))
                assert set(children) >= XML_EVENT_REQUIRED
                assert int(event.get("id")) >= 1 and is_uuid(event.get("guid"))
                assert START.match(event.findtext("start")) and DURATION.match(event.findtext("duration"))
                assert event.findtext("room") == room.get("name")
                assert event.find("recording").findtext("optout") in ("true", "false")
                events.append(event)
    for read in (lambda e: e.get("guid"), lambda e: e.get("id"), lambda e: e.findtext("slug")):
        assert len({read(e) for e in events}) == len(events)
    return events


def minutes(hhmm: str) -> int:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


@pytest.fixture
def programme(make_seminar, make_room, make_speaker, track):
    anna, bo = make_speaker(name="Anna Ek"), make_speaker(name="Bo Björk")
    published = make_seminar(title="Så här gjorde vi i Västerås", speakers=[anna, bo], start=local(3, 9),
                             end=local(3, 10, 30), abstract="Trygghetskameror i hemtjänsten.")
    late = make_seminar(title="Kvällspass", room=make_room(), start=local(4, 16), end=local(4, 17))
    draft = make_seminar(title="Hemligt utkast", status=SeminarStatus.DRAFT, start=local(3, 13), end=local(3, 14))
    cancelled = make_seminar(title="Inställt pass", start=local(4, 9), end=local(4, 10))
    cancel_seminar(seminar=cancelled)
    return published, late, draft, cancelled


def test_json_follows_the_format_and_parses_back(client, programme):
    published, late, draft, cancelled = programme
    assert Seminar.objects.filter(title="Hemligt utkast", status="draft").exists()  # data that could leak
    response = client.get("/mvt2016/schedule.json")
    assert response["Content-Type"].startswith("application/json")
    events = check_json_schedule(json.loads(response.content))
    by_guid = {e["guid"]: e for e in events}
    assert set(by_guid) == {str(published.uid), str(late.uid)}  # no draft, no cancelled seminar
    event = by_guid[str(published.uid)]
    assert datetime.fromisoformat(event["date"]) == published.start
    assert minutes(event["duration"]) == 90 and event["start"] == "09:00"
    assert event["room"] == published.room.name and event["track"] == "Äldreomsorg"
    assert [p["public_name"] for p in event["persons"]] == ["Anna Ek", "Bo Björk"]
    assert event["url"].endswith(f"/mvt2016/seminars/{published.code}/")
    assert "Hemligt utkast" not in response.content.decode() and "Inställt pass" not in response.content.decode()


def test_xml_follows_the_format_and_parses_back(client, programme):
    published, late, _draft, _cancelled = programme
    response = client.get("/mvt2016/schedule.xml")
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    events = check_xml_schedule(root)
    assert {e.get("guid") for e in events} == {str(published.uid), str(late.uid)}
    event = next(e for e in events if e.get("guid") == str(late.uid))
    date = datetime.fromisoformat(event.findtext("date"))
    assert date == late.start and date.astimezone(LOCAL_TZ).strftime("%H:%M") == event.findtext("start")
    assert event.findtext("title") == "Kvällspass" and minutes(event.findtext("duration")) == 60
    day = next(d for d in root.findall("day") if d.find(f"room/event[@guid='{late.uid}']") is not None)
    assert day.get("date") == "2016-02-04"
    assert b"Hemligt utkast" not in response.content


def test_the_export_answers_304_until_the_programme_changes(client, programme):
    published, *_ = programme
    for path in ("/mvt2016/schedule.json", "/mvt2016/schedule.xml"):
        first = client.get(path)
        assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    before = client.get("/mvt2016/schedule.json")
    move_seminar(seminar=published, start=local(3, 11), end=local(3, 12))
    again = client.get("/mvt2016/schedule.json", HTTP_IF_NONE_MATCH=before["ETag"])
    assert again.status_code == 200 and again["ETag"] != before["ETag"]
    version = lambda response: json.loads(response.content)["schedule"]["version"]  # noqa: E731
    assert version(again) != version(before)


def test_a_draft_conference_has_no_export(client, conference):
    conference.is_published = False
    conference.save()
    assert client.get("/mvt2016/schedule.json").status_code == 404


@pytest.fixture(params=[60, 240], ids=lambda n: f"{n}-seminars")
def demo(request, db):
    return build_demo_programme(seminars=request.param)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_export_query_count_does_not_grow(client, demo, django_assert_num_queries, fmt):
    # conference, the version aggregate, rooms, tracks, published seminars, their speakers
    with django_assert_num_queries(6):
        response = client.get(f"/mvt2016/schedule.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        events = check_json_schedule(json.loads(response.content))
    else:
        events = check_xml_schedule(ET.fromstring(response.content))
    assert len(events) == demo.seminars.filter(status=SeminarStatus.PUBLISHED).count()


def test_a_seminar_after_midnight_belongs_to_the_day_before_until_four(client, make_seminar):
    night = make_seminar(title="Nattugglor", start=local(4, 1), end=local(4, 2))
    data = json.loads(client.get("/mvt2016/schedule.json").content)
    days = data["schedule"]["conference"]["days"]
    found = [d["date"] for d in days for events in d["rooms"].values() for e in events if e["guid"] == str(night.uid)]
    assert found == ["2016-02-03"]
    assert timedelta(hours=23, minutes=59) == (datetime.fromisoformat(days[0]["day_end"])
                                               - datetime.fromisoformat(days[0]["day_start"]))
