from django.urls import include, path

app_name = "registration"
urlpatterns = [
    path("", include("registration.urls_attendee")),
    path("", include("registration.urls_door")),
    path("", include("registration.urls_calendar")),
    path("", include("registration.urls_privacy")),
]
