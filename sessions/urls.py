from django.urls import path

from . import (
    board,
    changes,
    converters,  # noqa: F401 - registers the path converters
    feeds,
    views,
)

app_name = "programme"
urlpatterns = [
    path("staff/board/<slug:conference>/", board.board_start, name="board_start"),
    path("staff/board/<slug:conference>/<isodate:day>/", board.board, name="board"),
    path("staff/board/<slug:conference>/<isodate:day>/move/<code:code>/", board.board_move, name="board_move"),
    path("staff/board/<slug:conference>/<isodate:day>/undo/", board.board_undo, name="board_undo"),
    path("", views.home, name="home"),
    path("<slug:conference>/", views.conference, name="conference"),
    path("<slug:conference>/program/", views.programme, name="programme"),
    path("<slug:conference>/program/<isodate:day>/", views.day, name="day"),
    path("<slug:conference>/program/<isodate:day>/grid/", views.day_grid, name="day_grid"),
    path("<slug:conference>/seminars/<code:code>/", views.seminar, name="seminar"),
    path("<slug:conference>/speakers/", views.speakers, name="speakers"),
    path("<slug:conference>/speakers/<slug:slug>/", views.speaker, name="speaker"),
    path("<slug:conference>/changes/", changes.changes, name="changes"),
    path("<slug:conference>/changes.atom", changes.changes_feed, name="changes_feed"),
    path("<slug:conference>/calendar.ics", feeds.programme_feed, name="feed"),
    path("<slug:conference>/schedule.json", feeds.schedule_export, {"fmt": "json"}, name="schedule_json"),
    path("<slug:conference>/schedule.xml", feeds.schedule_export, {"fmt": "xml"}, name="schedule_xml"),
    path("<slug:conference>/calendar/track/<slug:track>.ics", feeds.track_feed, name="feed_track"),
    path("<slug:conference>/calendar/room/<int:room>.ics", feeds.room_feed, name="feed_room"),
    path("<slug:conference>/seminars/<code:code>/calendar.ics", feeds.seminar_ics, name="seminar_ics"),
]
