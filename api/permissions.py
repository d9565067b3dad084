"""Which token may call which operation: a view names the scope it needs."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions

from .models import ApiToken


class HasScope(permissions.BasePermission):
    """The request carries a valid token with the view's `required_scope`, for the conference in the URL.

    Without a token: 401. A token without the scope: 403. A token of another conference: 404, as for an
    object that does not exist (the view checks the conference; see api.views.OrganiserView).
    """

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            raise exceptions.NotAuthenticated(_("This needs an organiser's API token."))
        if not token.has_scope(view.required_scope):
            raise exceptions.PermissionDenied(
                _("This token lacks the scope %(scope)s.") % {"scope": view.required_scope}
            )
        return True
