"""The admin site is the organisers' desk: only active staff in the Organisers group (or superusers), with
their second factor set up, get in."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.options import TO_FIELD_VAR
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.http import safe_next
from registration.access import has_mfa, mfa_setup_url
from registration.roles import is_organiser


def _is_organiser_account(user) -> bool:
    return bool(user.is_active and user.is_staff and is_organiser(user))


class OrganiserAdminSite(admin.AdminSite):
    site_header = _("MVT organisers")
    site_title = _("MVT organisers")
    index_title = _("Programme and registration")
    index_template = "admin/mvt_index.html"

    def index(self, request, extra_context=None):
        """The index lists each conference's figures and badges pages above the models."""
        from sessions.models import Conference

        extra_context = {**(extra_context or {}), "desk_conferences": Conference.objects.order_by("-first_day")}
        return super().index(request, extra_context)

    def login(self, request, extra_context=None):
        """Staff log in through allauth, so that their second factor is asked for too."""
        next_url = safe_next(request, reverse("admin:index"))
        if request.user.is_authenticated:
            if _is_organiser_account(request.user) and not has_mfa(request.user):
                return redirect(mfa_setup_url(next_url))
            # Logged in but not an organiser: a login page would only send them back here.
            raise PermissionDenied
        return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")

    def admin_view(self, view, cacheable=False):
        """Every admin view ignores an empty `_to_field`, as if it were absent. Django's change and delete views
        looked the empty name up as a field and answered 500."""
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def without_empty_to_field(request, *args, **kwargs):
            for name in ("GET", "POST"):
                data = getattr(request, name)
                if TO_FIELD_VAR in data and not data.get(TO_FIELD_VAR):
                    data = data.copy()
                    del data[TO_FIELD_VAR]
                    setattr(request, name, data)
            return inner(request, *args, **kwargs)

        return without_empty_to_field

    def has_permission(self, request):
        """Every admin view asks this, so MFA is checked here and not only by a middleware that matches paths
        (a path prefix such as SCRIPT_NAME once let an organiser without MFA past it)."""
        user = request.user
        return _is_organiser_account(user) and has_mfa(user)
