"""Who may open which staff page: role groups plus MFA, checked in one place."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from .roles import DOOR_STAFF, ORGANISERS, has_role


def has_mfa(user) -> bool:
    """True when the user has a TOTP authenticator (recovery codes alone do not count)."""
    from allauth.mfa.models import Authenticator

    cached = getattr(user, "_has_mfa", None)
    if cached is None:
        cached = user._has_mfa = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    return cached


def is_staff_member(user) -> bool:
    """Organisers, door staff and superusers: the people who must use MFA."""
    return user.is_authenticated and user.is_active and (
        user.is_superuser or has_role(user, ORGANISERS) or has_role(user, DOOR_STAFF)
    )


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


door_staff_required = role_required(DOOR_STAFF, ORGANISERS)
organiser_required = role_required(ORGANISERS)
