"""The published programme in the frab schedule format (XML and JSON), as conference apps, venue
screens and the c3voc tools read it.

Built from plain loaded rows (sessions.selectors.load_for_schedule), so the number of queries does
not depend on the size of the programme. Only published seminars are included: drafts never, and a
cancelled seminar leaves the schedule (frab has no "cancelled" state; readers drop what is gone, and
the schedule's version changes).
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from xml.etree import ElementTree as ET

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from .models import LOCAL_TZ

FORMAT_VERSION = "1"  # bump when the output changes shape, so ETags change
GENERATOR = {"name": "mvt", "version": FORMAT_VERSION}
DAY_CHANGE = time(4, 0)  # a frab day runs from 04:00 to 03:59 the next morning, as pretalx and frab do


def _guid(*parts) -> str:
    """A stable UUID for things that have no UUID of their own (rooms, speakers)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, settings.SITE_URL + "/" + "/".join(str(p) for p in parts)))


def _hhmm(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment, LOCAL_TZ)


def _slug(conference, seminar) -> str:
    base = slugify(seminar.title)[:60].strip("-_") or "seminar"
    return f"{conference.slug.lower()}-{seminar.pk}-{base}"


def _days(conference):
    for index, day in enumerate(conference.days, start=1):
        start = datetime.combine(day, DAY_CHANGE, tzinfo=LOCAL_TZ)
        yield index, day, start, start + timedelta(days=1) - timedelta(minutes=1)


def _event(conference, seminar) -> dict:
    start = _local(seminar.start)
    url = settings.SITE_URL + seminar.url
    return {
        "id": seminar.pk,
        "guid": str(seminar.uid),
        "date": start.isoformat(),
        "start": start.strftime("%H:%M"),
        "duration": _hhmm(seminar.end - seminar.start),
        "room": seminar.room.name,
        "slug": _slug(conference, seminar),
        "url": url,
        "title": seminar.title,
        "subtitle": "",
        "track": seminar.track.name if seminar.track is not None else None,
        "type": seminar.kind,
        "language": seminar.language,
        "abstract": seminar.abstract,
        "description": "",
        "persons": [
            {"id": speaker_id, "guid": _guid(conference.slug, "speakers", slug), "public_name": name}
            for speaker_id, name, slug in seminar.schedule_speakers
        ],
        "links": [],
        "attachments": [],
    }


def schedule(conference, rooms, tracks, seminars, *, version: str) -> dict:
    """The schedule as the c3voc JSON format describes it (schedule → conference → days → rooms → events)."""
    by_day: dict = {}
    for seminar in seminars:
        start = _local(seminar.start)
        day = (start - timedelta(hours=DAY_CHANGE.hour, minutes=DAY_CHANGE.minute)).date()
        by_day.setdefault(day, {}).setdefault(seminar.room.name, []).append(_event(conference, seminar))
    days = []
    for index, day, day_start, day_end in _days(conference):
        events = by_day.get(day, {})
        days.append({
            "index": index, "date": day.isoformat(), "day_start": day_start.isoformat(),
            "day_end": day_end.isoformat(), "rooms": {room.name: events.get(room.name, []) for room in rooms},
        })
    return {
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": GENERATOR,
        "schedule": {
            "version": version,
            "base_url": settings.SITE_URL + conference.get_absolute_url(),
            "conference": {
                "acronym": conference.slug.lower(),
                "title": conference.name,
                "start": conference.first_day.isoformat(),
                "end": conference.last_day.isoformat(),
                "daysCount": len(conference.days),
                "timeslot_duration": "00:15",
                "time_zone_name": settings.TIME_ZONE,
                "url": settings.SITE_URL + conference.get_absolute_url(),
                "rooms": [{"name": room.name, "guid": _guid(conference.slug, "rooms", room.pk),
                           "description": None, "capacity": room.capacity} for room in rooms],
                "tracks": [{"name": track.name, "color": track.colour} for track in tracks],
                "days": days,
            },
        },
    }


def schedule_xml(data: dict) -> bytes:
    """The same schedule as frab's schedule.xml (the elements its XSD allows, in its order)."""
    root = ET.Element("schedule")
    schedule_data = data["schedule"]
    conference = schedule_data["conference"]
    ET.SubElement(root, "generator", GENERATOR)
    ET.SubElement(root, "version").text = schedule_data["version"]
    head = ET.SubElement(root, "conference")
    for tag, value in (("acronym", conference["acronym"]), ("title", conference["title"]),
                       ("start", conference["start"]), ("end", conference["end"]),
                       ("days", str(conference["daysCount"])),
                       ("timeslot_duration", conference["timeslot_duration"]),
                       ("base_url", schedule_data["base_url"]), ("time_zone_name", conference["time_zone_name"])):
        ET.SubElement(head, tag).text = value
    for day in conference["days"]:
        day_element = ET.SubElement(root, "day", {
            "index": str(day["index"]), "date": day["date"], "start": day["day_start"], "end": day["day_end"],
        })
        for room_name, events in day["rooms"].items():
            room_element = ET.SubElement(day_element, "room", {"name": room_name})
            for event in events:
                element = ET.SubElement(room_element, "event", {"guid": event["guid"], "id": str(event["id"])})
                for tag in ("date", "start", "duration", "room", "slug", "title", "subtitle", "track", "type",
                            "language", "abstract", "description"):
                    ET.SubElement(element, tag).text = event[tag]
                persons = ET.SubElement(element, "persons")
                for person in event["persons"]:
                    ET.SubElement(persons, "person", {"id": str(person["id"])}).text = person["public_name"]
                links = ET.SubElement(element, "links")
                ET.SubElement(links, "link", {"href": event["url"]}).text = event["title"]
                recording = ET.SubElement(element, "recording")
                ET.SubElement(recording, "license").text = ""
                ET.SubElement(recording, "optout").text = "false"
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")
