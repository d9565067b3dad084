"""How a badge's code is made from its seed, and how it is stored: pure functions, no database.

code = base32(HMAC-SHA256(key, seed))[:128 bits], 26 characters of A-Z and 2-7. The database keeps the
seed and SHA-256(code). Without the key, a copy of the database prints no badge; with it, a badge can be
printed again with the code its holder already carries. The key is BADGE_CODE_KEY, or else SECRET_KEY;
keys listed in BADGE_CODE_KEY_FALLBACKS (or SECRET_KEY_FALLBACKS) still reprint badges issued before a
rotation, and every issued code keeps scanning whatever the key, because scans look up the hash.
"""

from __future__ import annotations

import base64
import hashlib

from django.conf import settings
from django.utils.crypto import salted_hmac

SALT = "mvt.registration.badge-code"


def _keys() -> list[str]:
    if settings.BADGE_CODE_KEY:
        return [settings.BADGE_CODE_KEY, *settings.BADGE_CODE_KEY_FALLBACKS]
    return [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]


def derive_code(seed: str, key: str | None = None) -> str:
    """The badge code for `seed` under `key` (the current key if None)."""
    digest = salted_hmac(SALT, seed, secret=key or _keys()[0], algorithm="sha256").digest()
    return base64.b32encode(digest[:16]).decode("ascii").rstrip("=")


def hash_code(code: str) -> str:
    """What the database stores and looks up: SHA-256 of the code (128 random bits need no slow hash)."""
    return hashlib.sha256(code.encode("ascii", "replace")).hexdigest()


def recover_code(seed: str | None, code_hash: str) -> str | None:
    """The code behind a stored badge, derived under the current key or a fallback; None when it cannot
    be (a badge from before hashing, or one whose key is no longer configured)."""
    if not seed:
        return None
    for key in _keys():
        code = derive_code(seed, key)
        if hash_code(code) == code_hash:
            return code
    return None
