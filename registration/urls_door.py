"""Door scanning, live door counts, badge printing, the organisers' figures (staff) and an attendee's own badge."""

from django.urls import path

from sessions import converters  # noqa: F401 - registers the path converters

from .views import desk, door, messages

urlpatterns = [
    path("staff/door/", door.door_home, name="door_home"),
    path("staff/door/<slug:conference>/", door.door_checkpoints, name="door_checkpoints"),
    path("staff/door/<slug:conference>/counts.json", door.door_counts_json, name="door_counts"),
    path("staff/door/<slug:conference>/<checkpoint:checkpoint>/", door.door_scan, name="door_scan"),
    path("staff/badges/<slug:conference>/", door.badge_batch, name="badge_batch"),
    path("staff/badges/<slug:conference>/reissue/<uuid:registration>/", door.badge_reissue, name="badge_reissue"),
    path("staff/desk/<slug:conference>/", desk.desk, name="desk"),
    path("staff/desk/<slug:conference>/messages/", messages.message_list, name="message_list"),
    path("staff/desk/<slug:conference>/messages/new/", messages.message_new, name="message_new"),
    path("staff/desk/<slug:conference>/messages/<uuid:message>/", messages.message_detail, name="message_detail"),
    path("me/<slug:conference>/badge.pdf", door.my_badge, name="my_badge"),
]
