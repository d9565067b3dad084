from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    """The programme app. Its label is "programme": "sessions" belongs to django.contrib.sessions."""

    name = "sessions"
    label = "programme"
    verbose_name = _("Programme")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .signals import connect_programme_stamps

        connect_programme_stamps()
