"""Builders for registrations and bookings."""

import itertools

import pytest

from registration.models import Booking, BookingStatus, Registration

_n = itertools.count(1)


@pytest.fixture
def make_registration(conference, make_user):
    """A registration with its own user account (pass user=None for an unclaimed delegation member)."""

    def make(**fields):
        n = next(_n)
        if "user" not in fields:
            fields["user"] = make_user(email=fields.get("email") or f"deltagare{n}@example.org")
        user = fields["user"]
        fields.setdefault("conference", conference)
        fields.setdefault("email", user.email if user else f"deltagare{n}@example.org")
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
