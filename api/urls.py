from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from . import views

app_name = "api"
conference = "v1/conferences/<slug:conference>/"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Our own page templates: the assets come from drf-spectacular-sidecar, nothing from another host.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
         name="docs"),
    path("docs/redoc/", SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html"),
         name="redoc"),
    path("v1/conferences/", views.ConferenceList.as_view(), name="conferences"),
    path(conference, views.ConferenceDetail.as_view(), name="conference"),
    path(f"{conference}tracks/", views.TrackList.as_view(), name="tracks"),
    path(f"{conference}rooms/", views.RoomList.as_view(), name="rooms"),
    path(f"{conference}seminars/", views.SeminarList.as_view(), name="seminars"),
    path(f"{conference}seminars/<str:code>/", views.SeminarDetail.as_view(), name="seminar"),
    path(f"{conference}seminars/<str:code>/line/", views.SeminarLine.as_view(), name="line"),
    path(f"{conference}speakers/", views.SpeakerList.as_view(), name="speakers"),
    path(f"{conference}speakers/<slug:slug>/", views.SpeakerDetail.as_view(), name="speaker"),
    path(f"{conference}registrations/", views.RegistrationList.as_view(), name="registrations"),
    path(f"{conference}registrations/<uuid:public_id>/", views.RegistrationDetail.as_view(), name="registration"),
    path(f"{conference}bookings/", views.BookingList.as_view(), name="bookings"),
    path(f"{conference}bookings/<uuid:public_id>/", views.BookingDetail.as_view(), name="booking"),
    path(f"{conference}bookings/<uuid:public_id>/cancel/", views.BookingCancel.as_view(), name="cancel_booking"),
    path(f"{conference}check-ins/", views.CheckInList.as_view(), name="check_ins"),
    # Anything else under /api/ (e.g. a slug the patterns refuse) answers the API's JSON 404, not the site's page.
    re_path(r"^.*$", views.not_found, name="not_found"),
]
