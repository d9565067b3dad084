"""The Swedish catalogue is complete, not fuzzy, compiled, and says what the UI should say."""

import ast
import gettext
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file as dicts (msgctxt, msgid, msgid_plural, msgstr, msgstr[n], flags); no obsolete ones."""
    entries, entry, key = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry and "msgid" in entry:
                entries.append(entry)
            entry, key = None, None
            continue
        if line.startswith("#~"):
            continue
        entry = entry if entry is not None else {"flags": set()}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _space, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return [e for e in entries if e["msgid"]]  # the header has an empty msgid


SV_ENTRIES = read_po(LOCALE / "sv" / "LC_MESSAGES" / "django.po")


def test_swedish_catalogue_exists_and_is_not_empty():
    assert len(SV_ENTRIES) > 100


def test_every_swedish_entry_is_translated_and_not_fuzzy():
    untranslated = [e["msgid"] for e in SV_ENTRIES if "fuzzy" in e["flags"] or not all(
        e[k] for k in e if k.startswith("msgstr"))]
    assert untranslated == []


def test_plural_entries_have_both_swedish_forms():
    plurals = [e for e in SV_ENTRIES if "msgid_plural" in e]
    assert plurals
    for e in plurals:
        assert e["msgstr[0]"] and e["msgstr[1]"], e["msgid"]


def test_placeholders_survive_translation():
    import re

    placeholder = re.compile(r"%\((\w+)\)[sd]")
    for e in SV_ENTRIES:
        wanted = set(placeholder.findall(e["msgid"]))
        # A plural form may name the count that only the English plural names ("these %(n)s registrations").
        allowed = wanted | set(placeholder.findall(e.get("msgid_plural", "")))
        for key in (k for k in e if k.startswith("msgstr")):
            found = set(placeholder.findall(e[key]))
            assert wanted <= found <= allowed, (e["msgid"], e[key])


def test_compiled_catalogue_matches_the_po_file():
    with open(LOCALE / "sv" / "LC_MESSAGES" / "django.mo", "rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog
    stale = []
    for e in SV_ENTRIES:
        prefix = f"{e['msgctxt']}\x04" if "msgctxt" in e else ""
        if "msgid_plural" in e:
            if catalog.get((prefix + e["msgid"], 0)) != e["msgstr[0]"]:
                stale.append(e["msgid"])
        elif catalog.get(prefix + e["msgid"]) != e["msgstr"]:
            stale.append(e["msgid"])
    assert stale == [], "run manage.py compilemessages and commit the .mo"


@pytest.mark.parametrize(("english", "swedish"), [
    ("Programme", "Program"), ("Seminar", "Seminarium"), ("Speakers", "Talare"), ("Tracks", "Spår"),
    ("Room", "Lokal"), ("Seats", "Platser"), ("Cancelled", "Inställt"), ("Book a seat", "Boka plats"),
])
def test_key_words_in_swedish(english, swedish):
    with translation.override("sv"):
        assert translation.gettext(english) == swedish


def test_swedish_plurals():
    with translation.override("sv"):
        assert translation.ngettext("%(seats)s seat", "%(seats)s seats", 1) % {"seats": 1} == "1 plats"
        assert translation.ngettext("%(seats)s seat", "%(seats)s seats", 40) % {"seats": 40} == "40 platser"
