from django.db import migrations, models
from django.utils import timezone


def stamp_existing(apps, schema_editor):
    """An existing registration last changed at the latest of when it was made, claimed or cancelled (what the
    API's changed_since compared before this field)."""
    Registration = apps.get_model("registration", "Registration")
    for registration in Registration.objects.only("created_at", "claimed_at", "cancelled_at").iterator():
        moments = [m for m in (registration.created_at, registration.claimed_at, registration.cancelled_at) if m]
        Registration.objects.filter(pk=registration.pk).update(updated_at=max(moments))


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
