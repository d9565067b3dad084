"""Issue 11, item 2: allauth's emails carry the site's name in the attendee's language, never host:port."""

import re

import pytest
from django.conf import settings

from tests.helpers import deliver_emails

PASSWORD = "Trygg-larm-2016!"


@pytest.mark.parametrize(("language", "greeting", "verify", "reset", "signature"), [
    ("sv", "Hej från", "Bekräfta", "Lösenord", "Vänliga hälsningar,"),
    ("en", "Hello from", "Confirm", "Password", "Best regards,"),
])
def test_allauth_emails_carry_the_site_name_in_the_attendees_language(client, db, make_user, language, greeting,
                                                                       verify, reset, signature):
    client.cookies["django_language"] = language
    client.post("/accounts/signup/", {"email": "karin@vasteras.se", "password1": PASSWORD, "password2": PASSWORD})
    make_user(email="per@vasteras.se", password=PASSWORD)
    client.post("/accounts/password/reset/", {"email": "per@vasteras.se"})
    emails = deliver_emails()
    verification = next(m for m in emails if m.to == ["karin@vasteras.se"])
    password_reset = next(m for m in emails if m.to == ["per@vasteras.se"])
    for email, word in ((verification, verify), (password_reset, reset)):
        assert email.subject.startswith(f"[{settings.SITE_NAME}] ") and word.lower() in email.subject.lower()
        first_line = email.body.splitlines()[0]
        assert first_line == f"{greeting} {settings.SITE_NAME}!"
        assert not re.search(r"\d+\.\d+\.\d+\.\d+|:\d{2,5}|testserver|example\.com", email.subject + first_line)
        assert f"{signature}\n{settings.SITE_NAME}" in email.body
