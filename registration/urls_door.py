"""Door scanning, live door counts, badge printing, the organisers' figures (staff) and an attendee's own badge."""

from django.urls import path

from sessions import converters  # noqa: F401 - registers the path converters

from .views import desk, door, exports, feedback, messages, releases

urlpatterns = [
    path("staff/door/", door.door_home, name="door_home"),
    path("staff/door/<slug:conference>/", door.door_checkpoints, name="door_checkpoints"),
    path("staff/door/<slug:conference>/counts.json", door.door_counts_json, name="door_counts"),
    path("staff/door/<slug:conference>/<checkpoint:checkpoint>/", door.door_scan, name="door_scan"),
    path("staff/badges/<slug:conference>/", door.badge_batch, name="badge_batch"),
    path("staff/badges/<slug:conference>/reissue/<uuid:registration>/", door.badge_reissue, name="badge_reissue"),
    path("staff/badges/<slug:conference>/one/<uuid:registration>.pdf", door.badge_one, name="badge_one"),
    path("staff/badges/<slug:conference>/speakers/<int:speaker>/reissue/", door.speaker_badge_reissue,
         name="speaker_badge_reissue"),
    path("staff/badges/<slug:conference>/speakers/<int:speaker>.pdf", door.speaker_badge_one, name="speaker_badge_one"),
    path("staff/desk/<slug:conference>/", desk.desk, name="desk"),
    path("staff/desk/<slug:conference>/feedback/", feedback.desk_feedback, name="desk_feedback"),


    path("staff/desk/<slug:conference>/exports/", exports.exports, name="desk_exports"),
    path("staff/desk/<slug:conference>/seminars/<code:code>/list/", exports.seminar_list_page, name="seminar_list"),
    path("staff/desk/<slug:conference>/seminars/<code:code>/list.csv", exports.seminar_list_download,
         {"fmt": "csv"}, name="seminar_list_csv"),
    path("staff/desk/<slug:conference>/seminars/<code:code>/list.xlsx", exports.seminar_list_download,
         {"fmt": "xlsx"}, name="seminar_list_xlsx"),
    path("staff/desk/<slug:conference>/exports/registrations.csv", exports.registrations_download, {"fmt": "csv"},
         name="registrations_csv"),
    path("staff/desk/<slug:conference>/exports/registrations.xlsx", exports.registrations_download,
         {"fmt": "xlsx"}, name="registrations_xlsx"),
    path("staff/desk/<slug:conference>/exports/check-ins.csv", exports.check_ins_download, {"fmt": "csv"},
         name="check_ins_csv"),
    path("staff/desk/<slug:conference>/exports/check-ins.xlsx", exports.check_ins_download, {"fmt": "xlsx"},
         name="check_ins_xlsx"),
    path("staff/desk/<slug:conference>/exports/speakers.csv", exports.speakers_download, {"fmt": "csv"},
         name="speakers_csv"),
    path("staff/desk/<slug:conference>/exports/speakers.xlsx", exports.speakers_download, {"fmt": "xlsx"},
         name="speakers_xlsx"),
    path("staff/desk/<slug:conference>/speaker-badges/", exports.speaker_badges, name="speaker_badges"),


    path("staff/desk/<slug:conference>/releases/", releases.releases, name="desk_releases"),
    path("staff/desk/<slug:conference>/messages/", messages.message_list, name="message_list"),
    path("staff/desk/<slug:conference>/messages/new/", messages.message_new, name="message_new"),
    path("staff/desk/<slug:conference>/messages/<uuid:message>/", messages.message_detail, name="message_detail"),
    path("me/<slug:conference>/badge.pdf", door.my_badge, name="my_badge"),
]
