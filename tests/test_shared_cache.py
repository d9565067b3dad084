"""Processes share one cache: Redis with REDIS_URL (sessions live in it, backed by the database), the database's
cache table in production without it. Only a development server (DEBUG on) keeps a per-process cache."""

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REDIS = ("127.0.0.1", 6379)


def redis_is_up() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


def run_in_new_process(code: str, **env) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, **env}, check=True,
    )
    return result.stdout.strip().splitlines()[-1]  # the shell may first say what it imported


@pytest.mark.skipif(not redis_is_up(), reason="needs Redis on 127.0.0.1:6379")
def test_two_processes_share_the_cache_through_redis():
    key, value = f"shared-{uuid.uuid4()}", str(uuid.uuid4())
    url = "redis://127.0.0.1:6379/15"
    prefix = f"mvt-test-{uuid.uuid4().hex[:8]}"
    run_in_new_process(f"from django.core.cache import cache; cache.set({key!r}, {value!r}, 30)",
                       REDIS_URL=url, CACHE_KEY_PREFIX=prefix)
    read = run_in_new_process(
        "from django.conf import settings; from django.core.cache import cache; "
        f"print(settings.SESSION_ENGINE, cache.get({key!r}))", REDIS_URL=url, CACHE_KEY_PREFIX=prefix)
    assert read == f"django.contrib.sessions.backends.cached_db {value}"


def test_without_redis_a_development_server_gets_the_in_process_cache():
    read = run_in_new_process("from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
                              REDIS_URL="", DEBUG="1")
    assert read == "django.core.cache.backends.locmem.LocMemCache"


def test_in_production_without_redis_two_processes_share_the_cache_through_the_database(tmp_path):
    """Login rate limits and TOTP "code already used" markers must hold across gunicorn's workers."""
    production = {"DEBUG": "0", "REDIS_URL": "", "SECRET_KEY": "test-only-" + "x" * 50, "SITE_URL": "https://mvt.test",
                  "ALLOWED_HOSTS": "mvt.test", "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, check=True, timeout=120,
                   env={**os.environ, **production})  # the deploy step: it creates the cache table too
    key, value = f"shared-{uuid.uuid4()}", str(uuid.uuid4())
    run_in_new_process(f"from django.core.cache import cache; cache.set({key!r}, {value!r}, 30); print('set')",
                       **production)
    read = run_in_new_process(f"from django.core.cache import caches; print(type(caches['default']).__name__, "
                              f"caches['default'].get({key!r}))",
                              **production)
    assert read == f"DatabaseCache {value}"
