"""With REDIS_URL set, processes share one cache and sessions live in it (backed by the database)."""

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


def test_without_redis_a_newcomer_gets_the_in_process_cache():
    read = run_in_new_process("from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
                              REDIS_URL="")
    assert read == "django.core.cache.backends.locmem.LocMemCache"
