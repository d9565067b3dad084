"""Programme stamps: cached pages and feed ETags follow edits that do not pass through save_seminar.

Consequences of seminar changes for bookings do not travel by signal: see sessions.ports.
"""


def touch_programme(sender, instance, **kwargs):
    """Move the conference's programme_changed_at when anything shown in its programme changes.

    Seminar saves carry their own updated_at; renaming a room, track or speaker, re-ordering speakers and
    deleting a seminar do not, so calendar feeds read this stamp too.
    """
    from django.utils import timezone

    from .models import Conference

    if hasattr(instance, "conference_id"):
        conferences = Conference.objects.filter(pk=instance.conference_id)
    else:  # SeminarSpeaker
        conferences = Conference.objects.filter(seminars=instance.seminar_id)
    conferences.update(programme_changed_at=timezone.now())


def connect_programme_stamps() -> None:
    from django.db.models.signals import post_delete, post_save

    from .models import Room, Seminar, SeminarSpeaker, Speaker, Track

    for model in (Room, Track, Speaker, SeminarSpeaker):
        post_save.connect(touch_programme, sender=model, dispatch_uid=f"touch_programme_save_{model.__name__}")
        post_delete.connect(touch_programme, sender=model, dispatch_uid=f"touch_programme_delete_{model.__name__}")
    post_delete.connect(touch_programme, sender=Seminar, dispatch_uid="touch_programme_delete_Seminar")
