"""Creating, revoking and recording the use of API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db.models import Subquery
from django.utils import timezone

from .models import ApiToken, ApiTokenUse, Scope

TOKEN_START = "mvt_"  # noqa: S105 (the start every secret shares, not a secret)
USES_KEPT = 1000
# last_used_at is written at most this often per token, not on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> tuple[str, str]:
    """A fresh (prefix, secret): the prefix is the secret's public part, to tell tokens apart."""
    prefix = secrets.token_hex(4)
    return prefix, f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"


def check_scopes(scopes) -> list[str]:
    """The scopes sorted and without repeats. Raises ValueError for an unknown scope or none."""
    unknown = set(scopes) - set(Scope.values)
    if unknown or not scopes:
        raise ValueError(f"Unknown or no scopes: {sorted(unknown)}")
    return sorted(set(scopes))


def create_token(*, conference, name: str, scopes: list[str], created_by=None,
                 expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token and its secret. The secret is returned only here and never stored (only its hash).

    Raises ValueError for an unknown scope or none.
    """
    scopes = check_scopes(scopes)
    prefix, secret = new_secret()
    token = ApiToken.objects.create(
        conference=conference, name=name, prefix=prefix, secret_hash=hash_secret(secret),
        scopes=scopes, created_by=created_by, expires_at=expires_at,
    )
    return token, secret


def revoke_token(*, token: ApiToken, now: datetime | None = None) -> None:
    """Revoke at once (idempotent: the first revocation's time is kept)."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now or timezone.now())
    token.refresh_from_db(fields=["revoked_at"])


def find_token(secret: str) -> ApiToken | None:
    """The token a secret belongs to (valid or not), or None."""
    if not secret.startswith(TOKEN_START) or len(secret) > 200:
        return None
    return ApiToken.objects.select_related("conference").filter(secret_hash=hash_secret(secret)).first()


def record_use(*, token: ApiToken, method: str, operation: str, status: int, now: datetime | None = None) -> None:
    """Log one request and keep only the newest USES_KEPT rows of the token."""
    now = now or timezone.now()
    ApiTokenUse.objects.create(token=token, method=method[:10], operation=operation[:100], status=status)
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    oldest_kept = ApiTokenUse.objects.filter(token=token).order_by("-id").values("id")[USES_KEPT - 1:USES_KEPT]
    ApiTokenUse.objects.filter(token=token, id__lt=Subquery(oldest_kept)).delete()
