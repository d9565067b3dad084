"""Badge codes are no longer stored: each badge keeps the SHA-256 of its code (and, from now on, the seed
the code is derived from). Existing badges keep scanning by their hash; they have no seed, so printing
one again issues a new code (registration/services/badges.py current_badge)."""

import hashlib

from django.db import migrations, models


def hash_existing_codes(apps, schema_editor):
    Badge = apps.get_model("registration", "Badge")
    batch = []
    for badge in Badge.objects.only("pk", "code").iterator(chunk_size=2000):
        badge.code_hash = hashlib.sha256(badge.code.encode("ascii", "replace")).hexdigest()
        batch.append(badge)
        if len(batch) >= 2000:
            Badge.objects.bulk_update(batch, ["code_hash"])
            batch = []
    Badge.objects.bulk_update(batch, ["code_hash"])


class Migration(migrations.Migration):

    dependencies = [
        ("registration", "0008_verdict_too_early"),
    ]

    operations = [
        migrations.AddField(
            model_name="badge", name="seed", field=models.CharField(editable=False, max_length=32, null=True),
        ),
        migrations.AddField(
            model_name="badge", name="code_hash", field=models.CharField(editable=False, max_length=64, null=True),
        ),
        # The plain codes are gone once hashed: going back works only on a database without badges (the
        # re-added unique `code` column cannot be filled for existing rows).
        migrations.RunPython(hash_existing_codes, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(model_name="badge", name="code"),
        migrations.AlterField(
            model_name="badge", name="code_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
