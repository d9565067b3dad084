"""The one hook through which the programme tells others about changes.

`registration` connects to it at start-up; the programme never imports registration.
"""

from django.dispatch import Signal

# Sent on commit after a seminar's time, room, capacity or status changed.
# kwargs: seminar (Seminar), changes (frozenset of "time", "room", "status", "capacity"),
# previous (dict of the old values: start, end, room_id, status, capacity).
seminar_changed = Signal()


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
