from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "registration"
    label = "registration"
    verbose_name = _("Registration")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from sessions.services import register_booking_counter
        from sessions.signals import seminar_changed

        from . import receivers, roles

        post_migrate.connect(roles.ensure_role_groups_after_migrate, sender=self)
        seminar_changed.connect(receivers.on_seminar_changed, dispatch_uid="registration.on_seminar_changed")
        register_booking_counter(receivers.count_bookings)
        from sessions.hooks import register_day_extra, register_seminar_panel

        from .views.attendee import day_seat_status, seminar_panel

        register_seminar_panel(seminar_panel)
        register_day_extra(day_seat_status)
