"""Who may open which staff page: role groups plus MFA. The generic check lives in common.access (the
programme's staff pages use it too); door staff and the MFA-everywhere middleware are registration's."""

from common.access import has_mfa, mfa_setup_url, organiser_required, role_required

from .roles import DOOR_STAFF, ORGANISERS, has_role

__all__ = ["has_mfa", "mfa_setup_url", "organiser_required", "role_required", "is_staff_member",
           "door_staff_required"]


def is_staff_member(user) -> bool:
    """Organisers, door staff and superusers: the people who must use MFA."""
    return user.is_authenticated and user.is_active and (
        user.is_superuser or has_role(user, ORGANISERS) or has_role(user, DOOR_STAFF)
    )


door_staff_required = role_required(DOOR_STAFF, ORGANISERS)
