from django.db import migrations, models
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone


def stamp_existing(apps, schema_editor):
    """An existing registration last changed at the latest of when it was made, claimed or cancelled (what the
    API's changed_since compared before this field). One UPDATE."""
    Registration = apps.get_model("registration", "Registration")
    Registration.objects.update(updated_at=Greatest(
        "created_at", Coalesce("claimed_at", "created_at"), Coalesce("cancelled_at", "created_at"),
    ))


class Migration(migrations.Migration):

    dependencies = [
        ("registration", "0013_message_audience_watch_places"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=timezone.now, verbose_name="last changed"),
            preserve_default=False,
        ),
        migrations.RunPython(stamp_existing, migrations.RunPython.noop),
    ]
