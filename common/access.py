"""Who may open a staff page: role groups plus MFA, checked in one place (used by both apps' staff pages).

The role names are Django groups; registration.roles sets their permissions. Nothing here imports an app.
"""

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

ORGANISERS = "Organisers"
DOOR_STAFF = "Door staff"


def has_role(user, role: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    cache = getattr(user, "_role_names", None)
    if cache is None:
        cache = user._role_names = set(user.groups.values_list("name", flat=True))
    return role in cache


def has_mfa(user) -> bool:
    """True when the user has a TOTP authenticator (recovery codes alone do not count)."""
    from allauth.mfa.models import Authenticator

    cached = getattr(user, "_has_mfa", None)
    if cached is None:
        cached = user._has_mfa = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    return cached


def mfa_setup_url(next_url: str) -> str:
    return f"{reverse('mfa_activate_totp')}?{urlencode({'next': next_url})}"


def role_required(*roles: str):
    """Decorate a staff view: log in first, hold one of `roles` (or be a superuser), and have MFA set up.

    Without a role: 403. Without MFA: sent to set it up, then back.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not (user.is_active and (user.is_superuser or any(has_role(user, role) for role in roles))):
                raise PermissionDenied
            if not has_mfa(user):
                return redirect(mfa_setup_url(request.get_full_path()))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


organiser_required = role_required(ORGANISERS)
