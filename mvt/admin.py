"""The admin site is the organisers' desk: only active staff in the Organisers group (or superusers) get in."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from common.http import safe_next
from registration.roles import is_organiser


class OrganiserAdminSite(admin.AdminSite):
    site_header = _("MVT organisers")
    site_title = _("MVT organisers")
    index_title = _("Programme and registration")

    def login(self, request, extra_context=None):
        """Staff log in through allauth, so that their second factor is asked for too."""
        from urllib.parse import urlencode

        from django.shortcuts import redirect
        from django.urls import reverse

        if request.user.is_authenticated:
            # Logged in but not an organiser: a login page would only send them back here.
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        next_url = safe_next(request, reverse("admin:index"))
        return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")

    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and user.is_staff and is_organiser(user))
