"""allauth through our outbox: its emails are promised as rows and sent by the worker, never in a request."""

import uuid

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from .outbox import enqueue_email


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request, **credentials):
        """Count failed logins per (address, client IP), not per address: six wrong passwords from anywhere
        would otherwise lock the owner out from every IP. Each IP also has a ceiling of its own
        (ACCOUNT_RATE_LIMITS["login_failed"]). A password reset clears only the resetting IP's count."""
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{self.get_client_ip(request)}"

    def send_mail(self, template_prefix, email, context):
        """Render allauth's message now (its context holds one-time links and objects that do not
        serialise), and leave the sending to the outbox worker."""
        context = {**context, "site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}
        message = self.render_mail(template_prefix, email, context)
        html = next((content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"),
                    None)
        if message.content_subtype == "html":
            text, html = "", message.body
        else:
            text = message.body
        enqueue_email(
            kind="account." + template_prefix.rsplit("/", 1)[-1], to=email, obj=f"account:{uuid.uuid4()}", revision=0,
            params={"subject": message.subject, "text": text, "html": html},
            language=translation.get_language() or "sv",
        )
