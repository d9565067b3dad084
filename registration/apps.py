from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "registration"
    label = "registration"
    verbose_name = _("Registration")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from sessions.ports import register_bookings

        from . import roles
        from .seam import RegistrationBookings

        post_migrate.connect(roles.ensure_role_groups_after_migrate, sender=self)
        register_bookings(RegistrationBookings())
