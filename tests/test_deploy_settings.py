"""Production settings: the language cookie is as careful as the others; a proxy that is not trusted is named."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from mvt.middleware import WarnUntrustedForwardedProtoMiddleware

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "test-only-" + "x" * 50, "SITE_URL": "https://mvt.test",
              "ALLOWED_HOSTS": "mvt.test"}


def test_in_production_the_language_cookie_is_secure_and_same_site_lax():
    code = ("from django.test import Client; "
            "r = Client().post('/i18n/setlang/', {'language': 'en'}, secure=True, HTTP_HOST='mvt.test'); "
            "c = r.cookies['django_language']; print(r.status_code, c['secure'], c['samesite'])")
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, env={**os.environ, **PRODUCTION}, check=True)
    assert result.stdout.strip().splitlines()[-1] == "302 True Lax"


def test_in_development_the_language_cookie_is_same_site_lax(db):
    response = Client().post("/i18n/setlang/", {"language": "en"})
    assert response.cookies["django_language"]["samesite"] == "Lax"


@pytest.fixture
def not_warned_yet(monkeypatch):
    monkeypatch.setattr(WarnUntrustedForwardedProtoMiddleware, "warned", False)


def test_a_forwarded_proto_without_behind_proxy_is_warned_about_once(db, settings, caplog, not_warned_yet):
    settings.SECURE_PROXY_SSL_HEADER = None
    with caplog.at_level(logging.WARNING, logger="mvt.middleware"):
        for _ in range(3):
            Client().get("/", HTTP_X_FORWARDED_PROTO="https")
    warnings = [r for r in caplog.records if "BEHIND_PROXY" in r.getMessage()]
    assert len(warnings) == 1


def test_behind_a_trusted_proxy_there_is_no_warning(db, settings, caplog, not_warned_yet):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    with caplog.at_level(logging.WARNING, logger="mvt.middleware"):
        Client().get("/", HTTP_X_FORWARDED_PROTO="https")
        Client().get("/")
    assert not [r for r in caplog.records if "BEHIND_PROXY" in r.getMessage()]


def test_in_development_links_follow_the_port_make_run_serves_on():
    """Issue 11, item 3: with `make run PORT=8100` every absolute link pointed to :8000."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "DEBUG"}}
    result = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mvt.settings');"
         "django.setup(); from django.conf import settings; print(settings.SITE_URL)"],
        cwd=Path(__file__).resolve().parents[1], env={**env, "MVT_PORT": "8100"}, capture_output=True, text=True,
        check=True, timeout=60,
    )
    assert result.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8100"
