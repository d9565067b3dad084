"""API tokens: an organiser's scoped, revocable secret for one conference, and a bounded log of its use."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sessions.models import Conference


class Scope(models.TextChoices):
    PROGRAMME_READ = "programme:read", _("Read the published programme")
    REGISTRATIONS_READ = "registrations:read", _("Read registrations")
    BOOKINGS_READ = "bookings:read", _("Read bookings and lines")
    BOOKINGS_WRITE = "bookings:write", _("Book and cancel seats on behalf of attendees")
    CHECKINS_READ = "checkins:read", _("Read check-ins at the doors")


class ApiToken(models.Model):
    """Only the secret's SHA-256 is stored; the secret is shown once, when the token is created.

    `prefix` is the token's public part (it starts the secret), to tell tokens apart in lists and logs.
    """

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="api_tokens",
                                   verbose_name=_("conference"))
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. the app that uses it."))
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True,
                                      help_text=_("Empty: valid until revoked."))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_valid(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class ApiTokenUse(models.Model):
    """One request made with a token: which operation, and how it was answered. No paths, addresses or bodies,
    so the log holds no personal data; only the newest rows per token are kept (api.services.USES_KEPT)."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="uses", verbose_name=_("token"))
    at = models.DateTimeField(_("time"), auto_now_add=True)
    method = models.CharField(_("method"), max_length=10)
    operation = models.CharField(_("operation"), max_length=100)
    status = models.PositiveSmallIntegerField(_("answer"))

    class Meta:
        verbose_name = _("API token use")
        verbose_name_plural = _("API token uses")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["token", "id"])]

    def __str__(self):
        return f"{self.token.prefix} {self.method} {self.operation} {self.status}"
