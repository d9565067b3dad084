"""Template context: which staff links the signed-in person should see."""

from django.utils.functional import SimpleLazyObject

from .roles import DOOR_STAFF, ORGANISERS, has_role


def staff_nav(request):
    def compute():
        user = request.user
        if not user.is_authenticated:
            return {"organiser": False, "door": False}
        organiser = user.is_superuser or has_role(user, ORGANISERS)
        return {"organiser": organiser, "door": organiser or has_role(user, DOOR_STAFF)}

    return {"staff_nav": SimpleLazyObject(compute)}
