"""Badge codes at rest: the database keeps a seed and a hash, never the code; a badge prints again with the
same code; a copy of the database without the key prints nothing; badges from before hashing keep scanning."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from registration.badge_codes import derive_code, hash_code
from registration.models import Badge, Scan, Verdict
from registration.selectors.checkpoints import entrance_checkpoint
from registration.services.badges import current_badge, current_badges, issue_badge, qr_payload
from registration.services.door import check_in
from tests.conftest import local

NOW = local(3, 9, 30)


@pytest.fixture
def scan(door_staff, conference):
    counter = iter(range(1, 10**6))

    def do(code):
        return check_in(code=code, checkpoint=entrance_checkpoint(conference, conference.first_day),
                        staff=door_staff, nonce=f"at-rest-{next(counter)}", now=NOW).verdict

    return do


def _stored_text(badge: Badge) -> str:
    """Every value of the badge's row as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Badge._meta.db_table} WHERE id = %s", [badge.pk])  # noqa: S608
        return " ".join(str(value) for value in cursor.fetchone())


def test_the_row_holds_no_code_only_a_seed_and_the_hash(make_registration):
    badge = current_badge(make_registration())
    code = badge.code
    assert len(code) == 26
    stored = _stored_text(badge)
    assert code not in stored and code.lower() not in stored
    assert badge.code_hash == hashlib.sha256(code.encode()).hexdigest()
    assert badge.seed and badge.seed not in code


def test_a_badge_prints_again_with_the_same_code(make_registration, scan):
    registration = make_registration()
    first = qr_payload(current_badge(registration))
    assert qr_payload(current_badge(registration)) == first
    assert qr_payload(current_badges([registration])[registration.pk]) == first
    assert Badge.objects.filter(registration=registration).count() == 1
    assert scan(first) == Verdict.ADMITTED


def test_bulk_issued_badges_are_hashed_and_scan(make_registration, scan):
    people = [make_registration() for _ in range(3)]
    issued = current_badges(people)
    assert {Badge.objects.get(pk=b.pk).code_hash for b in issued.values()} == {
        hash_code(b.code) for b in issued.values()}
    assert all(scan(b.code) == Verdict.ADMITTED for b in issued.values())


def test_without_the_key_a_database_copy_derives_no_code(make_registration, settings):
    badge = current_badge(make_registration())
    settings.SECRET_KEY = "another-server-" + "x" * 40
    settings.SECRET_KEY_FALLBACKS = []
    assert Badge.objects.get(pk=badge.pk).code is None
    assert derive_code(badge.seed) != badge.code_hash  # nor does the seed alone give it


def test_rotating_secret_key_with_a_fallback_reprints_the_same_code(make_registration, settings):
    registration = make_registration()
    code = current_badge(registration).code
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "the-new-secret-" + "y" * 40
    assert current_badge(registration).code == code
    # A separate badge key keeps badges apart from SECRET_KEY rotations altogether.
    settings.BADGE_CODE_KEY, settings.BADGE_CODE_KEY_FALLBACKS = "badge-key-2", ["badge-key-1"]
    assert Badge.objects.get(registration=registration, revoked_at=None).code is None  # not issued under these
    newer = current_badge(registration)  # so printing reissues, under the badge key
    assert newer.code != code and Badge.objects.get(pk=newer.pk).code == newer.code


def test_a_badge_from_before_hashing_scans_and_is_reissued_when_printed(make_registration, scan):
    registration = make_registration()
    legacy_code = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    legacy = Badge.objects.create(registration=registration, seed=None, code_hash=hash_code(legacy_code))
    assert legacy.code is None
    assert scan(legacy_code) == Verdict.ADMITTED
    printed = current_badge(registration)
    assert printed.pk != legacy.pk and printed.code
    legacy.refresh_from_db()
    assert legacy.revoked_at is not None
    assert scan(legacy_code) == Verdict.REVOKED


def test_an_unknown_well_formed_code_is_kept_only_as_a_fingerprint(scan):
    code = "MVT:" + derive_code("someone-elses-seed")
    assert scan(code) == Verdict.UNKNOWN
    kept = Scan.objects.get(verdict=Verdict.UNKNOWN).raw_code
    assert code.removeprefix("MVT:") not in kept and kept.startswith("sha256:")
    assert scan("garbage from a scanner") == Verdict.UNKNOWN
    assert Scan.objects.filter(raw_code="garbage from a scanner").exists()


def test_reissue_revokes_and_the_new_code_differs(make_registration, scan):
    registration = make_registration()
    old = current_badge(registration).code
    new = issue_badge(registration).code
    assert new != old
    assert scan(old) == Verdict.REVOKED and scan(new) == Verdict.ADMITTED


@pytest.mark.django_db(transaction=True)
def test_the_migration_hashes_existing_codes_and_drops_them():
    executor = MigrationExecutor(connection)
    before, after = [("registration", "0008_verdict_too_early")], [("registration", "0009_badge_code_hashed")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    conference = old.get_model("programme", "Conference").objects.create(
        slug="old", name="Old", first_day="2016-02-03", last_day="2016-02-04")
    user = old.get_model("auth", "User").objects.create(username="old-badge")
    registration = old.get_model("registration", "Registration").objects.create(
        conference=conference, user=user, name="Old Badge", email="old@example.org")
    old.get_model("registration", "Badge").objects.create(registration=registration, code="Q" * 26)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    badge = new.get_model("registration", "Badge").objects.get()
    assert badge.code_hash == hashlib.sha256(b"Q" * 26).hexdigest() and badge.seed is None
    assert "code" not in {f.name for f in badge._meta.fields}
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
