"""Failed logins are limited per (address, client IP), with a ceiling per IP: strangers cannot lock an account."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

OWNER_IP, ATTACKER_IP = "198.51.100.7", "203.0.113.9"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def owner(make_user):
    user = make_user(email="karin@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def log_in(password, ip, email="karin@example.org"):
    return Client(REMOTE_ADDR=ip).post("/accounts/login/", {"login": email, "password": password})


def is_signed_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def test_failures_from_one_ip_do_not_lock_the_owner_out_from_another(owner):
    for _ in range(8):
        assert not is_signed_in(log_in("wrong password", ATTACKER_IP))
    assert is_signed_in(log_in(PASSWORD, OWNER_IP))


def test_the_failing_ip_is_still_limited_even_with_the_right_password(owner):
    for _ in range(5):
        log_in("wrong password", ATTACKER_IP)
    response = log_in(PASSWORD, ATTACKER_IP)
    assert not is_signed_in(response)
    assert response.status_code in (200, 429)


def test_one_ip_failing_for_many_addresses_hits_its_own_ceiling(owner, make_user):
    for n in range(10):
        log_in("wrong password", ATTACKER_IP, email=f"other{n}@example.org")
    assert not is_signed_in(log_in(PASSWORD, ATTACKER_IP))
    assert is_signed_in(log_in(PASSWORD, OWNER_IP))


def log_in_through_proxy(password, client_ip):
    client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=client_ip)
    return client.post("/accounts/login/", {"login": "karin@example.org", "password": password})


def test_behind_a_trusted_proxy_the_limit_follows_the_forwarded_client_ip(owner, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for _ in range(6):
        log_in_through_proxy("wrong password", ATTACKER_IP)
    assert not is_signed_in(log_in_through_proxy(PASSWORD, ATTACKER_IP))
    assert is_signed_in(log_in_through_proxy(PASSWORD, OWNER_IP))


def test_by_default_a_forged_forwarded_for_does_not_escape_the_limit(owner):
    for n in range(6):
        log_in_through_proxy("wrong password", f"192.0.2.{n}")
    assert not is_signed_in(log_in_through_proxy(PASSWORD, OWNER_IP))
