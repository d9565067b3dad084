"""Every log line is written once, in development and in production."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "test-only-" + "x" * 50, "SITE_URL": "https://mvt.test",
              "ALLOWED_HOSTS": "mvt.test"}


def stderr_of(code: str, **env) -> str:
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, env={**os.environ, **env}, check=True)
    return result.stderr


@pytest.mark.parametrize("env", [{"DEBUG": "1"}, PRODUCTION], ids=["development", "production"])
def test_a_django_error_is_logged_once(env):
    stderr = stderr_of("import logging; logging.getLogger('django.request').error('Internal Server Error: /x/')",
                       **env)
    assert stderr.count("Internal Server Error: /x/") == 1


def test_the_log_level_applies_to_djangos_loggers_too():
    stderr = stderr_of("import logging; logging.getLogger('django.db').info('an info line')", DEBUG="1",
                       LOG_LEVEL="WARNING")
    assert "an info line" not in stderr
