"""Builders for the API tests: registrations, bookings, tokens and a client that sends one."""

import itertools

import pytest
from django.test import Client

from api.services import create_token
from registration.models import Booking, BookingStatus, Registration

_n = itertools.count(1)


@pytest.fixture
def make_registration(conference, make_user):
    def make(**fields):
        n = next(_n)
        fields.setdefault("conference", conference)
        if "user" not in fields:
            fields["user"] = make_user(email=f"api-deltagare{n}@example.org")
        fields.setdefault("email", fields["user"].email if fields["user"] else f"api-deltagare{n}@example.org")
        fields.setdefault("name", f"Deltagare {n}")
        fields.setdefault("organisation_type", "company")
        fields.setdefault("organisation_name", "Exempel AB")
        return Registration.objects.create(**fields)

    return make


@pytest.fixture
def make_booking():
    def make(registration, seminar, status=BookingStatus.CONFIRMED, **fields):
        from django.utils import timezone

        fields.setdefault("queued_at", timezone.now())
        return Booking.objects.create(registration=registration, seminar=seminar, status=status, **fields)

    return make


@pytest.fixture
def make_token(conference, organiser):
    """make_token(scopes..., conference=…) -> the secret."""

    def make(*scopes, **fields):
        fields.setdefault("conference", conference)
        fields.setdefault("name", "Integration")
        _token, secret = create_token(scopes=list(scopes), created_by=organiser, **fields)
        return secret

    return make


def token_client(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", raise_request_exception=False)
