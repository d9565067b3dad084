"""allauth through our outbox: its emails are promised as rows and sent by the worker, never in a request."""

import uuid
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from common.http import is_same_site_path

from .outbox import enqueue_email


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request, **credentials):
        """Count failed logins per (address, client IP), not per address: six wrong passwords from anywhere
        would otherwise lock the owner out from every IP. Each IP also has a ceiling of its own
        (ACCOUNT_RATE_LIMITS["login_failed"]). A password reset clears only the resetting IP's count."""
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{self.get_client_ip(request)}"

    def post_login(self, request, user, *, redirect_url=None, signup=False, **kwargs):
        """Going back to a conference's page without a registration for it: through its registration form
        first, with the page kept as `next` (a seminar's "Log in to book" ends where booking is possible)."""
        from allauth.account.utils import get_login_redirect_url

        target = get_login_redirect_url(request, redirect_url, signup=signup)
        return super().post_login(request, user, redirect_url=_through_registration(user, target) or target,
                                  signup=signup, **kwargs)

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

    def send_account_already_exists_mail(self, email: str) -> None:
        """Signing up with an address that has an account costs as much as a new account (whose password is
        hashed), so the answer's timing does not tell whether the address is registered."""
        from django.contrib.auth.hashers import make_password

        make_password(uuid.uuid4().hex)
        super().send_account_already_exists_mail(email)

def _through_registration(user, target: str) -> str | None:
    """The registration form (with `next`=target) when target is a page of a published conference the user
    has not registered for; None otherwise (other pages, staff, already registered, the form itself)."""
    from sessions.selectors import published_conferences

    from .roles import DOOR_STAFF, ORGANISERS, has_role
    from .selectors import registration_for

    if not is_same_site_path(target):
        return None
    slug = target.split("?", 1)[0].strip("/").split("/", 1)[0]
    conference = published_conferences().filter(slug=slug).first() if slug else None
    if conference is None:
        return None
    register = reverse("registration:register", args=[conference.slug])
    if target.startswith(register) or user.is_staff or has_role(user, ORGANISERS) or has_role(user, DOOR_STAFF):
        return None
    if registration_for(user, conference, lean=True):
        return None
    return f"{register}?next={quote(target, safe='/')}"
