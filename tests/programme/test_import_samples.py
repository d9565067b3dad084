"""The sample spreadsheets in sessions/demo_data/: made from the demo, the clean one imports, the other one
shows every kind of row error once."""

import pytest

from sessions import demo_samples
from sessions.demo import build_demo_programme
from sessions.imports import Action, RowCode, apply_import, parse_rows, preview_import
from sessions.models import SeminarStatus


def preview_sample(conference, name):
    with (demo_samples.SAMPLES_DIR / name).open("rb") as file:
        return preview_import(conference, parse_rows(file, name))


@pytest.mark.django_db
def test_samples_are_what_the_demo_makes():
    for name, data in demo_samples.sample_files().items():
        assert (demo_samples.SAMPLES_DIR / name).read_bytes() == data, (
            f"{name} is out of date: run manage.py write_programme_samples")


@pytest.mark.django_db
def test_clean_sample_creates_the_demo_programme_in_an_empty_demo():
    full = build_demo_programme()
    expected = sorted((s.title, s.room.name, s.start) for s in full.seminars.exclude(status=SeminarStatus.CANCELLED))
    conference = build_demo_programme(seminars=0)
    preview = preview_sample(conference, demo_samples.CLEAN_FILE)
    assert not preview.has_errors
    assert preview.count(Action.CREATE) == len(preview.rows) == 59 + 8  # seminars, then items without seats
    assert apply_import(conference, preview)["create"] == 59 + 8
    assert sorted((s.title, s.room.name, s.start) for s in conference.seminars.all()) == expected
    assert conference.speakers.count() == 2 * 59


@pytest.mark.django_db
def test_mistakes_sample_shows_every_row_error_once_a_row_each():
    conference = build_demo_programme()
    preview = preview_sample(conference, demo_samples.MISTAKES_FILE)
    codes = [code for row in preview.rows for code in row.error_codes]
    assert sorted(codes) == sorted(RowCode)
    assert all(len(row.error_codes) <= 1 for row in preview.rows)
    assert [row.action for row in preview.rows[:2]] == [Action.UNCHANGED, Action.CREATE]
