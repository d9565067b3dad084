"""Staff roles as groups with exactly the permissions each job needs."""

from django.contrib.auth.models import Group, Permission

from common.access import DOOR_STAFF, ORGANISERS, has_role

__all__ = ["DOOR_STAFF", "ORGANISERS", "ROLE_PERMISSIONS", "ensure_role_groups", "has_role", "is_organiser"]

# (app_label, codename) pairs; organisers run the programme and see registrations.
# Door staff need no model permissions: their pages check the role, and they never reach the admin.
ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    ORGANISERS: [
        ("programme", f"{action}_{model}")
        for model in ["conference", "track", "room", "speaker", "seminar", "seminarspeaker"]
        for action in ("add", "change", "delete", "view")
    ] + [
        ("registration", "view_registration"), ("registration", "change_registration"),
        ("registration", "view_delegation"), ("registration", "view_booking"), ("registration", "view_scan"),
        ("registration", "view_badge"), ("registration", "view_municipality"), ("registration", "view_region"),
        ("registration", "view_outgoingemail"), ("programme", "view_release"),
        ("api", "add_apitoken"), ("api", "change_apitoken"), ("api", "view_apitoken"), ("api", "view_apitokenuse"),
    ],
    DOOR_STAFF: [],
}


def ensure_role_groups() -> None:
    """Create the role groups and set their permissions to exactly ROLE_PERMISSIONS (idempotent)."""
    for name, pairs in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = [Permission.objects.get(content_type__app_label=app, codename=code) for app, code in pairs]
        group.permissions.set(wanted)


def ensure_role_groups_after_migrate(sender, **kwargs):
    ensure_role_groups()


def is_organiser(user) -> bool:
    return bool(user.is_active and user.is_superuser) or has_role(user, ORGANISERS)
