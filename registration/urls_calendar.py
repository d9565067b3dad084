from django.urls import path

from .views import calendar

urlpatterns = [
    path("cal/<str:token>.ics", calendar.feed, name="calendar_feed"),
    path("<slug:conference>/me/calendar/", calendar.calendar_page, name="calendar"),
]
