from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("api.urls")),
    path("", include("registration.urls")),
    path("", include("sessions.urls")),
]

# Error pages that never read the request body (see mvt/views.py).
handler400 = "mvt.views.bad_request"
handler500 = "mvt.views.server_error"
