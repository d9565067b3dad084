"""The admin site is the organisers' desk: only active staff in the Organisers group (or superusers) get in."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from registration.roles import is_organiser


class OrganiserAdminSite(admin.AdminSite):
    site_header = _("MVT organisers")
    site_title = _("MVT organisers")
    index_title = _("Programme and registration")

    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and user.is_staff and is_organiser(user))
