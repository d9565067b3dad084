"""A deterministic demo programme shaped like MVT2016 (Kistamässan, 3–4 February 2016)."""

import math
import random
import uuid
from argparse import ArgumentTypeError
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .models import (
    CODE_ALPHABET,
    LOCAL_TZ,
    Conference,
    Room,
    Seminar,
    SeminarKind,
    SeminarSpeaker,
    SeminarStatus,
    Speaker,
    Track,
)

DEMO_SLUG = "mvt2016"
DEMO_NAMESPACE = uuid.UUID("6f1c1f4e-3a57-4b7e-9a7e-2c6f0d0a2016")

TRACKS = [
    ("Äldreomsorg", "aldreomsorg", "#1f5f8b"),
    ("Hemsjukvård", "hemsjukvard", "#2e7d32"),
    ("Yngre personer med funktionsnedsättning", "yngre-personer-med-funktionsnedsattning", "#8e3b96"),
    ("Individ och familj", "individ-och-familj", "#b3541e"),
]
ROOMS = [
    ("Sal Kista", 400, "Plant golv, hörslinga, 6 rullstolsplatser."),
    ("Sal Akalla", 250, "Plant golv, hörslinga, 4 rullstolsplatser."),
    ("Sal Husby", 180, "Plant golv, hörslinga."),
    ("Rum Helsingfors", 120, "Hiss från entréplan, hörslinga."),
    ("Rum Oslo", 100, "Hiss från entréplan."),
    ("Rum Köpenhamn", 80, "Hiss från entréplan, hörslinga."),
    ("Rum Reykjavik", 60, "Plant golv."),
    ("Rum Tallinn", 50, "Plant golv."),
    ("Rum Riga", 40, "Plant golv, bord för rullstol längst fram."),
    ("Rum Vilnius", 30, "Plant golv."),
]
# Halls for the programme items without seats; seminars are never scheduled in them.
ITEM_ROOMS = [
    ("Utställningshallen", 1500, "Plant golv, hörslinga vid informationsdisken."),
    ("Restaurangen", 800, "Plant golv."),
]
BIG_HALL = 0  # Sal Kista: the plenaries
# Plenaries, breaks and exhibition hours (MVT-like), by day index: kind, title, start, end, room, abstract.
# They sit before 09:00 and after 17:30 where the seminars leave the big hall free; lunch and the exhibition
# run alongside the seminars in their own halls.
ITEMS = [
    (0, SeminarKind.BREAK, "Registrering och morgonkaffe", time(8, 0), time(8, 30), "Utställningshallen",
     "Hämta din namnbricka i entrén. Kaffe och smörgås i utställningshallen."),
    (0, SeminarKind.PLENARY, "Invigning: välfärdsteknik i hela landet", time(8, 30), time(9, 0), BIG_HALL,
     "Mötesplatsen öppnar i stora salen med arrangörerna och en hälsning från Socialdepartementet."),
    (0, SeminarKind.EXHIBITION, "Utställningen är öppen", time(9, 0), time(17, 30), "Utställningshallen",
     "Ett hundratal utställare visar trygghetslarm, sensorer, appar och tjänster."),
    (0, SeminarKind.BREAK, "Lunch", time(12, 0), time(13, 0), "Restaurangen", "Lunch ingår i avgiften."),
    (1, SeminarKind.BREAK, "Morgonkaffe", time(8, 30), time(9, 0), "Utställningshallen", ""),
    (1, SeminarKind.EXHIBITION, "Utställningen är öppen", time(9, 0), time(16, 0), "Utställningshallen",
     "Sista chansen att träffa utställarna."),
    (1, SeminarKind.BREAK, "Lunch", time(12, 0), time(13, 0), "Restaurangen", "Lunch ingår i avgiften."),
    (1, SeminarKind.PLENARY, "Avslutning: vad tar vi med oss hem?", time(17, 30), time(18, 0), BIG_HALL,
     "Sammanfattning av dagarna och nästa års mötesplats."),
]
TOPICS = {
    "aldreomsorg": [
        "Nattillsyn med kamera – erfarenheter från tre år", "Digitala trygghetslarm: från analogt till IP",
        "Läkemedelsrobotar i hemtjänsten", "Sensorer som förebygger fall", "GPS-larm för personer med demens",
        "Social robot mot ensamhet", "Välfärdsteknik i särskilt boende", "Upphandla trygghetslarm tillsammans",
        "Skärmbesök i hemtjänsten", "Digital nyckelhantering i hemtjänsten", "Aktivitetsmätning i ordinärt boende",
        "Etik och samtycke vid kameratillsyn", "Kommunernas väg till digital nattillsyn",
        "Anhörigas roll när tekniken flyttar in", "Hemtjänstplanering med realtidsdata",
    ],
    "hemsjukvard": [
        "Mobil vård och distansmonitorering", "Egenmätning av blodtryck hemma", "Videobesök i hemsjukvården",
        "Trygg utskrivning med digitalt stöd", "Läkemedelsgivning på distans", "Samverkan kommun och region i Cosmic",
        "Digitala vårdplaner", "Sårvård med bildöverföring", "Journalföring i mobilen",
        "Palliativ vård och teknik", "KOL-patienter som mäter själva", "Hemsjukvård på landsbygden",
        "Informationssäkerhet i mobila arbetssätt", "Vårdlyft med nya arbetssätt", "Hälsa på distans i Norrbotten",
    ],
    "yngre-personer-med-funktionsnedsattning": [
        "Kognitivt stöd i vardagen", "Appar för planering och struktur", "Smarta hem i LSS-boenden",
        "Digital delaktighet för alla", "Bildstöd och kommunikation", "Ungdomar som testar ny teknik",
        "Daglig verksamhet med surfplatta", "Självständighet med påminnelser", "Universell utformning av e-tjänster",
        "Brukarinflytande i utvecklingsprojekt", "Robotdammsugare och vardagsteknik", "Teknik i skolan och fritiden",
        "Stöd vid autism med digitala verktyg", "Rörelsehinder och röststyrning", "Testbädd för funktionsstöd",
    ],
    "individ-och-familj": [
        "Digitalt försörjningsstöd", "Automatiserad handläggning – möjligheter och risker",
        "Videosamtal i familjebehandling", "E-tjänster för ekonomiskt bistånd", "Chatt med socialtjänsten",
        "Barnets röst i digitala möten", "Digitalt stöd vid missbruk", "Robotisering i socialtjänsten",
        "Familjehem och digitala verktyg", "Stöd till våldsutsatta via app", "Trygg identifiering med e-legitimation",
        "Öppna data om socialtjänsten", "Digital ansökan om bostadsanpassning", "Nya vägar in till socialtjänsten",
        "Förändringsledning i individ- och familjeomsorgen",
    ],
}
FIRST_NAMES = [
    "Anna", "Erik", "Maria", "Lars", "Karin", "Anders", "Eva", "Johan", "Kristina", "Per", "Lena", "Mikael",
    "Sara", "Nils", "Åsa", "Björn", "Ingrid", "Magnus", "Sofia", "Göran", "Helena", "Jonas", "Malin", "Olof",
    "Emma", "Stefan", "Linnéa", "Henrik", "Elin", "Jörgen", "Camilla", "Fredrik", "Ulla", "Mats", "Ida", "Tove",
    "Ahmed", "Fatima", "Mehmet", "Leila",
]
LAST_NAMES = [
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson",
    "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Jönsson", "Lindberg", "Jakobsson",
    "Magnusson", "Lindström", "Olofsson", "Lindqvist", "Lindgren", "Berg", "Axelsson", "Bergström", "Lundberg",
    "Lind", "Lundgren", "Lundqvist", "Mattsson", "Berglund", "Fredriksson", "Sandberg", "Henriksson", "Forsberg",
    "Sjöberg", "Wallin", "Engström", "Öberg",
]
ORGANISATIONS = [
    "Västerås stad", "Stockholms stad", "Göteborgs stad", "Malmö stad", "Uppsala kommun", "Linköpings kommun",
    "Örebro kommun", "Norrtälje kommun", "Skellefteå kommun", "Kalmar kommun", "Gävle kommun", "Lunds kommun",
    "Region Skåne", "Region Stockholm", "Region Norrbotten", "Region Jönköpings län", "Region Västerbotten",
    "Sveriges Kommuner och Regioner", "Myndigheten för delaktighet", "E-hälsomyndigheten", "Socialstyrelsen",
    "Hjälpmedelsinstitutet", "Tunstall Nordic", "Phoniro", "Doro Care", "Tieto", "Sensio", "Careium",
    "Anhörigas Riksförbund", "Funktionsrätt Sverige", "Karolinska Institutet", "Linnéuniversitetet",
]
TITLES = [
    "utvecklingsledare", "enhetschef", "projektledare", "sjuksköterska", "verksamhetsutvecklare",
    "IT-strateg", "forskare", "socialsekreterare", "arbetsterapeut", "digitaliseringsstrateg", "produktchef",
]
DAY_WINDOW_MINUTES = 8 * 60 + 30  # 09:00–17:30


def _code(rng: random.Random) -> str:
    return "".join(rng.choice(CODE_ALPHABET) for _ in range(6))


def _schedule(count: int, rooms: int, days: list[date]) -> list[tuple[datetime, datetime, int]]:
    """Start, end and room index for `count` seminars, filling rooms slot by slot with no overlaps."""
    if count == 0:
        return []
    per_day = math.ceil(count / len(days))
    slots = math.ceil(per_day / rooms)
    step = DAY_WINDOW_MINUTES // slots
    length = min(60, step - 10)
    placements = []
    for i in range(count):
        day_index, j = divmod(i, per_day)
        slot, room = divmod(j, rooms)
        start = datetime.combine(days[day_index], time(9, 0), tzinfo=LOCAL_TZ) + timedelta(minutes=slot * step)
        placements.append((start, start + timedelta(minutes=length), room))
    return placements


DEMO_FIRST_DAY = date(2016, 2, 3)


def parse_day(value: str) -> date:
    today = timezone.localdate()
    if value == "today":
        return today
    if value.startswith("+") and value[1:].isdigit():
        return today + timedelta(days=int(value[1:]))
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"not a day: {value!r} (use YYYY-MM-DD, today or +N)") from None


@transaction.atomic
def build_demo_programme(*, seminars: int = 60, seed: int = 2016, first_day: date = DEMO_FIRST_DAY) -> Conference:
    """(Re)create the demo edition. Same arguments, same programme: safe to run again.

    `first_day` moves the two days (e.g. to today, to try door scanning); booking opens 23 days before.
    Besides `seminars` seminars it has the plenaries, breaks and exhibition hours of ITEMS (none with
    seminars=0, the empty programme to import into), in two halls of their own.
    """
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    Seminar.objects.filter(conference__slug=DEMO_SLUG).delete()  # tracks and rooms are protected by seminars
    Conference.objects.filter(slug=DEMO_SLUG).delete()
    conference = Conference.objects.create(
        name="MVT2016", slug=DEMO_SLUG, venue="Kistamässan", venue_address="Arne Beurlings torg 5, Kista",
        first_day=first_day, last_day=first_day + timedelta(days=1), is_published=True,
        booking_opens_at=datetime.combine(first_day - timedelta(days=23), time(9, 0), tzinfo=LOCAL_TZ),
    )
    tracks = [
        Track.objects.create(conference=conference, name=name, slug=slug, colour=colour, order=i)
        for i, (name, slug, colour) in enumerate(TRACKS)
    ]
    rooms = [
        Room.objects.create(conference=conference, name=name, capacity=seats, accessibility_notes=notes, order=i)
        for i, (name, seats, notes) in enumerate(ROOMS)
    ]
    halls = {
        name: Room.objects.create(conference=conference, name=name, capacity=seats, accessibility_notes=notes,
                                  order=len(ROOMS) + i)
        for i, (name, seats, notes) in enumerate(ITEM_ROOMS)
    }

    speaker_count = 2 * seminars
    speakers = []
    for i in range(speaker_count):
        name = f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[(i * 7 + i // len(FIRST_NAMES)) % len(LAST_NAMES)]}"
        organisation = rng.choice(ORGANISATIONS)
        title = rng.choice(TITLES)
        speakers.append(Speaker(
            conference=conference, name=name, slug=f"{slugify(name)}-{i + 1}", title=title.capitalize(),
            organisation=organisation, email=f"talare{i + 1}@example.org",
            bio=f"{name} arbetar som {title} i {organisation} med välfärdsteknik i vardagen.",
        ))
    speakers = Speaker.objects.bulk_create(speakers)

    placements = _schedule(seminars, len(rooms), conference.days)
    used_titles: dict[str, int] = {}
    rows = []
    for i, (start, end, room_index) in enumerate(placements):
        track = tracks[rng.randrange(len(tracks))]
        title = rng.choice(TOPICS[track.slug])
        used_titles[title] = used_titles.get(title, 0) + 1
        if used_titles[title] > 1:
            title = f"{title} (del {used_titles[title]})"
        room = rooms[room_index]
        capacity = room.capacity if rng.random() < 0.8 else max(20, room.capacity * 3 // 4)
        rows.append(Seminar(
            conference=conference, uid=uuid.uuid5(DEMO_NAMESPACE, f"{seed}/{i}"), code=_code(rng),
            title=title, abstract=_abstract(rng, title, track.name), language="en" if i % 17 == 5 else "sv",
            track=track, room=room, start=start, end=end, capacity=min(capacity, room.capacity),
            status=SeminarStatus.CANCELLED if i == 7 else SeminarStatus.PUBLISHED,
            revision=1 if i == 7 else 0,
        ))
    rows = Seminar.objects.bulk_create(rows)
    SeminarSpeaker.objects.bulk_create([
        SeminarSpeaker(seminar=seminar, speaker=speakers[2 * i + k], order=k)
        for i, seminar in enumerate(rows) for k in range(2)
    ])
    if seminars:
        Seminar.objects.bulk_create([
            Seminar(
                conference=conference, uid=uuid.uuid5(DEMO_NAMESPACE, f"{seed}/item/{i}"), code=_code(rng),
                kind=kind, title=title, abstract=abstract, track=None,
                room=rooms[room] if isinstance(room, int) else halls[room],
                start=datetime.combine(conference.days[day], starts, tzinfo=LOCAL_TZ),
                end=datetime.combine(conference.days[day], ends, tzinfo=LOCAL_TZ),
                capacity=(rooms[room] if isinstance(room, int) else halls[room]).capacity,
                status=SeminarStatus.PUBLISHED,
            )
            for i, (day, kind, title, starts, ends, room, abstract) in enumerate(ITEMS)
        ])
    return conference


def _abstract(rng: random.Random, title: str, track: str) -> str:
    openings = [
        "Hur kan kommunen arbeta med {t}? Vi delar erfarenheter från införandet och vad vi lärde oss.",
        "Seminariet visar {t} i praktiken, med brukare, anhöriga och personal.",
        "{T} är ett av de områden där välfärdstekniken gör störst skillnad. Vi visar resultat och mätetal.",
    ]
    closing = [
        "Passar för chefer, utvecklare och personal inom {track}.",
        "Efter seminariet finns tid för frågor.",
        "Vi berättar också om upphandling, etik och informationssäkerhet.",
    ]
    first = rng.choice(openings).format(t=title.lower(), T=title)
    return f"{first}\n\n{rng.choice(closing).format(track=track.lower())}"
