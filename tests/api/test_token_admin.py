"""Organisers create API tokens in the admin (the secret shown once) and revoke them there."""

import re

from django.contrib.messages import get_messages
from django.test import Client

from api.models import ApiToken
from tests.api.conftest import token_client

ADD = "/admin/api/apitoken/add/"


def test_an_organiser_creates_a_token_and_sees_its_secret_once(conference, organiser):
    client = Client()
    client.force_login(organiser)
    answer = client.post(ADD, {"name": "Appen", "conference": conference.pk,
                               "scopes": ["programme:read", "registrations:read"]})
    assert answer.status_code == 302, answer.content[:2000]
    token = ApiToken.objects.get()
    assert token.created_by == organiser and token.scopes == ["programme:read", "registrations:read"]
    [secret] = [re.search(r"mvt_\S+", str(m)).group(0) for m in get_messages(answer.wsgi_request) if "mvt_" in str(m)]
    assert token_client(secret).get(f"/api/v1/conferences/{conference.slug}/registrations/").status_code == 200
    shown = client.get(f"/admin/api/apitoken/{token.pk}/change/")  # the page after saving shows the message
    assert secret.encode() in shown.content
    again = client.get(f"/admin/api/apitoken/{token.pk}/change/")
    assert again.status_code == 200 and secret.encode() not in again.content


def test_an_organiser_revokes_tokens_with_the_action(conference, organiser, make_token):
    secret = make_token("programme:read")
    client = Client()
    client.force_login(organiser)
    token = ApiToken.objects.get()
    answer = client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert answer.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token_client(secret).get("/api/v1/conferences/").status_code == 401


def test_a_token_needs_a_scope(conference, organiser):
    client = Client()
    client.force_login(organiser)
    answer = client.post(ADD, {"name": "Appen", "conference": conference.pk})
    assert answer.status_code == 200
    assert not ApiToken.objects.exists()
