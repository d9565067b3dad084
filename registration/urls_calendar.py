from django.urls import path

from sessions import converters  # noqa: F401 - registers the path converters

from .views import calendar

urlpatterns = [
    path("cal/<token:token>.ics", calendar.feed, name="calendar_feed"),
    path("<slug:conference>/me/calendar/", calendar.calendar_page, name="calendar"),
]
